/**
 * fraud_observations: the signals' rolling state, one row per (licence, kind, value) with its
 * first and last sighting and a count. Written by upsert when something is new (or its
 * `lastAt` is stale), read by indexed queries bounded to one licence — so evaluating a
 * validation costs the same on the first day and after ten years.
 *
 * Why a table of its own rather than validation_events: validation events hold one row per
 * validation (a busy licence has thousands a day), so counting distinct machines over them is a
 * scan of history; here a licence has one row per machine, alias, account and day.
 */
import type { FraudObservationKind } from '../generated/prisma/enums';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Tx } from '../audit/audit-trail';
import type { KnownAlias } from './machine-identity';
import type { SeenValue } from './fraud-signals';

type Db = PrismaClient | Tx;

export interface ObservationWrite { kind: FraudObservationKind; valueIndex: string; ref?: string | null }

/**
 * Records sightings at `now` in one statement (INSERT … ON CONFLICT DO UPDATE): an existing row
 * keeps its first sighting and its ref, and its lastAt only moves forward.
 */
export async function touchObservations(db: Db, licenceId: string, writes: ObservationWrite[], now: Date): Promise<void> {
  if (writes.length === 0) return;
  // One row may not be hit twice by one INSERT … ON CONFLICT: de-duplicate first.
  const unique = [...new Map(writes.map((w) => [`${w.kind}:${w.valueIndex}`, w])).values()];
  const rows = unique.map((w) => Prisma.sql`(${licenceId}::uuid, ${w.kind}::"FraudObservationKind", ${w.valueIndex}, ${w.ref ?? null}, ${now}, ${now}, 1)`);
  await db.$executeRaw(Prisma.sql`
    INSERT INTO fraud_observations ("licenceId", kind, "valueIndex", ref, "firstAt", "lastAt", count)
    VALUES ${Prisma.join(rows)}
    ON CONFLICT ("licenceId", kind, "valueIndex") DO UPDATE
      SET "lastAt" = GREATEST(fraud_observations."lastAt", EXCLUDED."lastAt"), count = fraud_observations.count + 1`);
}

export async function knownAliases(db: Db, licenceId: string, aliases: string[]): Promise<KnownAlias[]> {
  if (aliases.length === 0) return [];
  const rows = await db.fraudObservation.findMany({
    where: { licenceId, kind: 'machine_alias', valueIndex: { in: aliases } },
    select: { valueIndex: true, ref: true, lastAt: true },
  });
  return rows.map((r) => ({ alias: r.valueIndex, machineKey: r.ref ?? r.valueIndex, lastAt: r.lastAt }));
}

/** Machines and accounts of the licence seen since `since`, in one query (at most a few hundred rows). */
export async function seenSince(db: Db, licenceId: string, since: Date): Promise<{ machines: SeenValue[]; accounts: SeenValue[] }> {
  const rows = await db.fraudObservation.findMany({
    where: { licenceId, kind: { in: ['machine', 'account'] }, lastAt: { gte: since } },
    select: { kind: true, valueIndex: true, firstAt: true, lastAt: true, count: true },
    orderBy: { firstAt: 'asc' },
    take: 1000,
  });
  const seen = (kind: FraudObservationKind) => rows.filter((r) => r.kind === kind).map((r) => ({ key: r.valueIndex, firstAt: r.firstAt, lastAt: r.lastAt, count: r.count }));
  return { machines: seen('machine'), accounts: seen('account') };
}

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
