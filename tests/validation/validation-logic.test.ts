import { canonicalMac } from '../../src/devices/device-identity';
import { bestMatch, deviceChanged, type DeviceCandidate } from '../../src/devices/match-device';
import { checkTransferBudget } from '../../src/devices/transfer-budget';
import { networkPrefix } from '../../src/validation/network-hash';
import { runChecks, type CheckFacts } from '../../src/validation/validation-checks';
import { validationWarnings } from '../../src/validation/validation-warnings';
import { verdictClaims } from '../../src/validation/verdict-token';

const now = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;

const facts = (patch: Partial<CheckFacts> = {}, licence: Partial<NonNullable<CheckFacts['licence']>> = {}): CheckFacts => ({
  licence: { status: 'active', validFrom: new Date('2026-01-01'), validUntil: null, productCode: 'ACME', maxUsers: 1, maxMachines: 2, ...licence },
  requestedProduct: 'ACME', accountBound: true, boundAccounts: 1, device: { kind: 'active', id: 'd1' }, activeDevices: 1, activate: false,
  ...patch,
});

describe('runChecks (the ordered validation checks)', () => {
  it('passes a bound account on a known device', () => expect(runChecks(facts(), now)).toBe('VALID'));
  it('answers NOT_FOUND without a licence', () => expect(runChecks(facts({ licence: null }), now)).toBe('NOT_FOUND'));
  it.each([
    ['REVOKED', facts({}, { status: 'revoked' })],
    ['SUSPENDED', facts({}, { status: 'suspended' })],
    ['NOT_YET_VALID', facts({}, { validFrom: new Date(now.getTime() + 1) })],
    ['EXPIRED', facts({}, { validUntil: now })],
    ['PRODUCT_MISMATCH', facts({ requestedProduct: 'OTHER' })],
    ['USER_MISMATCH', facts({ accountBound: false, boundAccounts: 1 })],
    ['DEVICE_RELEASED', facts({ device: { kind: 'released', id: 'd1' } })],
    ['TOO_MANY_MACHINES', facts({ device: { kind: 'none' }, activeDevices: 2 })],
  ])('answers %s', (code, f) => expect(runChecks(f, now)).toBe(code));

  it('lets the first failure win: licence state before the request context', () => {
    const everythingWrong = facts({ requestedProduct: 'OTHER', accountBound: false, device: { kind: 'none' }, activeDevices: 9 }, { status: 'suspended', validUntil: new Date(0) });
    expect(runChecks(everythingWrong, now)).toBe('SUSPENDED');
    expect(runChecks({ ...everythingWrong, licence: { ...everythingWrong.licence!, status: 'active' } }, now)).toBe('EXPIRED');
  });

  it('binds a new account while below maxUsers, and re-activates a released PC only when asked and a seat is free', () => {
    expect(runChecks(facts({ accountBound: false, boundAccounts: 0 }), now)).toBe('VALID');
    expect(runChecks(facts({ device: { kind: 'released', id: 'd1' }, activate: true, activeDevices: 1 }), now)).toBe('VALID');
    expect(runChecks(facts({ device: { kind: 'released', id: 'd1' }, activate: true, activeDevices: 2 }), now)).toBe('TOO_MANY_MACHINES');
  });

  it('never counts a known active device against maxMachines', () => {
    expect(runChecks(facts({ activeDevices: 2 }), now)).toBe('VALID');
  });
});

