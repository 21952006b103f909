/**
 * Signals end to end: real validations (POST /v1/validate) against the real database, evaluated
 * after the response; each signal with the scenario that fires it and the honest one next to it.
 */
import { releaseDevice } from '../../src/devices/release-device';
import { drainFraudEvaluations } from '../../src/fraud/fraud-runtime';
import { recordFraudSignal } from '../../src/fraud/record-fraud-signal';
import type { Policy } from '../../src/generated/prisma/client';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, randomMac, validate, validateBody, type DeviceInput } from '../validation/validate-helpers';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

type FraudFields = Partial<Pick<Policy, 'fraudWindowHours' | 'deviceFanoutThreshold' | 'accountFanoutThreshold' | 'churnThreshold' | 'clockDriftToleranceMinutes' | 'overlapWindowMinutes' | 'transfersPer30Days'>>;

async function world(limits: { maxMachines?: number; maxUsers?: number } = {}, fraud: FraudFields = {}) {
  const built = await buildLicence(h, { policy: { maxMachines: limits.maxMachines ?? 2, maxUsers: limits.maxUsers ?? 1 } });
  if (Object.keys(fraud).length > 0) await h.services.prisma.policy.update({ where: { id: built.policy.id }, data: fraud });
  return { ...built, code: built.product.code };
}
type World = Awaited<ReturnType<typeof world>>;

async function check(w: World, device: DeviceInput, extra: Record<string, unknown> = {}, address?: string) {
  const res = await validate(h, validateBody(w.key, w.code, device, extra), address);
  expect(res.status).toBe(200);
  await drainFraudEvaluations(h.services);
  return res.body as { valid: boolean; code: string; warnings: string[]; device: { id: string; new: boolean } | null; token: string };
}

const alertsOf = (licenceId: string) => h.services.prisma.fraudAlert.findMany({ where: { licenceId }, orderBy: { openedAt: 'asc' } });
const signalsOf = async (licenceId: string) => (await alertsOf(licenceId)).map((a) => a.signal).sort();

describe('device fan-out', () => {
  it('opens one alert when a third and a fourth PC try a two-machine licence, and validation then warns UNDER_REVIEW', async () => {
    const w = await world();
    await check(w, aDevice({ pcName: 'PC-1' }));
    await check(w, aDevice({ pcName: 'PC-2' }));
    expect((await check(w, aDevice({ pcName: 'PC-3' }))).code).toBe('TOO_MANY_MACHINES');
    expect((await check(w, aDevice({ pcName: 'PC-4' }))).code).toBe('TOO_MANY_MACHINES');
    const alerts = await alertsOf(w.licence.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ signal: 'device_fanout', status: 'open', openKey: `${w.licence.id}:device_fanout`, customerId: w.licence.customerId });
    // Sealed evidence is base64url after the envelope prefix: no quote, brace or space of plain JSON can
    // appear in it (a bare substring such as 'PC-' can, by chance, in random ciphertext).
    expect(alerts[0].evidenceEnc).toMatch(/^v1\.[A-Za-z0-9_\-.]+$/);
    const again = await check(w, aDevice({ pcName: 'PC-1', macAddresses: [] }));
    expect(again).toMatchObject({ valid: true, code: 'VALID' });
    expect(again.warnings).toContain('UNDER_REVIEW');
    expect((await h.services.prisma.licence.findUniqueOrThrow({ where: { id: w.licence.id } })).status).toBe('active');
  });

  it('stays quiet for a laptop on a docking station and a desktop', async () => {
    const w = await world();
    const laptop = aDevice({ pcName: 'LAPTOP-JDOE' });
    await check(w, laptop);
    await check(w, { ...laptop, macAddresses: [...laptop.macAddresses, randomMac()] });
    await check(w, aDevice({ pcName: 'DESKTOP-JDOE' }));
    await check(w, laptop);
    expect(await alertsOf(w.licence.id)).toEqual([]);
  });

  it('stays quiet for a PC renamed by IT', async () => {
    const w = await world();
    const pc = aDevice({ pcName: 'PC-OLD-NAME' });
    await check(w, pc);
    await check(w, aDevice({ pcName: 'LAPTOP' }));
    const renamed = await check(w, { ...pc, pcName: 'BXL-FIN-042' });
    expect(renamed.code).toBe('VALID');
    expect(await alertsOf(w.licence.id)).toEqual([]);
  });
});

