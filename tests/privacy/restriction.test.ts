/**
 * Restriction of processing (GDPR Art. 18) restricts staff too: the data is only stored. Support
 * and admins cannot read it unmasked, change it or issue the person a licence; a privacy officer
 * can record an exception under Art. 18(2) with a ground and a reason; the person is told before
 * the restriction is lifted (Art. 18(3)).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { startMailServer, type TestMailServer } from './support/mail-server';

let h: Harness;
let mail: TestMailServer;
beforeAll(async () => {
  mail = await startMailServer();
  h = await createHarness({ smtpUrl: mail.url, dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-restrict-')) });
});
afterAll(async () => { await h.close(); await mail.close(); });

const subjectToken = async (contactId: string) => (await h.services.sessions.issueSubject(contactId, 900)).token;
const purpose = { 'X-Purpose': 'ticket 4711 activation problem' };

async function restrictedHolder() {
  const built = await buildLicence(h);
  await h.api.post('/v1/privacy/me/requests').set(h.auth(await subjectToken(built.holderId))).send({ type: 'restriction' }).expect(201);
  return built;
}

describe('a restricted holder', () => {
  it('cannot be read unmasked, changed, or issued a licence by support or admins (409 with the reason)', async () => {
    const { holderId, licence, policy } = await restrictedHolder();
    const support = h.auth(await h.login('support'));
    const admin = h.auth(await h.login('admin'));
    const refused = await h.api.get(`/v1/contacts/${holderId}`).set(support).set(purpose).expect(409);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'PROCESSING_RESTRICTED', detail: expect.stringMatching(/Art\. 18/) });
    // A masked view shows nothing personal: still allowed.
    await h.api.get(`/v1/contacts/${holderId}`).set(support).expect(200);
    await h.api.get(`/v1/contacts/${holderId}`).set(admin).expect(409);
    await h.api.patch(`/v1/contacts/${holderId}`).set(support).set(purpose).send({ phone: '+32 470 00 00 00' }).expect(409);
    await h.api.post('/v1/licences').set(admin).send({ policyId: policy.id, holderId }).expect(409);
    await h.api.get(`/v1/licences/${licence.id}`).set(support).set(purpose).expect(409);
    await h.api.get(`/v1/licences/${licence.id}/devices`).set(admin).expect(409);
    await h.api.post(`/v1/licences/${licence.id}/actions/suspend`).set(admin).send({ reason: 'unpaid invoice' }).expect(409);
    expect(await h.services.prisma.licence.count({ where: { holderId } })).toBe(1);
    // The privacy officer handles the person's rights and the restriction itself.
    await h.api.get(`/v1/contacts/${holderId}`).set(h.auth(await h.login('privacy_officer'))).expect(200);
  });

  it('can be processed again under an exception a privacy officer records with its ground and reason, shown in the export', async () => {
    const { holderId } = await restrictedHolder();
    const dpo = h.auth(await h.login('privacy_officer'));
    const support = h.auth(await h.login('support'));
    const until = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await h.api.post(`/v1/privacy/subjects/${holderId}/restriction-exceptions`).set(dpo).send({ ground: 'legal_claims', reason: 'x', expiresAt: until }).expect(400);
    const recorded = await h.api.post(`/v1/privacy/subjects/${holderId}/restriction-exceptions`).set(dpo)
      .send({ ground: 'legal_claims', reason: 'Disputed invoice 2026-113 before the commercial court', expiresAt: until }).expect(201);
    expect(recorded.body).toMatchObject({ ground: 'legal_claims', expiresAt: until });
    await h.api.patch(`/v1/contacts/${holderId}`).set(support).set(purpose).send({ phone: '+32 470 11 11 11' }).expect(200);
    const exported = await h.api.get('/v1/privacy/me/export').set(h.auth(await subjectToken(holderId))).buffer(true).parse((r, cb) => {
      let body = ''; r.setEncoding('utf8'); r.on('data', (c: string) => { body += c; }); r.on('end', () => cb(null, body));
    }).expect(200);
    const doc = JSON.parse(exported.body as unknown as string);
    expect(doc.data.restriction_exceptions.items).toEqual([expect.objectContaining({ ground: 'legal_claims', reason: 'Disputed invoice 2026-113 before the commercial court' })]);
    // The reason is personal data about the person: sealed at rest.
    const [{ row }] = await h.services.prisma.$queryRawUnsafe<{ row: string }[]>(`SELECT row_to_json(r)::text AS row FROM restriction_exceptions r WHERE "contactId" = $1::uuid`, holderId);
    expect(row).not.toContain('commercial court');
  });

  it('is told by e-mail before the restriction is lifted; without mail the restriction stays', async () => {
    const { holderId } = await restrictedHolder();
    const email = (await h.api.get(`/v1/contacts/${holderId}`).set(h.auth(await h.login('privacy_officer'))).expect(200)).body.email as string;
    const dpo = h.auth(await h.login('privacy_officer'));
    // The mail server is unreachable: nothing is lifted.
    const offline = await createHarness({ smtpUrl: 'smtp://127.0.0.1:1', dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-restrict-')) });
    try {
      const dpoOffline = offline.auth(await offline.login('privacy_officer'));
      const other = await buildLicence(offline);
      await offline.api.post('/v1/privacy/me/requests').set(offline.auth((await offline.services.sessions.issueSubject(other.holderId, 900)).token)).send({ type: 'restriction' }).expect(201);
      const failed = await offline.api.patch(`/v1/privacy/subjects/${other.holderId}/processing`).set(dpoOffline).send({ restricted: false }).expect(503);
      expect(failed.headers['retry-after']).toBeDefined();
      expect((await offline.services.prisma.contact.findUniqueOrThrow({ where: { id: other.holderId } })).restrictedAt).not.toBeNull();
    } finally {
      await offline.close();
    }
    await h.api.patch(`/v1/privacy/subjects/${holderId}/processing`).set(dpo).send({ restricted: false }).expect(200);
    const notice = await mail.waitFor(email, (m) => /restriction/i.test(m.raw));
    expect(notice.text).toMatch(/lift/);
    expect((await h.services.prisma.contact.findUniqueOrThrow({ where: { id: holderId } })).restrictedAt).toBeNull();
  });
});
