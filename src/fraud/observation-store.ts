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
import type { PrismaClient } from '../generated/prisma/client';
import type { Tx } from '../audit/audit-trail';
import type { KnownAlias } from './machine-identity';
import type { SeenValue } from './fraud-signals';

type Db = PrismaClient | Tx;

export interface ObservationWrite { kind: FraudObservationKind; valueIndex: string; ref?: string | null }

/** Records sightings at `now`; an existing row keeps its first sighting and its ref. */
export async function touchObservations(db: Db, licenceId: string, writes: ObservationWrite[], now: Date): Promise<void> {
  for (const w of writes) {
    await db.fraudObservation.upsert({
      where: { licenceId_kind_valueIndex: { licenceId, kind: w.kind, valueIndex: w.valueIndex } },
      create: { licenceId, kind: w.kind, valueIndex: w.valueIndex, ref: w.ref ?? null, firstAt: now, lastAt: now, count: 1 },
      update: { lastAt: now, count: { increment: 1 } },
    });
  }
}

export async function knownAliases(db: Db, licenceId: string, aliases: string[]): Promise<KnownAlias[]> {
  if (aliases.length === 0) return [];
  const rows = await db.fraudObservation.findMany({
    where: { licenceId, kind: 'machine_alias', valueIndex: { in: aliases } },
    select: { valueIndex: true, ref: true, lastAt: true },
  });
  return rows.map((r) => ({ alias: r.valueIndex, machineKey: r.ref ?? r.valueIndex, lastAt: r.lastAt }));
}

/** Machines or accounts of the licence seen since `since` (at most a few hundred rows). */
export async function seenSince(db: Db, licenceId: string, kind: 'machine' | 'account', since: Date): Promise<SeenValue[]> {
  const rows = await db.fraudObservation.findMany({
    where: { licenceId, kind, lastAt: { gte: since } },
    select: { valueIndex: true, firstAt: true, lastAt: true, count: true },
    orderBy: { firstAt: 'asc' },
    take: 500,
  });
  return rows.map((r) => ({ key: r.valueIndex, firstAt: r.firstAt, lastAt: r.lastAt, count: r.count }));
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
