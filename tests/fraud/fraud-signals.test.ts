/**
 * The signals as pure functions: for each, the scenario that must fire it and the honest
 * scenarios next to it that must not.
 */
import {
  accountFanout, churn, clockDrift, deviceFanout, macCollision, overlap, type SeenValue,
} from '../../src/fraud/fraud-signals';
import { machineAliases, resolveMachine, type KnownAlias } from '../../src/fraud/machine-identity';
import { thresholdsOf } from '../../src/fraud/thresholds';

const policy = { maxMachines: 2, maxUsers: 1, fraudWindowHours: 24, deviceFanoutThreshold: null, accountFanoutThreshold: null, churnThreshold: 6, clockDriftToleranceMinutes: 60, overlapWindowMinutes: 10 };
const t = thresholdsOf(policy);
const now = new Date('2026-03-29T09:00:00Z');
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);
const seen = (key: string, lastMinutesAgo: number): SeenValue => ({ key, firstAt: minutes(-lastMinutesAgo - 5), lastAt: minutes(-lastMinutesAgo), count: 3 });

/** Replays attempts through the machine resolver, as the observation store does. */
function machinesOf(attempts: { deviceId?: string; pc?: string; macs: string[]; at: Date }[]): SeenValue[] {
  const known: KnownAlias[] = [];
  const machines = new Map<string, SeenValue>();
  for (const a of attempts) {
    const aliases = machineAliases({ deviceId: a.deviceId ?? null, pcNameIndex: a.pc ?? null, macIndexes: a.macs });
    const { machineKey } = resolveMachine(aliases, known)!;
    for (const alias of aliases) if (!known.some((k) => k.alias === alias)) known.push({ alias, machineKey, lastAt: a.at });
    const m = machines.get(machineKey);
    machines.set(machineKey, m ? { ...m, lastAt: a.at, count: m.count + 1 } : { key: machineKey, firstAt: a.at, lastAt: a.at, count: 1 });
  }
  return [...machines.values()];
}

describe('thresholds', () => {
  it('fall back to the policy limits when the fan-out thresholds are not set', () => {
    expect(t.deviceFanout).toBe(2);
    expect(t.accountFanout).toBe(1);
    expect(thresholdsOf({ ...policy, deviceFanoutThreshold: 5 }).deviceFanout).toBe(5);
    expect(thresholdsOf({ maxMachines: 3, maxUsers: 2 })).toMatchObject({ deviceFanout: 3, accountFanout: 2, churn: 6, clockDriftMs: 3_600_000, overlapWindowMs: 600_000 });
  });
});

describe('device fan-out', () => {
  it('fires when a third and fourth machine try a two-machine licence within the window', () => {
    const verdict = deviceFanout([seen('a', 60), seen('b', 30), seen('c', 10), seen('d', 1)], t, now);
    expect(verdict).toMatchObject({ fire: true, severity: 'medium', evidence: { summary: { distinct: 4, threshold: 2 } } });
    if (verdict.fire) expect(verdict.evidence.items.map((i) => i.key)).toEqual(['machine:a', 'machine:b', 'machine:c', 'machine:d']);
  });

  it('counts refused attempts, which have no device row, by their PC name and MACs', () => {
    const machines = machinesOf([
      { deviceId: 'd1', pc: 'pc1', macs: ['m1'], at: minutes(-30) },
      { deviceId: 'd2', pc: 'pc2', macs: ['m2'], at: minutes(-20) },
      { pc: 'pc3', macs: ['m3'], at: minutes(-10) }, // TOO_MANY_MACHINES
      { pc: 'pc3', macs: ['m3'], at: minutes(-5) }, // the same refused PC again
    ]);
    expect(machines).toHaveLength(3);
    expect(deviceFanout(machines, t, now)).toMatchObject({ fire: true, severity: 'low' });
  });

  it('does not count machines last seen before the window', () => {
    expect(deviceFanout([seen('a', 30 * 60), seen('b', 26 * 60), seen('c', 10)], t, now).fire).toBe(false);
  });

  it('stays quiet for a laptop on a docking station (a new MAC, the same PC name)', () => {
    const machines = machinesOf([
      { deviceId: 'd1', pc: 'laptop', macs: ['wifi'], at: minutes(-300) },
      { deviceId: 'd1', pc: 'laptop', macs: ['wifi', 'dock-eth'], at: minutes(-200) },
      { deviceId: 'd2', pc: 'desktop', macs: ['eth'], at: minutes(-100) },
      { deviceId: 'd1', pc: 'laptop', macs: ['wifi'], at: minutes(-1) },
    ]);
    expect(machines).toHaveLength(2);
    expect(deviceFanout(machines, t, now).fire).toBe(false);
  });

  it('stays quiet for a PC renamed by IT (a new PC name, the same MACs)', () => {
    const machines = machinesOf([
      { deviceId: 'd1', pc: 'PC-OLD', macs: ['m1', 'm2'], at: minutes(-300) },
      { deviceId: 'd2', pc: 'laptop', macs: ['m9'], at: minutes(-200) },
      { pc: 'BXL-FIN-042', macs: ['m1', 'm2'], at: minutes(-10) },
    ]);
    expect(machines).toHaveLength(2);
    expect(deviceFanout(machines, t, now).fire).toBe(false);
  });

  it('stays quiet for a reinstalled PC that comes back as a new device row', () => {
    const machines = machinesOf([
      { deviceId: 'd1', pc: 'pc1', macs: ['m1'], at: minutes(-300) },
      { deviceId: 'd2', pc: 'laptop', macs: ['m9'], at: minutes(-200) },
      { deviceId: 'd3', pc: 'pc1', macs: ['m1'], at: minutes(-10) },
    ]);
    expect(machines).toHaveLength(2);
    expect(deviceFanout(machines, t, now).fire).toBe(false);
  });
});

