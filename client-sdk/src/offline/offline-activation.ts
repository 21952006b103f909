/**
 * Air-gapped activation (docs/offline-activation.md): a request file made here, a licence file
 * carried back and imported, a release file that frees the seat without a network.
 */
import { randomBytes, sign } from 'node:crypto';
import { ServerTimeRecord } from '../clock-guard.js';
import { describeOperatingSystem } from '../identity.js';
import { checkedKey, keyDigestOf, resolveIdentity } from '../licence-key.js';
import type { StartOptions } from '../start-options.js';
import { ensureDirectory } from '../storage.js';
import { TokenCache } from '../token-cache.js';
import { TrustedKeyStore } from '../trusted-keys.js';
import { verdictFromClaims, type LicenceVerdict } from '../verdict.js';
import { loadDeviceKey, loadOrCreateDeviceKey } from './device-key.js';
import { LicenceFileError } from './licence-file-error.js';
import { checkBinding, licenceFileParts, verifyLicenceFile } from './licence-file.js';
import { LicenceFileStore } from './licence-file-store.js';
import { PendingRequests } from './pending-requests.js';
import { encodeActivationRequest, REQUEST_FILE_NAME, REQUEST_FORMAT, type ActivationRequest } from './request-file.js';

/** What the offline functions need from start()'s options (the same object can be passed). */
export type OfflineOptions = Pick<StartOptions, 'key' | 'product' | 'appVersion' | 'publicKeys' | 'storageDir' | 'identity' | 'now'>;

export interface ActivationRequestFile {
  /** Contents of the request file (pretty-printed JSON) to save as `fileName`. */
  json: string;
  /** The same request as a short text to paste into an e-mail or type. */
  text: string;
  fileName: string;
  request: ActivationRequest;
}

export interface ReleaseFile {
  /** A compact JWS, signed with this device's key, to save as `fileName`. */
  text: string;
  fileName: string;
}

/** What importLicenceFile() accepted, as start() will answer from it offline. */
export type LicenceFileVerdict = Omit<LicenceVerdict, 'telemetry'>;

export const RELEASE_FILE_TYPE = 'nomina-release+jwt';
export const RELEASE_FILE_NAME = 'nomina-release.jws';

/** Writes nothing to the network: the request is carried to a PC that can reach the service. */
export function createActivationRequest(options: OfflineOptions): ActivationRequestFile {
  const { canonical, product } = checkedKey(options.key, options.product);
  const now = (options.now ?? (() => new Date()))();
  ensureDirectory(options.storageDir);
  const deviceKey = loadOrCreateDeviceKey(options.storageDir, now);
  const nonce = randomBytes(16).toString('base64url');
  const request: ActivationRequest = {
    format: REQUEST_FORMAT, version: 1, product, key: canonical, device: resolveIdentity(options.identity),
    app: { version: options.appVersion, os: describeOperatingSystem() }, nonce, createdAt: now.toISOString(), devicePublicKey: deviceKey.publicJwk,
  };
  // Remembered before the request leaves: only a licence file echoing this nonce will be accepted, once.
  new PendingRequests(options.storageDir).add({ nonce, createdAt: request.createdAt, keyDigest: keyDigestOf(canonical) }, now);
  return { ...encodeActivationRequest(request), fileName: REQUEST_FILE_NAME, request };
}

/** Learns the file's key set, verifies its licence (§3), stores it and consumes its request; throws LicenceFileError when refused. */
export async function importLicenceFile(options: OfflineOptions, contents: string | Uint8Array): Promise<LicenceFileVerdict> {
  const { canonical, product } = checkedKey(options.key, options.product);
  const now = (options.now ?? (() => new Date()))();
  ensureDirectory(options.storageDir);
  const { licence: file, keySets } = licenceFileParts(contents);
  const keys = await TrustedKeyStore.open(options.publicKeys, options.storageDir);
  // The key set first: a PC that never goes online learns a rotated key only from the file. As
  // online, a set counts only if signed by a pinned or learnt key, replaces only an older one, and
  // is kept (signed) in storage, where start() re-verifies it from the pinned keys.
  for (const keySet of keySets) await keys.learnFromSignedJwks(keySet);
  const claims = await verifyLicenceFile(file, { keys, product, now });
  // The binding first: a file copied to another PC is told so, not merely "unknown request".
  checkBinding(claims, loadDeviceKey(options.storageDir), resolveIdentity(options.identity));
  const pending = new PendingRequests(options.storageDir);
  const keyDigest = keyDigestOf(canonical);
  if (pending.find(claims.nonce, now)?.keyDigest !== keyDigest) throw new LicenceFileError('LICENCE_FILE_UNKNOWN_REQUEST');
  new LicenceFileStore(options.storageDir).save(file, keyDigest, now);
  pending.consume(claims.nonce, now);
  // The signed iat is the service's time: a clock set back later is caught offline, as with tokens.
  new ServerTimeRecord(options.storageDir).record(new Date(claims.iat * 1000));
  const verdict = verdictFromClaims(claims, { offline: true, detail: 'Activated with a licence file.', warnings: [], now });
  return { ...verdict, source: 'licence-file' };
}

/**
 * Frees the seat without a network: a release file signed with the device key, naming the
 * activation. The licence file (and any cached token) is removed first, so this PC stops
 * being licensed whether or not the release file ever reaches the service.
 */
export function createReleaseFile(options: OfflineOptions): ReleaseFile {
  const { product } = checkedKey(options.key, options.product);
  const now = (options.now ?? (() => new Date()))();
  const store = new LicenceFileStore(options.storageDir);
  const stored = store.load();
  const deviceKey = loadDeviceKey(options.storageDir);
  const claims = stored ? readClaimsUnverified(stored.licenceFile) : null;
  if (!claims || !deviceKey) throw new LicenceFileError('LICENCE_FILE_MISSING');
  const header = { alg: 'EdDSA', typ: RELEASE_FILE_TYPE };
  const payload = { lic: claims.lic, dev: claims.dev, act: claims.jti, product, iat: Math.floor(now.getTime() / 1000) };
  const input = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  const text = `${input}.${sign(null, Buffer.from(input), deviceKey.privateKey).toString('base64url')}`;
  store.clear();
  new TokenCache(options.storageDir).clear();
  return { text, fileName: RELEASE_FILE_NAME };
}

const base64urlJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** The stored file was verified at import; the release only needs its ids, and the service checks the release itself. */
function readClaimsUnverified(file: string): { lic: string; dev: string; jti: string } | null {
  try {
    const claims = JSON.parse(Buffer.from(file.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof claims.lic === 'string' && typeof claims.dev === 'string' && typeof claims.jti === 'string' ? { lic: claims.lic, dev: claims.dev, jti: claims.jti } : null;
  } catch {
    return null;
  }
}
