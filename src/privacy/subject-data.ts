/**
 * Every place that can hold a data subject's data is a SubjectDataStore. The export walks all
 * stores, the erasure erases them in order and then re-queries each (`count` must be 0), and a
 * test enumerates every Prisma model and fails when one that can hold subject data is covered
 * by no store — so a future table cannot be forgotten by the export or the erasure.
 *
 * Owners of other domains (licences, devices, validation, fraud, telemetry) should take over
 * their store file under src/privacy/stores/ and make it call their own module's functions.
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

export async function* fromArray<T extends ExportItem>(load: () => Promise<T[]>): AsyncIterable<ExportItem> {
  for (const item of await load()) yield item;
}
