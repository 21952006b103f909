/** One table from a problem+json answer to what the person reads (never a raw code). */
import type { Problem } from '../../shared/api';
import type { I18n } from '../../shared/i18n';
import type { MessageKey } from './messages';

const KNOWN = new Set(['NETWORK', 'RATE_LIMITED', 'INVALID_CODE', 'UNAUTHENTICATED', 'VALIDATION_FAILED', 'TRANSFER_BUDGET_EXHAUSTED', 'OFFLINE_RELEASE_NEEDS_FILE', 'NOT_FOUND']);

export function problemText(problem: Problem, { t, date }: I18n<MessageKey>): string {
  if (KNOWN.has(problem.code)) {
    return t(`problem.${problem.code}` as MessageKey, { date: date(typeof problem.nextTransferAt === 'string' ? problem.nextTransferAt : null) });
  }
  return t('problem.generic', { ref: problem.requestId ?? problem.code });
}

/** A field's error: the server's words in English, a plain request to check the field in Dutch. */
export function fieldText(detail: string | undefined, { lang, t }: I18n<MessageKey>): string | undefined {
  if (!detail) return undefined;
  return lang === 'en' ? `${t('field.invalid')} ${detail[0].toUpperCase()}${detail.slice(1)}.` : t('field.invalid');
}

/** Why no licence file was made, or a release file not accepted: the validation's refusal codes in words. */
const OFFLINE_REFUSALS = new Set([
  'NOT_FOUND', 'SUSPENDED', 'REVOKED', 'NOT_YET_VALID', 'EXPIRED', 'PRODUCT_MISMATCH', 'USER_MISMATCH', 'TOO_MANY_USERS', 'TOO_MANY_MACHINES',
  'DEVICE_RELEASED', 'OFFLINE_NOT_ALLOWED', 'REQUEST_TOO_OLD', 'RELEASE_ALREADY_USED', 'RELEASE_INVALID', 'NO_FILE',
]);

/**
 * What the holder reads when a request or release file is refused. A key that is not the holder's
 * answers 404 (the page does not tell whose it is); a file that does not decode is a 400 at
 * /request or /release; the checks of /v1/validate refuse with 422 and their code.
 */
export function offlineProblemText(problem: Problem, file: 'request' | 'release', i18n: I18n<MessageKey>): string {
  const { t } = i18n;
  if (problem.code === 'NO_FILE') return t(`offline.problem.NO_FILE.${file}` as MessageKey);
  if (problem.status === 404 || problem.code === 'NOT_FOUND') return t(`offline.problem.NOT_FOUND.${file}` as MessageKey);
  if (problem.status === 400) return t(`offline.problem.unreadable.${file}` as MessageKey);
  if (problem.code === 'TRANSFER_BUDGET_EXHAUSTED') return problemText(problem, i18n); // with the day the next release is possible
  if (OFFLINE_REFUSALS.has(problem.code)) return t(`offline.problem.${problem.code}` as MessageKey);
  if (problem.status === 422 || problem.status === 409) return t(`offline.problem.refused.${file}` as MessageKey, { ref: problem.requestId ?? problem.code });
  return problemText(problem, i18n);
}