describe('account fan-out', () => {
  it('fires when a second NT account uses a one-user licence, refused attempts included', async () => {
    const w = await world();
    const pc = aDevice();
    await check(w, pc);
    expect((await check(w, { ...pc, ntUsername: 'asmith' })).code).toBe('USER_MISMATCH');
    expect(await signalsOf(w.licence.id)).toEqual(['account_fanout']);
  });

  it('stays quiet for one person on two machines', async () => {
    const w = await world();
    await check(w, aDevice());
    await check(w, aDevice());
    expect(await alertsOf(w.licence.id)).toEqual([]);
  });
});

describe('clock drift', () => {
  it('fires when the client clock is three hours behind', async () => {
    const w = await world();
    await check(w, aDevice(), { clientTime: new Date(Date.now() - 3 * 3600_000).toISOString() });
    const [alert] = await alertsOf(w.licence.id);
    expect(alert).toMatchObject({ signal: 'clock_drift', severity: 'low' });
  });

  it('stays quiet across a daylight-saving switch (one hour off)', async () => {
    const w = await world();
    const pc = aDevice();
    await check(w, pc, { clientTime: new Date(Date.now() + 3600_000).toISOString() });
    await check(w, pc, { clientTime: new Date(Date.now() - 3600_000).toISOString() });
    expect(await alertsOf(w.licence.id)).toEqual([]);
  });
});

describe('overlap', () => {
  it('fires when one device validates from one network, another, then the first again within minutes', async () => {
    const w = await world();
    const pc = aDevice();
    await check(w, pc, {}, '192.0.2.10');
    await check(w, pc, {}, '198.51.100.20');
    await check(w, pc, {}, '192.0.2.11');
    expect(await signalsOf(w.licence.id)).toEqual(['overlap']);
    const events = await h.services.prisma.validationEvent.findMany({ where: { licenceId: w.licence.id } });
    expect(events.every((e) => e.networkHash && !e.networkHash.includes('192.0.2'))).toBe(true);
  });

  it('stays quiet for a laptop roaming from home to the office VPN', async () => {
    const w = await world();
    const pc = aDevice();
    await check(w, pc, {}, '203.0.113.5');
    await check(w, pc, {}, '203.0.113.5');
    await check(w, pc, {}, '192.0.2.200');
    await check(w, pc, {}, '192.0.2.201');
    expect(await alertsOf(w.licence.id)).toEqual([]);
  });
});

describe('MAC collision', () => {
  it('fires when a MAC comes back under another PC name on another customer\u2019s licence (a cloned image)', async () => {
    const a = await world();
    const b = await world();
    const mac = randomMac();
    await check(a, aDevice({ pcName: 'IMG-0001', macAddresses: [mac] }));
    await check(b, aDevice({ pcName: 'IMG-0002', macAddresses: [mac] }));
    const [alert] = await alertsOf(b.licence.id);
    expect(alert).toMatchObject({ signal: 'mac_collision', severity: 'high' });
    expect(await alertsOf(a.licence.id)).toEqual([]);
  });

  it('stays quiet for one machine that uses two licences (the same PC name)', async () => {
    const a = await world();
    const b = await world();
    const pc = aDevice({ pcName: 'PC-SHARED-BY-PRODUCTS' });
    await check(a, pc);
    await check(b, pc);
    expect([...await alertsOf(a.licence.id), ...await alertsOf(b.licence.id)]).toEqual([]);
  });
});

describe('churn', () => {
  async function activateAndRelease(w: World, device: DeviceInput) {
    const verdict = await check(w, device);
    await releaseDevice(h.services, { licenceId: w.licence.id, deviceId: verdict.device!.id, by: 'sdk', actor: { type: 'system' } });
  }

  it('fires on more activations and releases in 30 days than the policy\u2019s threshold', async () => {
    // Fan-out set high: three PCs one after another is also more machines than a one-PC licence allows.
    const w = await world({ maxMachines: 1 }, { churnThreshold: 3, transfersPer30Days: 10, deviceFanoutThreshold: 5 });
    await activateAndRelease(w, aDevice());
    await activateAndRelease(w, aDevice());
    await check(w, aDevice());
    expect(await signalsOf(w.licence.id)).toEqual(['churn']);
  });

  it('stays quiet for a reinstalled PC released and re-activated once', async () => {
    const w = await world({ maxMachines: 1 });
    const pc = aDevice();
    await activateAndRelease(w, pc);
    expect((await check(w, pc)).code).toBe('DEVICE_RELEASED');
    const back = await check(w, pc, { activate: true });
    expect(back).toMatchObject({ code: 'VALID', device: { new: true } });
    await check(w, pc);
    expect(await alertsOf(w.licence.id)).toEqual([]);
  });
});

