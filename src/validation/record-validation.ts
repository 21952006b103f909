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

// One statement, one round trip: the security record and the device's lastSeenAt together.
// Timestamps travel as UTC ISO strings cast to `timestamp(3)`, as Prisma stores them.
const RECORD = `
WITH touched AS (UPDATE devices SET "lastSeenAt" = $8::timestamp(3) WHERE $9::boolean AND id = $2::uuid RETURNING 1)
INSERT INTO validation_events ("licenceId", "deviceId", code, "appVersion", "osVersion", "networkHash", "clientTime", at)
VALUES ($1::uuid, $2::uuid, $3::"ValidationCode", $4, $5, $6, $7::timestamp(3), $8::timestamp(3))`;

/**
 * Writes the validation event synchronously, before the verdict is answered: it is a security
 * record, so it is never held in a memory buffer that a crash would lose. It costs one round
 * trip on the hot path (measured in bench/validate.bench.ts).
 */
export async function recordValidation(run: SqlRunner, record: ValidationRecord): Promise<void> {
  await run(RECORD, [
    record.licenceId, record.deviceId, record.code, record.appVersion, record.osVersion, record.networkHash,
    record.clientTime?.toISOString() ?? null, record.at.toISOString(), record.touchDevice,
  ]);
}
