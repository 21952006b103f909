import { createScrubber } from '../src/telemetry/scrub';
import { defaultPolicyFile, mostPrivateLevel, readAdminLock } from '../src/telemetry/levels';

describe('createScrubber', () => {
  const scrub = createScrubber({ userName: 'jdoe', hostName: 'LAPTOP-42', domain: 'CONTOSO' });

  it.each([
    ['ENOENT: C:\\Users\\Jan Peeters\\Documents\\offer.docx', 'ENOENT: C:\\Users\\<user>\\Documents\\offer.docx'],
    ['at load (c:/users/jan/AppData/app.js:1:2)', 'at load (c:/users/<user>/AppData/app.js:1:2)'],
    ['open /home/alice/.config/app.json', 'open /home/<user>/.config/app.json'],
    ['open /Users/bob/Library/x', 'open /Users/<user>/Library/x'],
    ['mail jan.peeters@contoso.be failed', 'mail <email> failed'],
    ['share \\\\LAPTOP-42\\docs as CONTOSO\\JDoe', 'share \\\\<host>\\docs as <domain>\\<user>'],
    ['peer 10.0.0.12 mac 3c:7c:3f:1a:2b:3c', 'peer <ip> mac <mac>'],
  ])('scrubs %j', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('leaves ordinary text alone, and does not match a name inside a longer word', () => {
    expect(scrub('jdoes and laptop-420 are fine')).toBe('jdoes and laptop-420 are fine');
    expect(createScrubber({ userName: 'al' })('al is too short to scrub safely')).toBe('al is too short to scrub safely');
  });
});

describe('telemetry levels and the administrator lock', () => {
  const noFile = () => { throw Object.assign(new Error('missing'), { code: 'ENOENT' }); };

  it('takes the most private of all levels', () => {
    expect(mostPrivateLevel('all', null, 'errors')).toBe('errors');
    expect(mostPrivateLevel('errors', 'all')).toBe('errors');
    expect(mostPrivateLevel('all', 'off', 'all')).toBe('off');
  });

  it('reads the lock from NOMINA_TELEMETRY_LEVEL or the policy file, the stricter winning', () => {
    expect(readAdminLock({ env: {}, policyFile: 'p', readFile: noFile })).toBeNull();
    expect(readAdminLock({ env: { NOMINA_TELEMETRY_LEVEL: 'errors' }, policyFile: 'p', readFile: noFile })).toBe('errors');
    expect(readAdminLock({ env: {}, policyFile: 'p', readFile: () => '{"telemetryLevel":"off"}' })).toBe('off');
    expect(readAdminLock({ env: { NOMINA_TELEMETRY_LEVEL: 'all' }, policyFile: 'p', readFile: () => '{"telemetryLevel":"errors"}' })).toBe('errors');
  });

  it('fails closed: a lock that is present but unreadable or invalid means off', () => {
    expect(readAdminLock({ env: { NOMINA_TELEMETRY_LEVEL: 'sometimes' }, policyFile: 'p', readFile: noFile })).toBe('off');
    expect(readAdminLock({ env: {}, policyFile: 'p', readFile: () => '{not json' })).toBe('off');
    expect(readAdminLock({ env: {}, policyFile: 'p', readFile: () => { throw Object.assign(new Error('denied'), { code: 'EACCES' }); } })).toBe('off');
  });

  it('uses the machine-wide policy location of each platform', () => {
    expect(defaultPolicyFile('win32', { ProgramData: 'C:\\ProgramData' })).toBe('C:\\ProgramData\\Nomina\\policy.json');
    expect(defaultPolicyFile('linux', {})).toBe('/etc/nomina/policy.json');
  });
});
