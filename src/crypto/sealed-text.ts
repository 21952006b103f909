/**
 * Free text that staff or the person typed about the person — a suspension reason, a request's
 * reason, how identity was checked, a fraud decision's reason — is personal data about them
 * ("Jan left for another department"). It is sealed with the person's key when written, like
 * their contact fields, so erasure shreds it everywhere at once: in the database, its backups,
 * and the embedded database's files and write-ahead log, where a later UPDATE to null would still
 * leave the old text behind.
 *
 * Rows written before this was introduced hold plain text; `openText` shows those as they are.
 */
import type { Services } from '../services';
import { SubjectKeyDestroyedError } from './subject-keys';

const SEALED = /^v1\.[A-Za-z0-9_-]{40,}$/;

export type TextField = 'licence.status_reason' | 'fraud_alert.decision_reason'
  | 'privacy_request.reason' | 'privacy_request.extension_reason' | 'privacy_request.identity_method' | 'privacy_request.outcome';

export async function sealText(services: Services, subjectId: string | null, field: TextField, value: string | null | undefined): Promise<string | null> {
  if (value === null || value === undefined) return null;
  if (!subjectId) return value;
  try {
    return await services.subjects.encrypt(subjectId, field, value);
  } catch (error) {
    // The person was erased meanwhile: nothing about them may be written any more.
    if (error instanceof SubjectKeyDestroyedError) return null;
    throw error;
  }
}

/** The text as written; '[erased]' once the person's key is destroyed. */
export async function openText(services: Services, subjectId: string | null, field: TextField, stored: string | null): Promise<string | null> {
  if (stored === null || !subjectId || !SEALED.test(stored)) return stored;
  const key = await services.subjects.loadKey(subjectId);
  if (!key) return '[erased]';
  return services.subjects.decryptWith(key, subjectId, field, stored);
}
