import { isClockRolledBack, ServerTimeRecord } from './clock-guard.js';
import type { FetchFunction } from './http.js';
import { answerFromLicenceFile, type LicenceFileAnswer } from './offline/licence-file-answer.js';
import type { TokenCache } from './token-cache.js';
import { verifyLicenceToken, type LicenceClaims } from './token.js';
import type { TrustedKeyStore } from './trusted-keys.js';
import { validateOnline, type ValidateRequestBody } from './validate-online.js';
import { refusal, verdictFromClaims, type VerdictWithoutTelemetry } from './verdict.js';

export interface LicenceCheck {
  serverUrl: string;
  fetch: FetchFunction;
  keys: TrustedKeyStore;
  cache: TokenCache;
  serverTime: ServerTimeRecord;
  keyDigest: string;
  body: ValidateRequestBody;
  timeoutMs: number;
  now: Date;
  /** Where an imported licence file may be (air-gapped activation); none is looked for without it. */
  storageDir?: string;
}

export interface LicenceCheckResult {
  verdict: VerdictWithoutTelemetry;
  /** The verified token now in force (fresh or cached), for telemetry and release. */
  token: string | null;
  claims: LicenceClaims | null;
}

/**
 * Online first, within the timeout; the cached token only when the server gave no trustworthy
 * answer. An answer that fails verification is treated like no answer: a fake server can then
 * do no more than a pulled network cable.
 */
export async function checkLicence(check: LicenceCheck): Promise<LicenceCheckResult> {
  const online = await validateOnline({ serverUrl: check.serverUrl, fetch: check.fetch, keys: check.keys, body: check.body, timeoutMs: check.timeoutMs, now: check.now });
  const rolledBack = isClockRolledBack(check.now, check.serverTime.read());
  if (online.kind === 'verdict') {
    // Every verdict is cached, refusals included: a cached REVOKED must beat an older VALID offline.
    check.cache.save(online.token, check.keyDigest, check.now, online.detail);
    const serverNow = new Date(online.claims.iat * 1000);
    check.serverTime.record(serverNow);
    // The fresh signed iat is the server's time now: a clock behind it is wrong even on a first start.
    const warnings = rolledBack || isClockRolledBack(check.now, serverNow) ? [...online.warnings, 'CLOCK_ROLLBACK'] : online.warnings;
    const verdict = verdictFromClaims(online.claims, { offline: false, detail: online.detail, warnings, now: check.now });
    return { verdict: { ...verdict, source: 'online' }, token: online.token, claims: online.claims };
  }
  if (online.kind === 'unsigned-refusal') {
    return { verdict: { ...refusal(online.code, online.detail, online.warnings, false), source: 'online' }, token: null, claims: null };
  }
  const warning = online.kind === 'untrusted' ? 'UNTRUSTED_RESPONSE' : 'SERVER_UNREACHABLE';
  return answerOffline(check, rolledBack, warning);
}

async function answerOffline(check: LicenceCheck, rolledBack: boolean, warning: string): Promise<LicenceCheckResult> {
  if (rolledBack) return noAnswer('CLOCK_ROLLBACK', 'The computer clock is earlier than the last time the licence server was reached; correct the clock or go online.', warning);
  const fromCache = await answerFromCache(check, warning);
  const fromFile = check.storageDir
    ? await answerFromLicenceFile({ storageDir: check.storageDir, keys: check.keys, product: check.body.product, keyDigest: check.keyDigest, identity: check.body.device, now: check.now, warning })
    : null;
  return fromFile ? preferred(fromCache, fromFile) : fromCache;
}

const noAnswer = (code: string, detail: string, warning: string): LicenceCheckResult => ({ verdict: refusal(code, detail, [warning], true), token: null, claims: null });

/**
 * A PC can hold both a cached token (it was online once) and a licence file. Whichever signed
 * statement the service made last wins while it is still in force — a later REVOKED token beats
 * an older file, a later file beats an older token — and one that has run out gives way to the
 * other. With neither usable, the file's reason (LICENCE_FILE_EXPIRED, …) is the one to show.
 */
function preferred(fromCache: LicenceCheckResult, fromFile: LicenceFileAnswer): LicenceCheckResult {
  const file: LicenceCheckResult = { verdict: fromFile.verdict, token: null, claims: fromFile.claims };
  if (!fromCache.claims) return file;
  if (!fromFile.claims) return fromCache;
  return fromFile.claims.iat > fromCache.claims.iat ? file : fromCache;
}

async function answerFromCache(check: LicenceCheck, warning: string): Promise<LicenceCheckResult> {
  const none = (code: string, detail: string) => noAnswer(code, detail, warning);
  const cached = check.cache.load();
  if (!cached || cached.keyDigest !== check.keyDigest) {
    return none(warning === 'UNTRUSTED_RESPONSE' ? 'UNTRUSTED_RESPONSE' : 'OFFLINE_NO_TOKEN', 'The licence server could not be reached and this key has not been validated on this computer yet.');
  }
  const verification = await verifyLicenceToken(cached.token, { keys: check.keys, product: check.body.product, now: check.now });
  if (!verification.ok) {
    const expired = verification.reason === 'EXPIRED';
    return none(expired ? 'OFFLINE_GRACE_EXPIRED' : 'OFFLINE_NO_TOKEN', expired ? 'The offline grace period has ended; connect to the internet to renew the licence.' : 'The saved licence could not be verified.');
  }
  // The signed iat is a server time too, and survives someone deleting clock.json.
  if (isClockRolledBack(check.now, new Date(verification.claims.iat * 1000))) return none('CLOCK_ROLLBACK', 'The computer clock is earlier than the last licence check.');
  const verdict = verdictFromClaims(verification.claims, { offline: true, detail: offlineDetail(verification.claims.valid, cached.detail), warnings: [warning], now: check.now });
  return { verdict: { ...verdict, source: 'cache' }, token: cached.token, claims: verification.claims };
}

const OFFLINE_NOTE = 'Answered from the saved licence while the server is unreachable.';

/**
 * Offline, a refusal keeps its reason: the dialog the app shows for a revoked licence must still
 * say why, not only that the server could not be reached.
 */
function offlineDetail(valid: boolean, savedDetail: string | undefined): string {
  if (valid || !savedDetail) return OFFLINE_NOTE;
  return `${savedDetail} (${OFFLINE_NOTE.charAt(0).toLowerCase()}${OFFLINE_NOTE.slice(1, -1)})`;
}
