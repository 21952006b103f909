/**
 * Identity verification (docs/architecture.md §7): a one-time code by e-mail, read here from a real SMTP server.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildContact, buildCustomer } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { codeFrom, startMailServer, type TestMailServer } from './support/mail-server';

let h: Harness;
let mail: TestMailServer;
beforeAll(async () => {
  mail = await startMailServer();
  h = await createHarness({ smtpUrl: mail.url, dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-verif-')) });
});
afterAll(async () => { await h.close(); await mail.close(); });

const unique = () => Math.random().toString(36).slice(2, 10);

async function askCode(email: string) {
  const res = await h.api.post('/v1/privacy/verification').send({ email }).expect(202);
  return res.body;
}

async function receivedCode(email: string, after = 0) {
  const m = await mail.waitFor(email, (x) => mail.mails.indexOf(x) >= after);
  return codeFrom(m);
}

describe('POST /v1/privacy/verification and /v1/privacy/sessions', () => {
  it('mails a code to a known address and exchanges it for a 15-minute session limited to that contact', async () => {
    const email = `known.${unique()}@gemeente.test`;
    const contact = await buildContact(h, { email });
    await askCode(email);
    const code = await receivedCode(email);
    // The mail links to the privacy page with the code in the fragment (never sent to a server).
    const link = /(http\S+\/privacy#\S+)/.exec(mail.mails.find((m) => m.to.includes(email))!.text)?.[1];
    expect(link).toBeDefined();
    const url = new URL(link!);
    expect(url.origin + url.pathname).toBe('http://privacy.nomina.test/privacy');
    expect(url.search).toBe('');
    const fragment = new URLSearchParams(url.hash.slice(1));
    expect(fragment.get('code')).toBe(code);
    expect(fragment.get('email')).toBe(email);
    const res = await h.api.post('/v1/privacy/sessions').send({ email, code: `${code.slice(0, 4)} ${code.slice(4)}` }).expect(200);
    expect(res.body.contactId).toBe(contact.id);
    const ttl = new Date(res.body.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(14 * 60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    const me = await h.api.get('/v1/privacy/me').set(h.auth(res.body.token)).expect(200);
    expect(me.body).toMatchObject({ id: contact.id, email, view: 'full' });
    // A subject token opens no staff route.
    await h.api.get(`/v1/contacts/${contact.id}`).set(h.auth(res.body.token)).expect(401);
  });

  it('answers an unknown address exactly as a known one, doing the same work, and sends nothing', async () => {
    const known = `same.${unique()}@gemeente.test`;
    await buildContact(h, { email: known });
    const unknown = `nobody.${unique()}@gemeente.test`;
    const a = await h.api.post('/v1/privacy/verification').send({ email: known });
    const b = await h.api.post('/v1/privacy/verification').send({ email: unknown });
    expect(b.status).toBe(a.status);
    expect(b.body).toEqual(a.body);
    expect(Object.keys(b.headers).sort()).toEqual(Object.keys(a.headers).sort());
    // Same path: a hashed code is stored for both (nobody ever receives the unknown one).
    for (const email of [known, unknown]) {
      const rows = await h.services.prisma.verificationCode.findMany({ where: { emailIndex: h.services.blindIndex.of('email', email) } });
      expect(rows).toHaveLength(1);
      expect(rows[0].codeHash).toMatch(/^\$argon2id\$/);
    }
    await mail.waitFor(known);
    await new Promise((r) => setTimeout(r, 300));
    expect(mail.mails.some((m) => m.to.includes(unknown))).toBe(false);
    // And a guessed code for the unknown address fails like any wrong code.
    const res = await h.api.post('/v1/privacy/sessions').send({ email: unknown, code: '12345678' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_CODE');
  });

  it('stops a brute force from one source after 5 attempts: even the right code is refused there', async () => {
    const email = `brute.${unique()}@gemeente.test`;
    await buildContact(h, { email });
    const before = mail.mails.length;
    await askCode(email);
    const code = await receivedCode(email, before);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 5; i += 1) {
      const res = await h.api.post('/v1/privacy/sessions').send({ email, code: wrong });
      expect(res.status).toBe(401);
    }
    const res = await h.api.post('/v1/privacy/sessions').send({ email, code });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('INVALID_CODE');
    const row = await h.services.prisma.verificationCode.findFirstOrThrow({ where: { emailIndex: h.services.blindIndex.of('email', email) } });
    expect(row.attempts).toBe(5);
    expect(row.usedAt).toBeNull();
  });

  it('bounds a brute force from many sources: after 25 tries in all, the right code is refused everywhere', async () => {
    const email = `spread.${unique()}@gemeente.test`;
    await buildContact(h, { email });
    const before = mail.mails.length;
    await askCode(email);
    const code = await receivedCode(email, before);
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let source = 1; source <= 5; source += 1) {
      for (let i = 0; i < 5; i += 1) await h.api.post('/v1/privacy/sessions').set('X-Forwarded-For', `198.18.0.${source}`).send({ email, code: wrong }).expect(401);
    }
    await h.api.post('/v1/privacy/sessions').set('X-Forwarded-For', '198.18.0.99').send({ email, code }).expect(401);
    const row = await h.services.prisma.verificationCode.findFirstOrThrow({ where: { emailIndex: h.services.blindIndex.of('email', email) }, orderBy: { createdAt: 'desc' } });
    expect(row.attempts).toBe(25);
  });

  it('refuses an expired code', async () => {
    const email = `expired.${unique()}@gemeente.test`;
    await buildContact(h, { email });
    const before = mail.mails.length;
    await askCode(email);
    const code = await receivedCode(email, before);
    const realNow = h.services.now;
    h.services.now = () => new Date(Date.now() + 10 * 60_000 + 1_000);
    try {
      const res = await h.api.post('/v1/privacy/sessions').send({ email, code });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('INVALID_CODE');
    } finally {
      h.services.now = realNow;
    }
    // Refused for its age only: the same code, not used up by the refusal, still works within its 10 minutes.
    await h.api.post('/v1/privacy/sessions').send({ email, code }).expect(200);
  });

  it('accepts a code once: a reused code is refused', async () => {
    const email = `reuse.${unique()}@gemeente.test`;
    await buildContact(h, { email });
    const before = mail.mails.length;
    await askCode(email);
    const code = await receivedCode(email, before);
    await h.api.post('/v1/privacy/sessions').send({ email, code }).expect(200);
    const again = await h.api.post('/v1/privacy/sessions').send({ email, code });
    expect(again.status).toBe(401);
  });

  it('only the newest code counts', async () => {
    const email = `newest.${unique()}@gemeente.test`;
    await buildContact(h, { email });
    let before = mail.mails.length;
    await askCode(email);
    const first = await receivedCode(email, before);
    before = mail.mails.length;
    await askCode(email);
    const second = await receivedCode(email, before);
    if (first !== second) expect((await h.api.post('/v1/privacy/sessions').send({ email, code: first })).status).toBe(401);
    await h.api.post('/v1/privacy/sessions').send({ email, code: second }).expect(200);
  });

  it('gives one session per contact when an address belongs to contacts of several customers', async () => {
    const email = `shared.${unique()}@example.test`;
    const a = await buildContact(h, { email, customerId: (await buildCustomer(h, { name: `Stad A ${unique()}` })).id });
    const b = await buildContact(h, { email, customerId: (await buildCustomer(h, { name: `Stad B ${unique()}` })).id });
    const before = mail.mails.length;
    await askCode(email);
    const code = await receivedCode(email, before);
    const res = await h.api.post('/v1/privacy/sessions').send({ email, code }).expect(200);
    expect(res.body.sessions.map((s: { contactId: string }) => s.contactId).sort()).toEqual([a.id, b.id].sort());
    for (const s of res.body.sessions as { contactId: string; token: string; organisation: string }[]) {
      expect(s.organisation).toMatch(/^Stad [AB]/);
      const me = await h.api.get('/v1/privacy/me').set(h.auth(s.token)).expect(200);
      expect(me.body.id).toBe(s.contactId);
    }
  });

  it('answers bad input with 400 pointers, not 500', async () => {
    const res = await h.api.post('/v1/privacy/verification').send({ email: 'not-an-address' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].pointer).toBe('/email');
    const bad = await h.api.post('/v1/privacy/sessions').send({ email: 'a@b.test', code: 'abc' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('/code');
  });

  it('never logs the address or the code', async () => {
    const email = `logs.${unique()}@gemeente.test`;
    await buildContact(h, { email });
    const before = mail.mails.length;
    await askCode(email);
    const code = await receivedCode(email, before);
    await h.api.post('/v1/privacy/sessions').send({ email, code }).expect(200);
    const logs = h.logs.join('\n');
    // The requests were logged (by route template), so their absence below means something.
    expect(logs).toContain('/v1/privacy/sessions');
    expect(logs).not.toContain(email);
    expect(logs).not.toContain(code);
  });
});

describe('rate limits on verification', () => {
  let r: Harness;
  let rmail: TestMailServer;
  beforeAll(async () => {
    rmail = await startMailServer();
    r = await createHarness({ smtpUrl: rmail.url, dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-rl-')) });
  });
  afterAll(async () => { await r.close(); await rmail.close(); });

  // Sources are told apart by X-Forwarded-For (the test client is a trusted loopback proxy).
  const from = (ip: string) => ({ 'X-Forwarded-For': ip });

  it('limits codes per address and source (3 in 10 minutes), whether or not the address is known', async () => {
    const email = `limited.${unique()}@gemeente.test`;
    for (let i = 0; i < 3; i += 1) await r.api.post('/v1/privacy/verification').set(from('198.51.100.1')).send({ email }).expect(202);
    const res = await r.api.post('/v1/privacy/verification').set(from('198.51.100.1')).send({ email });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(600);
  });

  it('does not let a stranger lock the holder out: after another source spent its limit, the holder still gets a code', async () => {
    const email = `holder.${unique()}@gemeente.test`;
    await buildContact(r, { email });
    const stranger = from('203.0.113.66');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await r.api.post('/v1/privacy/verification').set(stranger).send({ email })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const mailsTo = () => rmail.mails.filter((m) => m.to.includes(email)).length;
    while (mailsTo() < 3) await new Promise((resolve) => setTimeout(resolve, 25)); // the stranger's codes went out
    const before = rmail.mails.length;
    await r.api.post('/v1/privacy/verification').set(from('192.0.2.10')).send({ email }).expect(202);
    const code = codeFrom(await rmail.waitFor(email, (m) => rmail.mails.indexOf(m) >= before));
    // …and the stranger's wrong guesses use up only the stranger's own tries of that code.
    const wrong = code === '00000000' ? '11111111' : '00000000';
    for (let i = 0; i < 6; i += 1) await r.api.post('/v1/privacy/sessions').set(stranger).send({ email, code: wrong }).expect(401);
    expect((await r.api.post('/v1/privacy/sessions').set(stranger).send({ email, code })).status).toBe(401); // out of tries from there
    await r.api.post('/v1/privacy/sessions').set(from('192.0.2.10')).send({ email, code }).expect(200);
  });

  it('limits codes per source (20 an hour) across addresses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i += 1) statuses.push((await r.api.post('/v1/privacy/verification').set(from('198.51.100.2')).send({ email: `spray.${i}.${unique()}@x.test` })).status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(20);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  it('limits session attempts per address and source across codes', async () => {
    const email = `sess.${unique()}@gemeente.test`;
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await r.api.post('/v1/privacy/sessions').set(from('198.51.100.3')).send({ email, code: '00000000' })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    // Another address from the same source is still answered.
    expect((await r.api.post('/v1/privacy/sessions').set(from('198.51.100.3')).send({ email: `other.${unique()}@gemeente.test`, code: '00000000' })).status).toBe(401);
  });
});
