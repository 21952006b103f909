/**
 * A device's overlap is judged at its latest remembered sighting (evaluate-validation.ts,
 * overlapOfDevice), not at the time of the batch's last observation: observations reach the fraud
 * engine in the order their validations answered, so the last one can be the oldest. Seen in the
 * fraud storm journey (tests/fraud/fraud-storm.test.ts), where a licence used from four networks
 * at once sometimes got no alert.
 */
import { overlapOfDevice } from '../../src/fraud/evaluate-validation';
import { overlap } from '../../src/fraud/fraud-signals';
import { thresholdsOf } from '../../src/fraud/thresholds';

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
