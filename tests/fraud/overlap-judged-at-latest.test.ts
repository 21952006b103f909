/**
 * A device's overlap is judged at its latest remembered sighting (evaluate-validation.ts,
 * overlapOfDevice), not at the time of the batch's last observation: observations reach the fraud
 * engine in the order their validations answered, so the last one can be the oldest. Seen in the
 * fraud storm journey (tests/fraud/fraud-storm.test.ts), where a licence used from four networks
 * at once sometimes got no alert.
 */
import { evaluateValidations, overlapOfDevice, type ValidationObservation } from '../../src/fraud/evaluate-validation';
import { overlap } from '../../src/fraud/fraud-signals';
import { thresholdsOf } from '../../src/fraud/thresholds';
import { createEmbeddedHarness } from '../support/embedded-harness';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';

const t = thresholdsOf({ maxMachines: 2, maxUsers: 1, fraudWindowHours: 24, deviceFanoutThreshold: null, accountFanoutThreshold: null, churnThreshold: 6, clockDriftToleranceMinutes: 60, overlapWindowMinutes: 10 });
const start = new Date('2026-03-29T09:00:00Z').getTime();
const at = (ms: number) => new Date(start + ms);

describe('overlap of a device, judged at its latest sighting', () => {
  // Remembered in the order the validations answered: A, B, A started at 1, 2, 3 ms; the
  // validation that started first (B at 0 ms) answered last.
  const sightings = [
    { networkHash: 'A', at: at(1) }, { networkHash: 'B', at: at(2) }, { networkHash: 'A', at: at(3) }, { networkHash: 'B', at: at(0) },
  ];

  it('fires when the batch\u2019s last observation is its oldest', () => {
    expect(overlap(sightings, t, at(0)).fire).toBe(false); // judged at the last observation's time: the newer ones left out
    const verdict = overlapOfDevice(sightings, t, at(0));
    expect(verdict.fire).toBe(true);
    if (verdict.fire) expect(verdict.evidence.summary).toMatchObject({ networks: 2, returns: 2 });
  });

  it('stays quiet for a device that moved once, whatever the order', () => {
    const moved = [{ networkHash: 'B', at: at(5) }, { networkHash: 'A', at: at(1) }, { networkHash: 'A', at: at(2) }];
    expect(overlapOfDevice(moved, t, at(2)).fire).toBe(false);
  });

  it('leaves out sightings older than the window before the latest one', () => {
    const old = [{ networkHash: 'A', at: at(0) }, { networkHash: 'B', at: at(60_000) }, { networkHash: 'A', at: at(11 * 60_000) }];
    expect(overlapOfDevice(old, t, at(0)).fire).toBe(false);
  });
});

// The same order through the engine itself: fails if evaluateValidations judges the device with
// overlap() at its last observation's time instead of overlapOfDevice.
describe.each([['PostgreSQL', createHarness], ['the embedded database', createEmbeddedHarness]] as const)('a batch whose last observation is its oldest, on %s', (_name, open) => {
  let h: Harness;
  beforeAll(async () => { h = await open(); }, 60_000);
  afterAll(() => h.close());

  it('opens the overlap alert', async () => {
    const { licence, policy } = await buildLicence(h);
    const observed = (network: string, ms: number): ValidationObservation => ({
      at: at(ms), code: 'VALID', source: 'online',
      licence: { id: licence.id, customerId: licence.customerId, holderId: licence.holderId }, profilingStopped: false,
      policy: { ...policy, overlapWindowMinutes: 10 }, device: { id: '00000000-0000-4000-8000-00000000000d', new: false },
      pcNameIndex: 'pc-index', ntAccountIndex: 'account-index', macIndexes: ['mac-index'], networkHash: network, clientTime: null,
    });
    await evaluateValidations(h.services, [observed('A', 1), observed('B', 2), observed('A', 3), observed('B', 0)]);
    const alerts = await h.services.prisma.fraudAlert.findMany({ where: { licenceId: licence.id }, select: { signal: true } });
    expect(alerts.map((a) => a.signal)).toContain('overlap');
  });
});
