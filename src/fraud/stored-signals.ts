/**
 * The signals that need state beyond one instance's memory: device and account fan-out, churn
 * and MAC collision. Each reads at most one indexed query bounded to the licence (or, for MAC
 * collision, to the new MACs through device_macs.macIndex), and only when the validation brought
 * something new or stale; a licence validating from its usual machine and account reads nothing.
 */
import type { Services } from '../services';
import type { ValidationObservation } from './evaluate-validation';
import type { LicenceMemory } from './fraud-runtime';
import { accountFanout, churn, deviceFanout, macCollision, type MacSighting, type SignalName, type SignalVerdict } from './fraud-signals';
import { machineAliases, resolveMachine } from './machine-identity';
import { activationsSince, knownAliases, seenSince, touchObservations } from './observation-store';
import type { Thresholds } from './thresholds';

type Verdicts = [SignalName, SignalVerdict][];

function isFresh(memory: LicenceMemory, key: string, now: Date, freshMs: number): boolean {
  const at = memory.persisted.get(key);
  return at !== undefined && now.getTime() - at < freshMs && now.getTime() >= at;
}

export async function evaluateStoredSignals(services: Services, o: ValidationObservation, memory: LicenceMemory, t: Thresholds, freshMs: number): Promise<Verdicts> {
  const verdicts: Verdicts = [];
  const db = services.prisma;
  const licenceId = o.licence.id;
  const since = new Date(o.at.getTime() - t.windowMs);

  const aliases = machineAliases({ deviceId: o.device?.id ?? null, pcNameIndex: o.pcNameIndex, macIndexes: o.macIndexes });
  if (aliases.some((a) => !isFresh(memory, `alias:${a}`, o.at, freshMs))) {
    const known = await knownAliases(db, licenceId, aliases);
    const machine = resolveMachine(aliases, known);
    if (machine) {
      await touchObservations(db, licenceId, [
        { kind: 'machine', valueIndex: machine.machineKey },
        ...aliases.map((alias) => ({ kind: 'machine_alias' as const, valueIndex: alias, ref: machine.machineKey })),
      ], o.at);
      for (const alias of aliases) memory.persisted.set(`alias:${alias}`, o.at.getTime());
      verdicts.push(['device_fanout', deviceFanout(await seenSince(db, licenceId, 'machine', since), t, o.at)]);
      const newMacs = o.macIndexes.filter((m) => !known.some((k) => k.alias === `mac:${m}`));
      if (newMacs.length > 0) verdicts.push(['mac_collision', await macCollisionOf(services, o)]);
    }
  }

  if (o.ntAccountIndex && !isFresh(memory, `account:${o.ntAccountIndex}`, o.at, freshMs)) {
    await touchObservations(db, licenceId, [{ kind: 'account', valueIndex: o.ntAccountIndex }], o.at);
    memory.persisted.set(`account:${o.ntAccountIndex}`, o.at.getTime());
    verdicts.push(['account_fanout', accountFanout(await seenSince(db, licenceId, 'account', since), t, o.at)]);
  }

  if (o.device?.new) {
    await touchObservations(db, licenceId, [{ kind: 'activation', valueIndex: o.at.toISOString().slice(0, 10) }], o.at);
    const churnSince = new Date(o.at.getTime() - t.churnWindowMs);
    const [activationsByDay, released] = await Promise.all([
      activationsSince(db, licenceId, churnSince.toISOString().slice(0, 10)),
      // Releases are the devices domain's record; read through its (licenceId, releasedAt) index.
      db.device.findMany({ where: { licenceId, releasedAt: { gte: churnSince } }, select: { releasedAt: true }, take: 500 }),
    ]);
    verdicts.push(['churn', churn({ activationsByDay, releases: released.map((d) => d.releasedAt!) }, t, o.at)]);
  }
  return verdicts;
}

/** One indexed query on device_macs.macIndex: the same MACs on other licences, with their PC names. */
async function macCollisionOf(services: Services, o: ValidationObservation): Promise<SignalVerdict> {
  const rows = await services.prisma.deviceMac.findMany({
    where: { macIndex: { in: o.macIndexes }, licenceId: { not: o.licence.id } },
    select: { macIndex: true, licenceId: true, lastSeenAt: true, device: { select: { id: true, pcNameIndex: true, licence: { select: { customerId: true } } } } },
    take: 50,
  });
  const sightings: MacSighting[] = rows.map((r) => ({
    macIndex: r.macIndex, otherLicenceId: r.licenceId, otherDeviceId: r.device.id, otherPcNameIndex: r.device.pcNameIndex,
    sameCustomer: r.device.licence.customerId === o.licence.customerId, lastSeenAt: r.lastSeenAt,
  }));
  return macCollision({ pcNameIndex: o.pcNameIndex, macIndexes: o.macIndexes, sightings }, new Date(o.at));
}
