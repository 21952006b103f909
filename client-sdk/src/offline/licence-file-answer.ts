import { isClockRolledBack } from '../clock-guard.js';
import type { DeviceIdentity } from '../identity.js';
import type { TrustedKeyStore } from '../trusted-keys.js';
import { refusal, verdictFromClaims, type VerdictWithoutTelemetry } from '../verdict.js';
import { loadDeviceKey } from './device-key.js';
import { LicenceFileError } from './licence-file-error.js';
import { checkBinding, verifyLicenceFile, type LicenceFileClaims } from './licence-file.js';
import { LicenceFileStore } from './licence-file-store.js';

export interface LicenceFileAnswer {
  verdict: VerdictWithoutTelemetry;
  /** Set when the file is in force (valid now); null for a refusal. */
  claims: LicenceFileClaims | null;
}

export interface LicenceFileLookup {
  storageDir: string;
  keys: TrustedKeyStore;
  product: string;
  keyDigest: string;
  identity: DeviceIdentity;
  now: Date;
  warning: string;
}

/**
 * start()'s answer from an imported licence file while the service is unreachable, or null when
 * there is none for this key. The file is checked again as at import — signature, product, this
 * storage's device key, this PC's identity, expiry — except the nonce, which import consumed.
 */
export async function answerFromLicenceFile(lookup: LicenceFileLookup): Promise<LicenceFileAnswer | null> {
  const stored = new LicenceFileStore(lookup.storageDir).load();
  if (!stored || stored.keyDigest !== lookup.keyDigest) return null;
  const refused = (code: string, detail: string): LicenceFileAnswer => ({ verdict: { ...refusal(code, detail, [lookup.warning], true), source: 'licence-file' }, claims: null });
  let claims: LicenceFileClaims;
  try {
    claims = await verifyLicenceFile(stored.licenceFile, { keys: lookup.keys, product: lookup.product, now: lookup.now });
    checkBinding(claims, loadDeviceKey(lookup.storageDir), lookup.identity);
  } catch (error) {
    if (!(error instanceof LicenceFileError)) throw error;
    return refused(error.code, error.message);
  }
  if (isClockRolledBack(lookup.now, new Date(claims.iat * 1000))) return refused('CLOCK_ROLLBACK', 'The computer clock is earlier than the time the licence file was issued.');
  const verdict = verdictFromClaims(claims, { offline: true, detail: 'Answered from the licence file (this computer was activated without a network).', warnings: [lookup.warning], now: lookup.now });
  return { verdict: { ...verdict, source: 'licence-file' }, claims };
}
