/**
 * Endpoint signing secrets, in Standard Webhooks' form: `whsec_` + base64 of 32 random bytes.
 * The secret must be usable to sign, so it is wrapped by the master key (AES-256-GCM, the
 * endpoint id as context) rather than digested; it is shown to the admin once, at creation.
 */
import { randomBytes } from 'node:crypto';
import type { Keyring } from '../crypto/keyring';
import type { PrismaClient } from '../generated/prisma/client';

export const SECRET_PREFIX = 'whsec_';

export function generateWebhookSecret(): { secret: string; material: Buffer } {
  const material = randomBytes(32);
  return { secret: `${SECRET_PREFIX}${material.toString('base64')}`, material };
}

export function wrapWebhookSecret(keyring: Keyring, endpointId: string, material: Buffer): { secretWrapped: string; secretKeyId: string } {
  const { wrapped, keyId } = keyring.wrap(material, `webhook_secret:${endpointId}`);
  return { secretWrapped: wrapped, secretKeyId: keyId };
}

export function unwrapWebhookSecret(keyring: Keyring, endpoint: { id: string; secretWrapped: string; secretKeyId: string }): Buffer {
  return keyring.unwrap(endpoint.secretWrapped, endpoint.secretKeyId, `webhook_secret:${endpoint.id}`);
}

/** Re-wraps every endpoint secret with the current master key (`nomina keys rewrap`, key rotation). */
export async function rewrapWebhookSecrets(prisma: PrismaClient, keyring: Keyring): Promise<number> {
  const rows = await prisma.webhookEndpoint.findMany({ where: { secretKeyId: { not: keyring.currentId } }, select: { id: true, secretWrapped: true, secretKeyId: true } });
  for (const row of rows) {
    await prisma.webhookEndpoint.update({ where: { id: row.id }, data: wrapWebhookSecret(keyring, row.id, unwrapWebhookSecret(keyring, row)) });
  }
  return rows.length;
}
