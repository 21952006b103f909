import type { ValidationCode } from '../generated/prisma/enums';
import type { SqlRunner } from './load-validation-facts';

export interface ValidationRecord {
  licenceId: string | null;
  deviceId: string | null;
  code: ValidationCode;
  appVersion: string | null;
  osVersion: string | null;
  networkHash: string | null;
  clientTime: Date | null;
  at: Date;
  /** also move the device's lastSeenAt (a VALID verdict on a known device) */
  touchDevice: boolean;
}

// One statement, one round trip: the security record and the device's lastSeenAt together. A
// device seen online is an online device from then on, even if it was activated from a request
// file (docs/offline-activation.md §6): its offline fields stay until it is released.
// Timestamps travel as UTC ISO strings cast to `timestamp(3)`, as Prisma stores them.
const RECORD = (commit: string) => `
WITH touched AS (UPDATE devices SET "lastSeenAt" = $8::timestamp(3), "activationMode" = 'online' WHERE $9::boolean AND id = $2::uuid RETURNING 1)
INSERT INTO validation_events ("licenceId", "deviceId", code, "appVersion", "osVersion", "networkHash", "clientTime", at)
SELECT $1::uuid, $2::uuid, $3::"ValidationCode", $4, $5, $6, $7::timestamp(3), $8::timestamp(3)${commit}`;

// On its own (the hot path), the statement is its own transaction and commits without waiting
// for the WAL flush: `set_config(…, true)` lasts until that commit only. The row is in the
// database before the verdict is answered, so an application crash loses nothing; only a crash
// of the database server itself could lose the last fraction of a second of events (PostgreSQL
// stays consistent: it never keeps half a transaction). Waiting for the flush on every
// validation would put the disk's fsync latency on every application start.
const RECORD_ASYNC_COMMIT = RECORD(` FROM (SELECT set_config('synchronous_commit', 'off', true)) AS async_commit`);
const RECORD_IN_TRANSACTION = RECORD('');

/**
 * Writes the validation event before the verdict is answered, never from a memory buffer that a
 * crash would lose. `inTransaction`: part of the caller's transaction (an activation), which
 * commits durably as a whole.
 */
export async function recordValidation(run: SqlRunner, record: ValidationRecord, inTransaction = false): Promise<void> {
  await run(inTransaction ? RECORD_IN_TRANSACTION : RECORD_ASYNC_COMMIT, [
    record.licenceId, record.deviceId, record.code, record.appVersion, record.osVersion, record.networkHash,
    record.clientTime?.toISOString() ?? null, record.at.toISOString(), record.touchDevice,
  ]);
}
