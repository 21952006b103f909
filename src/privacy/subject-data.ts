/**
 * Every place that can hold a data subject's data is a SubjectDataStore. The export walks all
 * stores, the erasure erases them in order and then re-queries each (`count` must be 0), and a
 * test enumerates every Prisma model and fails when one that can hold subject data is covered
 * by no store — so a future table cannot be forgotten by the export or the erasure.
 *
 * Each domain implements the stores of its own tables, next to its code (src/licences/licence-subject-data.ts,
 * src/devices/device-subject-data.ts, src/fraud/subject-fraud-data.ts, src/telemetry/subject-telemetry.ts);
 * src/privacy/stores/ holds the privacy module's own stores and the registry that orders them all.
 */
import type { Tx } from '../audit/audit-trail';
import type { Services } from '../services';
import type { DataCategoryId } from './register/catalogue';

/** Everything needed to find a subject's data, resolved once (and frozen in an erasure job). */
export interface SubjectScope {
  contactId: string;
  customerId: string | null;
  /** licences held by the subject */
  licenceIds: string[];
  /** devices of those licences */
  deviceIds: string[];
  /** blind index of the e-mail address on record (verification codes are keyed by it) */
  emailIndex: string | null;
  /** "YYYY-MM" months whose telemetry pseudonyms may hold the subject's events */
  telemetryMonths: string[];
}

export type ExportItem = Record<string, unknown>;

export interface SubjectDataStore {
  /** stable name, used in exports, receipts and erasure progress */
  name: string;
  /** the register category (src/privacy/register/catalogue.ts) */
  category: DataCategoryId;
  /** the Prisma models this store covers (checked by the completeness test) */
  models: string[];
  /** when erasure keeps something on purpose: what and on which legal basis */
  legalBasisForKeeping?: string;
  /** the subject's data in this store, as JSON-ready items; streamed for big stores */
  export(services: Services, scope: SubjectScope): AsyncIterable<ExportItem>;
  /** erases (or minimises) the subject's data; returns how many records were affected. Idempotent. */
  erase(services: Services, scope: SubjectScope, tx: Tx): Promise<number>;
  /** how much of the subject's personal data is left here: 0 after a successful erasure */
  count(services: Services, scope: SubjectScope): Promise<number>;
  /** how many records were kept on purpose (with `legalBasisForKeeping`) */
  kept?(services: Services, scope: SubjectScope): Promise<number>;
}

/** Adapts a loader of a small, bounded list to `export`. Big stores page or stream instead. */
export async function* fromArray<T extends ExportItem>(load: () => Promise<T[]>): AsyncIterable<ExportItem> {
  for (const item of await load()) yield item;
}

/** The subject's data key, or null once destroyed: load it once per export, then open fields with it. */
export async function subjectKey(services: Services, contactId: string): Promise<Buffer | null> {
  return services.subjects.loadKey(contactId);
}

/**
 * Opens a field a domain sealed with the subject's key (associated data `<subjectId>/<label>`,
 * each domain names its labels). A field that does not open is exported as "[unreadable]" rather
 * than failing the whole export; with the key destroyed it reads "[erased]".
 */
export function openField(services: Services, key: Buffer | null, contactId: string, sealed: string | null, labels: readonly string[]): string | null {
  if (sealed === null) return null;
  if (!key) return '[erased]';
  for (const label of labels) {
    try {
      return services.subjects.decryptWith(key, contactId, label, sealed);
    } catch {
      // wrong label: try the next spelling
    }
  }
  return '[unreadable]';
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