describe('account fan-out', () => {
  it('fires when two NT accounts use a one-user licence within the window', () => {
    expect(accountFanout([seen('jdoe', 60), seen('asmith', 5)], t, now)).toMatchObject({ fire: true, severity: 'low' });
    expect(accountFanout([seen('a', 60), seen('b', 50), seen('c', 40), seen('d', 5)], t, now)).toMatchObject({ fire: true, severity: 'high' });
  });

  it('stays quiet for one account on several machines, and for an account last used before the window', () => {
    expect(accountFanout([seen('jdoe', 1)], t, now).fire).toBe(false);
    expect(accountFanout([seen('old-account', 25 * 60), seen('jdoe', 1)], t, now).fire).toBe(false);
  });
});

describe('churn', () => {
  it('fires on more activations and releases than the threshold in 30 days', () => {
    const verdict = churn({ activationsByDay: [{ day: '2026-03-20', count: 2 }, { day: '2026-03-28', count: 2 }], releases: [minutes(-5000), minutes(-3000), minutes(-100)] }, t, now);
    expect(verdict).toMatchObject({ fire: true, evidence: { summary: { activations: 4, releases: 3 } } });
  });

  it('stays quiet for a reinstalled PC released and re-activated once', () => {
    expect(churn({ activationsByDay: [{ day: '2026-03-01', count: 2 }, { day: '2026-03-29', count: 1 }], releases: [minutes(-60)] }, t, now).fire).toBe(false);
  });

  it('forgets activity older than 30 days', () => {
    expect(churn({ activationsByDay: [{ day: '2026-02-01', count: 9 }, { day: '2026-03-28', count: 1 }], releases: [minutes(-40 * 24 * 60)] }, t, now).fire).toBe(false);
  });
});

describe('MAC collision', () => {
  const sighting = (mac: string, pc: string, sameCustomer = false) => ({ macIndex: mac, otherLicenceId: `lic-${pc}`, otherDeviceId: `dev-${pc}`, otherPcNameIndex: pc, sameCustomer, lastSeenAt: minutes(-60) });

  it('fires when the only MAC of this machine is on another licence under another PC name (a clone)', () => {
    expect(macCollision({ pcNameIndex: 'vm-7', macIndexes: ['m1'], sightings: [sighting('m1', 'vm-3')] }, now)).toMatchObject({ fire: true, severity: 'high' });
    expect(macCollision({ pcNameIndex: 'vm-7', macIndexes: ['m1'], sightings: [sighting('m1', 'vm-3', true)] }, now)).toMatchObject({ fire: true, severity: 'medium' });
  });

  it('stays quiet for a shared docking station: the laptop also has an adapter of its own', () => {
    expect(macCollision({ pcNameIndex: 'laptop-a', macIndexes: ['wifi-a', 'dock'], sightings: [sighting('dock', 'laptop-b')] }, now).fire).toBe(false);
  });

  it('stays quiet for one machine under two licences (the same PC name)', () => {
    expect(macCollision({ pcNameIndex: 'pc1', macIndexes: ['m1'], sightings: [sighting('m1', 'pc1')] }, now).fire).toBe(false);
  });
});

describe('overlap', () => {
  const at = (network: string, m: number) => ({ networkHash: network, at: minutes(m) });

  it('fires when one device goes back and forth between two networks within the window', () => {
    expect(overlap([at('home', -8), at('elsewhere', -6), at('home', -3)], t, now)).toMatchObject({ fire: true, severity: 'medium' });
  });

  it('stays quiet for a laptop roaming from home to the office VPN (one move)', () => {
    expect(overlap([at('home', -9), at('home', -8), at('office-vpn', -2), at('office-vpn', -1)], t, now).fire).toBe(false);
  });

  it('stays quiet for a daily commute: back on the home network hours later', () => {
    expect(overlap([at('home', -600), at('office-vpn', -300), at('home', -1)], t, now).fire).toBe(false);
  });
});

describe('clock drift', () => {
  it('fires when the client clock is off by more than the tolerance, strongest when set back', () => {
    expect(clockDrift({ clientTime: minutes(-90) }, t, now)).toMatchObject({ fire: true, severity: 'low', evidence: { summary: { driftMinutes: -90 } } });
    expect(clockDrift({ clientTime: minutes(-3 * 24 * 60) }, t, now)).toMatchObject({ fire: true, severity: 'high' });
    expect(clockDrift({ clientTime: minutes(3 * 24 * 60) }, t, now)).toMatchObject({ fire: true, severity: 'medium' });
  });

  it('stays quiet across a daylight-saving switch (exactly one hour, plus ordinary skew)', () => {
    expect(clockDrift({ clientTime: minutes(60) }, t, now).fire).toBe(false);
    expect(clockDrift({ clientTime: new Date(minutes(-60).getTime() - 40_000) }, t, now).fire).toBe(false);
    expect(clockDrift({ clientTime: null }, t, now).fire).toBe(false);
  });
});