describe('device matching', () => {
  const candidate = (patch: Partial<DeviceCandidate>): DeviceCandidate => ({ id: 'x', released: false, pcNameMatch: false, macIndexes: [], lastNtAccountIndex: 'u', lastSeenMs: 0, ...patch });
  it('prefers an active device, then a PC-name match, then the most shared MACs, then the most recent', () => {
    const identity = { macIndexes: ['m1', 'm2'] };
    expect(bestMatch([candidate({ id: 'released', released: true, pcNameMatch: true }), candidate({ id: 'active', macIndexes: ['m1'] })], identity)?.id).toBe('active');
    expect(bestMatch([candidate({ id: 'mac', macIndexes: ['m1', 'm2'] }), candidate({ id: 'name', pcNameMatch: true })], identity)?.id).toBe('name');
    expect(bestMatch([candidate({ id: 'one', macIndexes: ['m1'] }), candidate({ id: 'two', macIndexes: ['m1', 'm2'] })], identity)?.id).toBe('two');
    expect(bestMatch([candidate({ id: 'old', macIndexes: ['m1'], lastSeenMs: 1 }), candidate({ id: 'new', macIndexes: ['m1'], lastSeenMs: 2 })], identity)?.id).toBe('new');
    expect(bestMatch([], identity)).toBeNull();
  });
  it('sees a change on rename, a new MAC or another NT user, and none otherwise', () => {
    const identity = { pcName: 'PC', ntAccount: 'D\\u', macs: ['A'], pcNameIndex: 'p', ntAccountIndex: 'u', macIndexes: ['m1'] };
    expect(deviceChanged(candidate({ pcNameMatch: true, macIndexes: ['m1', 'm0'] }), identity)).toBe(false);
    expect(deviceChanged(candidate({ pcNameMatch: false, macIndexes: ['m1'] }), identity)).toBe(true);
    expect(deviceChanged(candidate({ pcNameMatch: true, macIndexes: [] }), identity)).toBe(true);
    expect(deviceChanged(candidate({ pcNameMatch: true, macIndexes: ['m1'], lastNtAccountIndex: 'other' }), identity)).toBe(true);
  });
  it.each([
    ['00:1a:2b:3c:4d:5e', '00:1A:2B:3C:4D:5E'], ['00-1A-2B-3C-4D-5E', '00:1A:2B:3C:4D:5E'], ['001a.2b3c.4d5e', '00:1A:2B:3C:4D:5E'],
    [' 001A2B3C4D5E ', '00:1A:2B:3C:4D:5E'], ['02:00:00:00:00:01', '02:00:00:00:00:01'],
    ['00:1A-2B:3C:4D:5E', null], ['01:00:5E:00:00:01', null], ['FF:FF:FF:FF:FF:FF', null], ['00:00:00:00:00:00', null], ['001A2B3C4D5', null],
  ])('reads the MAC %s as %s', (raw, canonical) => expect(canonicalMac(raw)).toBe(canonical));
});

describe('transfer budget (rolling 30 days)', () => {
  it('allows releases up to the budget, then says when the oldest one leaves the window', () => {
    expect(checkTransferBudget([], 2, now)).toEqual({ allowed: true, remaining: 2, nextTransferAt: null });
    const releases = [new Date(now.getTime() - 10 * DAY), new Date(now.getTime() - 2 * DAY)];
    expect(checkTransferBudget(releases, 2, now)).toEqual({ allowed: false, remaining: 0, nextTransferAt: new Date(now.getTime() + 20 * DAY) });
    expect(checkTransferBudget([new Date(now.getTime() - 31 * DAY), ...releases.slice(1)], 2, now).allowed).toBe(true);
    expect(checkTransferBudget([], 0, now)).toMatchObject({ allowed: false, nextTransferAt: null });
  });
});

describe('warnings and token claims', () => {
  it('warns EXPIRING_SOON inside the window only, and UNDER_REVIEW while an alert is open', () => {
    expect(validationWarnings({ validUntil: new Date(now.getTime() + 13 * DAY), expiringSoonDays: 14, underReview: false }, now)).toEqual(['EXPIRING_SOON']);
    expect(validationWarnings({ validUntil: new Date(now.getTime() + 15 * DAY), expiringSoonDays: 14, underReview: true }, now)).toEqual(['UNDER_REVIEW']);
    expect(validationWarnings({ validUntil: null, expiringSoonDays: 14, underReview: false }, now)).toEqual([]);
  });
  const input = { licenceId: 'l', deviceId: 'd', productCode: 'ACME', entitlements: ['core'], validUntil: null, telemetry: 'on' as const, nonce: 'n0nce-123', offlineGraceHours: 72 };
  it('gives a valid verdict the offline grace, a refusal five minutes, a zero grace one minute', () => {
    const iat = now.getTime() / 1000;
    expect(verdictClaims({ ...input, code: 'VALID' }, now)).toMatchObject({ iat, exp: iat + 72 * 3600, valid: true, ent: ['core'] });
    expect(verdictClaims({ ...input, code: 'REVOKED' }, now)).toMatchObject({ exp: iat + 300, valid: false, ent: [] });
    expect(verdictClaims({ ...input, code: 'VALID', offlineGraceHours: 0 }, now).exp).toBe(iat + 60);
    expect(verdictClaims({ ...input, code: 'VALID', validUntil: new Date(now.getTime() + 3600_000) }, now).exp).toBe(iat + 3600);
  });
  it.each([['192.0.2.77', '192.0.2.0/24'], ['::ffff:192.0.2.77', '192.0.2.0/24'], ['2001:db8:1:2::9', '2001:db8:1::/48'], ['::1', '0:0:0::/48'], ['nonsense', null]])(
    'reduces the address %s to the network %s', (address, prefix) => expect(networkPrefix(address)).toBe(prefix));
});
