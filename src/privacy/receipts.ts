/**
 * Signed receipts (erasure, retention, closure of a customer): compact JWS, EdDSA, signed with the service's current
 * signing key (src/signing) and carrying its `kid`, so anyone can check a receipt against
 * /.well-known/jwks.json. The `typ` header keeps a receipt from ever passing for a licence token.
 */
import { CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import type { Services } from '../services';
import { licenceSigner } from '../signing/licence-signer';

export type ReceiptType = 'nomina-erasure-receipt+jwt' | 'nomina-retention-receipt+jwt' | 'nomina-customer-closure-receipt+jwt';

export async function signReceipt(services: Services, payload: Record<string, unknown>, typ: ReceiptType): Promise<string> {
  const key = await licenceSigner(services).activeKey();
  const body = { iss: 'nomina', iat: Math.floor(services.now().getTime() / 1000), ...payload };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ })
    .sign(key.privateKey);
}

/** Verifies a receipt's signature and type; returns its payload, or null when it does not verify. */
export async function verifyReceipt(services: Services, jws: string, typ: ReceiptType): Promise<Record<string, unknown> | null> {
  try {
    const header = decodeProtectedHeader(jws);
    if (header.typ !== typ || header.alg !== 'EdDSA') return null;
    const key = await licenceSigner(services).publicKey(header.kid);
    if (!key) return null;
    const { payload } = await compactVerify(jws, key, { algorithms: ['EdDSA'] });
    return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
  } catch {
    return null;
  }
}