describe('one open alert per licence and signal', () => {
  it('opens one alert for many parallel validations', async () => {
    const w = await world({ maxMachines: 1 });
    const results = await Promise.all(Array.from({ length: 8 }, () => validate(h, validateBody(w.key, w.code, aDevice()))));
    expect(results.every((r) => r.status === 200)).toBe(true);
    await drainFraudEvaluations(h.services);
    expect(await signalsOf(w.licence.id)).toEqual(['device_fanout']);
  });

  it('opens one alert when the same signal is recorded concurrently (the unique openKey, not the queue, guarantees it)', async () => {
    const w = await world();
    const firing = { licenceId: w.licence.id, customerId: w.licence.customerId, holderId: w.holderId, signal: 'clock_drift' as const, severity: 'low' as const, coolDownMs: 3600_000 };
    const now = new Date();
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => recordFraudSignal(h.services, {
      ...firing, evidence: { summary: { driftMinutes: -90 - i }, items: [{ key: `drift:${i}`, kind: 'drift', firstAt: now.toISOString(), lastAt: now.toISOString(), count: 1 }] },
    }, now)));
    expect(outcomes.filter((o) => o === 'opened')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'updated')).toHaveLength(9);
    const alerts = await alertsOf(w.licence.id);
    expect(alerts).toHaveLength(1);
    const staff = await h.login('privacy_officer');
    const read = await h.api.get(`/v1/fraud/alerts/${alerts[0].id}`).set(h.auth(staff)).expect(200);
    expect(read.body.evidence.items).toHaveLength(10);
    expect(read.body.evidence.occurrences).toBe(10);
  });
});

describe('recording a signal that must open nothing', () => {
  const firingOf = (w: World, severity: 'low' | 'high' = 'low') => {
    const now = new Date().toISOString();
    return { licenceId: w.licence.id, customerId: w.licence.customerId, holderId: w.holderId, signal: 'clock_drift' as const, severity, coolDownMs: 3600_000,
      evidence: { summary: { driftMinutes: -90 }, items: [{ key: `drift:${now}`, kind: 'drift' as const, firstAt: now, lastAt: now, count: 1 }] } };
  };

  it('stays quiet after a dismissal for the cool-down, and appends to the open alert otherwise (raising its severity)', async () => {
    const w = await world();
    expect(await recordFraudSignal(h.services, firingOf(w), new Date(), false)).toBe('opened');
    expect(await recordFraudSignal(h.services, firingOf(w, 'high'), new Date(), false)).toBe('updated');
    const [alert] = await alertsOf(w.licence.id);
    expect(alert).toMatchObject({ severity: 'high', evidenceCount: 2 });
    await h.api.post(`/v1/fraud/alerts/${alert.id}/decision`).set(h.auth(await h.login('privacy_officer'))).send({ decision: 'dismissed', reason: 'clock fixed' }).expect(200);
    expect(await recordFraudSignal(h.services, firingOf(w), new Date())).toBe('cooling_down');
    expect(await alertsOf(w.licence.id)).toHaveLength(1);
  });

  it('keeps no alert about a holder who objected to profiling, and none once the holder\u2019s key is destroyed', async () => {
    const objecting = await world();
    await h.services.prisma.contact.update({ where: { id: objecting.holderId }, data: { profilingObjectedAt: new Date() } });
    expect(await recordFraudSignal(h.services, firingOf(objecting), new Date(), false)).toBe('objected');
    const erased = await world();
    await h.services.subjects.destroyKey(erased.holderId);
    expect(await recordFraudSignal(h.services, firingOf(erased), new Date())).toBe('erased');
    expect([...await alertsOf(objecting.licence.id), ...await alertsOf(erased.licence.id)]).toEqual([]);
  });
});

describe('with signals off', () => {
  it('opens nothing (NOMINA_FRAUD_SIGNALS=off)', async () => {
    const off = await createHarness({ fraudSignals: 'off' });
    try {
      const built = await buildLicence(off, { policy: { maxMachines: 1 } });
      for (let i = 0; i < 3; i++) await validate(off, validateBody(built.key, built.product.code, aDevice())).expect(200);
      await drainFraudEvaluations(off.services);
      expect(await off.services.prisma.fraudAlert.count()).toBe(0);
      expect(await off.services.prisma.fraudObservation.count()).toBe(0);
    } finally {
      await off.close();
    }
  });
});
