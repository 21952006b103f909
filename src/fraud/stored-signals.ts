/**
 * The signals that need state beyond one instance's memory: device and account fan-out, churn
 * and MAC collision. Each reads at most one indexed query bounded to the licence (or, for MAC
 * collision, to the new MACs through device_macs.macIndex), and only when the validation brought
 * something new or stale; a licence validating from its usual machine and account reads nothing.
 * The reads and the upsert of a first sighting share their statements with other licences
 * evaluated at the same time (fraud-statements.ts).
 */
import type { Services } from '../services';
import type { ValidationObservation } from './evaluate-validation';
import type { LicenceMemory } from './fraud-runtime';
import { accountFanout, churn, deviceFanout, macCollision, type SignalName, type SignalVerdict } from './fraud-signals';
import { machineAliases, resolveMachine } from './machine-identity';
import { fraudStatements } from './fraud-statements';
import { activationsSince, type ObservationWrite } from './observation-store';
import type { Thresholds } from './thresholds';

type Verdicts = [SignalName, SignalVerdict][];

function isFresh(memory: LicenceMemory, key: string, now: Date, freshMs: number): boolean {
  const at = memory.persisted.get(key);
  return at !== undefined && now.getTime() - at < freshMs && now.getTime() >= at;
}

export async function evaluateStoredSignals(services: Services, o: ValidationObservation, memory: LicenceMemory, t: Thresholds, freshMs: number): Promise<Verdicts> {
  const verdicts: Verdicts = [];
  const db = fraudStatements(services);
  const licenceId = o.licence.id;
  const writes: ObservationWrite[] = [];
  let newMacs = false;

  const aliases = machineAliases({ deviceId: o.device?.id ?? null, pcNameIndex: o.pcNameIndex, macIndexes: o.macIndexes });
  if (aliases.some((a) => !isFresh(memory, `alias:${a}`, o.at, freshMs))) {
    const known = await db.knownAliases(licenceId, aliases);
    const machine = resolveMachine(aliases, known);
    if (machine) {
      writes.push({ kind: 'machine', valueIndex: machine.machineKey }, ...aliases.map((alias) => ({ kind: 'machine_alias' as const, valueIndex: alias, ref: machine.machineKey })));
      newMacs = o.macIndexes.some((m) => !known.some((k) => k.alias === `mac:${m}`));
    }
  }
  const account = o.ntAccountIndex && !isFresh(memory, `account:${o.ntAccountIndex}`, o.at, freshMs) ? o.ntAccountIndex : null;
  if (account) writes.push({ kind: 'account', valueIndex: account });
  if (o.device?.new) writes.push({ kind: 'activation', valueIndex: o.at.toISOString().slice(0, 10) });
  if (writes.length === 0) return verdicts;

  await db.touchObservations(licenceId, writes, o.at);
  for (const w of writes) if (w.kind === 'machine_alias') memory.persisted.set(`alias:${w.valueIndex}`, o.at.getTime());
  if (account) memory.persisted.set(`account:${account}`, o.at.getTime());

  if (writes.some((w) => w.kind === 'machine' || w.kind === 'account')) {
    const seen = await db.seenSince(licenceId, new Date(o.at.getTime() - t.windowMs));
    if (writes.some((w) => w.kind === 'machine')) verdicts.push(['device_fanout', deviceFanout(seen.machines, t, o.at)]);
    if (account) verdicts.push(['account_fanout', accountFanout(seen.accounts, t, o.at)]);
  }
  if (newMacs) verdicts.push(['mac_collision', await macCollisionOf(services, o)]);
  if (o.device?.new) verdicts.push(['churn', await churnOf(services, o, t)]);
  return verdicts;
}

async function churnOf(services: Services, o: ValidationObservation, t: Thresholds): Promise<SignalVerdict> {
  const since = new Date(o.at.getTime() - t.churnWindowMs);
  const { ungrouped } = fraudStatements(services);
  const [activationsByDay, released] = await Promise.all([
    ungrouped(() => activationsSince(services.prisma, o.licence.id, since.toISOString().slice(0, 10))),
    // Releases are the devices domain's record (a released row stays; re-activation is a new row),
    // read through its (licenceId, releasedAt) index.
    ungrouped(() => services.prisma.device.findMany({ where: { licenceId: o.licence.id, releasedAt: { gte: since } }, select: { releasedAt: true }, take: 500 })),
  ]);
  return churn({ activationsByDay, releases: released.map((d) => d.releasedAt!) }, t, o.at);
}

/**
 * One indexed lookup on device_macs.macIndex, grouped with other licences' (fraud-statements.ts):
 * the same MACs on other licences, with their PC names.
 */
async function macCollisionOf(services: Services, o: ValidationObservation): Promise<SignalVerdict> {
  const sightings = await fraudStatements(services).macSightings(o.licence.id, o.licence.customerId, o.macIndexes);
  return macCollision({ pcNameIndex: o.pcNameIndex, macIndexes: o.macIndexes, sightings }, new Date(o.at));
}
