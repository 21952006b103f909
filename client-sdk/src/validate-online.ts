import { exchangeJson, joinUrl, type FetchFunction } from './http.js';
import type { DeviceIdentity } from './identity.js';
import { verifyLicenceToken, type LicenceClaims } from './token.js';
import type { SignedJwks, TrustedKeyStore } from './trusted-keys.js';

/** Where the server publishes its key set signed by its keys (see README, "Key rotation"). */
export const SIGNED_JWKS_PATH = '/.well-known/jwks.signed';

export interface ValidateRequestBody {
  key: string;
  product: string;
  device: DeviceIdentity;
  app: { version: string; os: string };
  nonce: string;
  clientTime: string;
  /** Sent only when true: re-activate a released PC. */
  activate?: true;
}

export type OnlineOutcome =
  | { kind: 'verdict'; claims: LicenceClaims; token: string; detail: string; warnings: string[] }
  /** A refusal without a token (e.g. NOT_FOUND has no licence to sign for): believed only as a "no". */
  | { kind: 'unsigned-refusal'; code: string; detail: string; warnings: string[] }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'untrusted'; reason: string };

export interface OnlineValidation {
  serverUrl: string;
  fetch: FetchFunction;
  keys: TrustedKeyStore;
  body: ValidateRequestBody;
  timeoutMs: number;
  now: Date;
}

const asStrings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

// A monotonic clock in ms; process.hrtime rather than the global `performance`, whose first use
// loads a module during the app's start (issue 15).
const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

export async function validateOnline(input: OnlineValidation): Promise<OnlineOutcome> {
  const deadline = monotonicMs() + input.timeoutMs;
  let response;
  try {
    response = await exchangeJson(input.fetch, joinUrl(input.serverUrl, '/v1/validate'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(input.body),
    }, input.timeoutMs);
  } catch {
    return { kind: 'unreachable', reason: 'NETWORK' };
  }
  const answer = response.body as Record<string, unknown> | undefined;
  if (response.status !== 200 || !answer) return { kind: 'unreachable', reason: `HTTP_${response.status}` };
  if (answer.nonce !== input.body.nonce) return { kind: 'untrusted', reason: 'NONCE_ECHO_MISMATCH' };
  const detail = typeof answer.detail === 'string' ? answer.detail : '';
  const warnings = asStrings(answer.warnings);
  if (typeof answer.token !== 'string') {
    return answer.valid === false && typeof answer.code === 'string'
      ? { kind: 'unsigned-refusal', code: answer.code, detail, warnings }
      : { kind: 'untrusted', reason: 'NO_TOKEN' };
  }
  const expectations = { keys: input.keys, product: input.body.product, nonce: input.body.nonce, now: input.now };
  let verification = await verifyLicenceToken(answer.token, expectations);
  if (!verification.ok && verification.reason === 'UNKNOWN_KEY') {
    // A rotated server key: learn it, but only from a key set signed by a key already trusted.
    if (await learnSignedKeySet(input, deadline - monotonicMs())) verification = await verifyLicenceToken(answer.token, expectations);
  }
  if (!verification.ok) return { kind: 'untrusted', reason: verification.reason };
  return { kind: 'verdict', claims: verification.claims, token: answer.token, detail, warnings };
}

async function learnSignedKeySet(input: OnlineValidation, timeoutMs: number): Promise<boolean> {
  if (timeoutMs <= 0) return false;
  try {
    // The server lets caches keep the key set for minutes; right after a rotation a cached copy
    // (Electron's net.fetch, a corporate proxy) would lack the new key, so ask for a fresh one.
    const headers = { accept: 'application/jose+json, application/json', 'cache-control': 'no-cache' };
    const response = await exchangeJson(input.fetch, joinUrl(input.serverUrl, SIGNED_JWKS_PATH), { method: 'GET', headers }, timeoutMs);
    if (response.status !== 200 || response.body === undefined) return false;
    return (await input.keys.learnFromSignedJwks(response.body as SignedJwks)) === 'LEARNT';
  } catch {
    return false;
  }
}
