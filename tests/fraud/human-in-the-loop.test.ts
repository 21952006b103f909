/**
 * GDPR Art. 22, as a property: whatever sequence of validations (and device releases) a licence
 * goes through — new PCs, docking stations, other NT accounts, other networks, wrong clocks, days
 * passing — its status never changes and no alert is ever decided. Only a staff decision does
 * that (fraud-alerts-api.test.ts).
 */
import fc from 'fast-check';
import { releaseDevice } from '../../src/devices/release-device';
import { drainFraudEvaluations } from '../../src/fraud/fraud-runtime';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { randomMac, validate, validateBody } from '../validation/validate-helpers';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

const PCS = ['PC-1', 'PC-2', 'PC-3', 'PC-4', 'LAPTOP-5'];
const USERS = ['jdoe', 'asmith', 'admin'];
const NETWORKS = ['192.0.2.10', '198.51.100.20', '203.0.113.30'];
const CLOCKS_MINUTES = [0, 0, 61, -60, -180, -3 * 24 * 60];

const step = fc.record({
  kind: fc.constantFrom('validate', 'validate', 'validate', 'activate', 'release'),
  pc: fc.nat(PCS.length - 1),
  dock: fc.boolean(),
  user: fc.nat(USERS.length - 1),
  network: fc.nat(NETWORKS.length - 1),
  clock: fc.nat(CLOCKS_MINUTES.length - 1),
  advanceMinutes: fc.constantFrom(0, 1, 5, 90, 26 * 60),
});

describe('human in the loop', () => {
  it('no sequence of validations changes a licence\u2019s status or decides an alert', async () => {
    const realNow = h.services.now;
    let alertsSeen = 0;
    await fc.assert(fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 3 }), async (steps, maxMachines) => {
      const built = await buildLicence(h, { policy: { maxMachines, maxUsers: 1, transfersPer30Days: 100 } });
      const macs = PCS.map(() => randomMac());
      const dockMac = randomMac();
      let offset = 0;
      try {
        for (const s of steps) {
          offset += s.advanceMinutes * 60_000;
          const now = new Date(Date.now() + offset);
          h.services.now = () => now;
          const device = { ntUsername: USERS[s.user], ntDomain: 'CONTOSO', pcName: PCS[s.pc], macAddresses: s.dock ? [macs[s.pc], dockMac] : [macs[s.pc]] };
          const body = validateBody(built.key, built.product.code, device, {
            clientTime: new Date(now.getTime() + CLOCKS_MINUTES[s.clock] * 60_000).toISOString(), ...(s.kind === 'activate' ? { activate: true } : {}),
          });
          const res = await validate(h, body, NETWORKS[s.network]);
          expect(res.status).toBe(200);
          if (s.kind === 'release' && res.body.valid && res.body.device) {
            await releaseDevice(h.services, { licenceId: built.licence.id, deviceId: res.body.device.id, by: 'sdk', actor: { type: 'system' } });
          }
        }
        await drainFraudEvaluations(h.services);
      } finally {
        h.services.now = realNow;
      }
      const licence = await h.services.prisma.licence.findUniqueOrThrow({ where: { id: built.licence.id } });
      expect({ status: licence.status, statusReason: licence.statusReason }).toEqual({ status: 'active', statusReason: null });
      const alerts = await h.services.prisma.fraudAlert.findMany({ where: { licenceId: built.licence.id } });
      expect(alerts.filter((a) => a.status !== 'open' || a.decidedAt || a.suspended)).toEqual([]);
      expect(new Set(alerts.map((a) => a.signal)).size).toBe(alerts.length);
      alertsSeen += alerts.length;
    }), { numRuns: 25 });
    // The property means something only if signals did fire along the way.
    expect(alertsSeen).toBeGreaterThan(0);
  });
});
