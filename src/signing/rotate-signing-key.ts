import type { Actor } from '../audit/audit-trail';
import type { Services } from '../services';
import { licenceSigner } from './licence-signer';

/** Rotates the licence-token signing key (admin endpoint and `nomina keys rotate-signing`), audited. */
export async function rotateSigningKey(services: Services, actor: Actor, requestId?: string): Promise<{ kid: string; retired: string[] }> {
  const rotation = await licenceSigner(services).rotate();
  await services.audit.record({ actor, action: 'signing_key.rotate', resource: { type: 'signing_key', id: rotation.kid }, requestId, details: { retired: rotation.retired } });
  return rotation;
}
