/** One table from a problem+json answer to what the person reads (never a raw code). */
import type { Problem } from '../../shared/api';
import type { I18n } from '../../shared/i18n';
import type { MessageKey } from './messages';

const KNOWN = new Set(['NETWORK', 'RATE_LIMITED', 'INVALID_CODE', 'UNAUTHENTICATED', 'VALIDATION_FAILED', 'TRANSFER_BUDGET_EXHAUSTED', 'NOT_FOUND']);

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
