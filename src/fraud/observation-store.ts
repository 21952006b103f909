/**
 * fraud_observations: the signals' rolling state, one row per (licence, kind, value) with its
 * first and last sighting and a count. Written by upsert when something is new (or its
 * `lastAt` is stale), read by indexed queries bounded to one licence — so evaluating a
 * validation costs the same on the first day and after ten years.
 *
 * Why a table of its own rather than validation_events: validation events hold one row per
 * validation (a busy licence has thousands a day), so counting distinct machines over them is a
 * scan of history; here a licence has one row per machine, alias, account and day.
 *
 * The statements of a first sighting (known aliases, the upsert, machines and accounts seen) are
 * grouped across licences in fraud-statements.ts; the rarer reads stay here.
 */
import type { FraudObservationKind } from '../generated/prisma/enums';
import type { PrismaClient } from '../generated/prisma/client';
import type { Tx } from '../audit/audit-trail';

type Db = PrismaClient | Tx;

export interface ObservationWrite { kind: FraudObservationKind; valueIndex: string; ref?: string | null }

export async function activationsSince(db: Db, licenceId: string, firstDay: string): Promise<{ day: string; count: number }[]> {
  const rows = await db.fraudObservation.findMany({
    where: { licenceId, kind: 'activation', valueIndex: { gte: firstDay } },
    select: { valueIndex: true, count: true },
  });
  return rows.map((r) => ({ day: r.valueIndex, count: r.count }));
}

/**
 * Drops rows not seen since `before` (retention: they expire with validation events). Indexed
 * on lastAt; callers pass a date at least 30 days back so churn keeps its window.
 */
export async function expireFraudObservations(db: Db, before: Date): Promise<number> {
  const { count } = await db.fraudObservation.deleteMany({ where: { lastAt: { lt: before } } });
  return count;
}
