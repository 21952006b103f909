/**
 * Telemetry holds no user names: the server scrubs what arrives (user-profile paths, e-mail
 * addresses, MACs, IPs, the device's NT user, domain and PC name), counts it in a metric, and the
 * register says exactly what telemetry may hold.
 */
import { categoryInfo } from '../../src/privacy/register/catalogue';
import { createScrubber, scrubEvents } from '../../src/telemetry/scrub-telemetry';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';
import { batch, event } from './telemetry-world';

describe('the server-side scrubber', () => {
  const scrub = createScrubber({ userNames: ['griet.peeters'], domains: ['GEMEENTE'], pcNames: ['LAPTOP-GRIET'] });
  const run = (text: string) => { const counts = {}; return { text: scrub(text, counts), counts }; };

  it('replaces profile paths, e-mail addresses, MACs, IPs and the device’s names, counting each', () => {
    expect(run('C:\\Users\\someone\\Documents\\Budget.docx').text).toBe('C:\\Users\\<user>\\Documents\\Budget.docx');
    expect(run('c:/users/someone/AppData').text).toBe('c:/users/<user>/AppData');
    expect(run('C:\\Documents and Settings\\someone\\x').text).toBe('C:\\Documents and Settings\\<user>\\x');
    expect(run('/home/jan/.config and /Users/marie/Library').text).toBe('/home/<user>/.config and /Users/<user>/Library');
    expect(run('mail jan.peeters@gemeente.be now')).toEqual({ text: 'mail <email> now', counts: { email: 1 } });
    expect(run('nic 00-1A-2B-3C-4D-5E at 10.0.0.7').text).toBe('nic <mac> at <ip>');
    expect(run('GEMEENTE\\Griet.Peeters on laptop-griet')).toEqual({ text: '<domain>\\<user> on <host>', counts: { nt_user: 2, pc_name: 1 } });
    expect(run('D:\\griet.peeters\\notes.txt').text).toBe('D:\\<user>\\notes.txt');
  });

  it('leaves ordinary text, numbers and booleans alone, and does not mangle words containing a name', () => {
    expect(run('Exported 3 pages as PDF').text).toBe('Exported 3 pages as PDF');
    expect(run('griet.peetersen').text).toBe('griet.peetersen');
    const events = [{ name: 'open', props: { pages: 3, ok: true, path: '/home/jan/a' } as Record<string, string | number | boolean> }];
    expect(scrubEvents(events, scrub)).toEqual({ profile_path: 1 });
    expect(events[0].props).toEqual({ pages: 3, ok: true, path: '/home/<user>/a' });
  });
});

describe('POST /v1/telemetry scrubs on the server', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness(); });
  afterAll(() => h.close());

  it('stores no user name, e-mail, path or PC name of the sending device, and counts what it replaced', async () => {
    const licence = await buildLicence(h);
    const pc = aDevice({ ntUsername: 'griet.peeters', ntDomain: 'GEMEENTE', pcName: 'LAPTOP-GRIET7' });
    const token = (await validate(h, validateBody(licence.key, licence.product.code, pc)).expect(200)).body.token as string;
    const sent = event({
      name: 'open C:\\Users\\griet.peeters\\Documents\\Begroting 2027.docx',
      props: {
        file: 'C:\\Users\\griet.peeters\\Documents\\Begroting 2027.docx', note: 'shared by griet.peeters@gemeente.be from LAPTOP-GRIET7',
        account: 'GEMEENTE\\griet.peeters', workdir: 'E:\\data\\griet.peeters\\2027', pages: 12,
      },
    });
    await h.api.post('/v1/telemetry').set(h.auth(token)).send(batch([sent])).expect(202);
    const conn = await h.services.db.connect();
    let rows: { name: string; props: Record<string, unknown> }[];
    try {
      rows = await conn.query(`SELECT name, props FROM telemetry_events WHERE "productId" = $1`, [licence.product.id]);
    } finally { await conn.release(); }
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toMatch(/griet|GEMEENTE|LAPTOP-GRIET7|@gemeente/i);
    expect(rows[0].props).toEqual({
      file: 'C:\\Users\\<user>\\Documents\\Begroting 2027.docx', note: 'shared by <email> from <host>',
      account: '<domain>\\<user>', workdir: 'E:\\data\\<user>\\2027', pages: 12,
    });
    const metrics = await h.services.metrics.registry.metrics();
    expect(metrics).toMatch(/nomina_telemetry_scrubbed_total\{kind="profile_path"\} 2/);
    expect(metrics).toMatch(/nomina_telemetry_scrubbed_total\{kind="email"\} 1/);
    expect(metrics).toMatch(/nomina_telemetry_scrubbed_total\{kind="pc_name"\} 1/);
    expect(metrics).toMatch(/nomina_telemetry_scrubbed_total\{kind="nt_user"\} 3/);
  });

  it('is what the register says telemetry may hold', () => {
    const telemetry = categoryInfo('usage_telemetry');
    expect(telemetry.fields.join('; ')).toMatch(/user-profile paths, e-mail addresses, MAC and IP addresses, the device’s NT user name, domain and PC name are replaced/);
    expect(telemetry.fields.join('; ')).toMatch(/never the licence, the contact, the NT user, the PC name, a MAC or IP address/);
  });
});
