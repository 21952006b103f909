/**
 * @nomina/client-sdk — licence validation and durable, privacy-first telemetry.
 *
 *   const licence = await start({ serverUrl, key, product, appVersion, publicKeys, storageDir });
 *   track('export_pdf', { pages: 3 });
 *   await shutdown();
 *
 * The functions below drive one client per process; create NominaClient instances for more.
 */
import { NominaClient, type ReleaseResult, type StartOptions } from './client.js';
import type { LicenceVerdict } from './verdict.js';

let current: NominaClient | null = null;

export async function start(options: StartOptions): Promise<LicenceVerdict> {
  const previous = current;
  current = new NominaClient(options);
  if (previous) await previous.shutdown(0);
  return current.start();
}

/** Records a feature use; cheap and synchronous, safe to call before start() (ignored). */
export function track(name: string, props?: Record<string, unknown>): void {
  current?.track(name, props);
}

/** Records an error with personal data scrubbed from its message and stack. */
export function trackError(error: unknown): void {
  current?.trackError(error);
}

export async function flush(): Promise<void> {
  await current?.flush();
}

export async function shutdown(timeoutMs?: number): Promise<void> {
  await current?.shutdown(timeoutMs);
}

export async function release(timeoutMs?: number): Promise<ReleaseResult> {
  return current ? current.release(timeoutMs) : { released: false, reason: 'NO_TOKEN' };
}

export { NominaClient, type ReleaseResult, type StartOptions } from './client.js';
export { InvalidKeyError, type InvalidKeyReason } from './errors.js';
export { collectDeviceIdentity, type DeviceIdentity, type IdentitySources } from './identity.js';
export { normaliseKey, isWellFormedKey, keyLast4, type KeyParseResult, type KeyFormatFailureReason } from './key-format.js';
export { selectPhysicalMacs, type InterfaceTable } from './mac-filter.js';
export type { TelemetryLevel } from './telemetry/levels.js';
export type { PublicJwk } from './trusted-keys.js';
export { SIGNED_JWKS_PATH } from './validate-online.js';
export type { LicenceVerdict, OfflineCode } from './verdict.js';
export type { VerdictSource } from './verdict.js';
export {
  createActivationRequest, importLicenceFile, createReleaseFile,
  type OfflineOptions, type ActivationRequestFile, type LicenceFileVerdict, type ReleaseFile,
} from './offline/offline-activation.js';
export { LicenceFileError, type LicenceFileErrorCode } from './offline/licence-file-error.js';
export type { ActivationRequest } from './offline/request-file.js';
