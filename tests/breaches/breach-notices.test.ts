/**
 * Breach notification (policies 003/004, GDPR Art. 34): affected subjects and customers are
 * recorded; each affected customer's contacts are told at once, affected holders too when the
 * risk is high; every notice is recorded (who, when), through a real SMTP server.
 */
import { startMailServer, type TestMailServer } from '../privacy/support/mail-server';
import { buildContact, buildCustomer } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let mail: TestMailServer;
let dpo: string;
beforeAll(async () => {
  mail = await startMailServer();
  h = await createHarness({ smtpUrl: mail.url });
  dpo = await h.login('privacy_officer');
});
afterAll(async () => { await h.close(); await mail.close(); });

const breach = (extra: Record<string, unknown>) => ({
  title: 'Backup disk lost', description: 'An encrypted backup disk was lost in transit.', awareAt: new Date(Date.now() - 3_600_000).toISOString(),
  categories: ['contact_data'], approxSubjects: 3, approxRecords: 3, measures: 'Keys rotated; courier investigated.', ...extra,
});
const mailsTo = (address: string) => mail.mails.filter((m) => m.to.includes(address.toLowerCase()));

async function organisation() {
  const customer = await buildCustomer(h);
  const holder = await buildContact(h, { customerId: customer.id, roles: ['licence_holder'] });
  const it = await buildContact(h, { customerId: customer.id, roles: ['it'] });
  const billing = await buildContact(h, { customerId: customer.id, roles: ['billing', 'licence_holder'] });
  const email = async (id: string) => (await h.api.get(`/v1/contacts/${id}`).set(h.auth(dpo)).set('X-Purpose', 'breach notice test')).body.email as string;
  return { customer, holder, it, billing, emails: { holder: await email(holder.id), it: await email(it.id), billing: await email(billing.id) } };
}

describe('breach notices', () => {
  it('records the affected parties and tells the affected customer’s organisation contacts at once, but not the holder while the risk is not high', async () => {
    const org = await organisation();
    const res = await h.api.post('/v1/breaches').set(h.auth(dpo)).send(breach({ affectedSubjectIds: [org.holder.id], risk: 'low' })).expect(201);
    // The holder's customer is affected through the holder.
    expect(res.body).toMatchObject({ risk: 'low', affectedSubjectIds: [org.holder.id], affectedCustomerIds: [org.customer.id], subjectsNotifiedAt: null });
    expect(res.body.notices).toEqual({ subjects: { sent: 0, failed: 0, unreachable: 0 }, customers: { sent: 2, failed: 0, unreachable: 0 } });
    const itMail = await mail.waitFor(org.emails.it);
    expect(itMail.text).toContain('Backup disk lost');
    expect(itMail.text).toContain('Keys rotated');
    await mail.waitFor(org.emails.billing);
    expect(mailsTo(org.emails.holder)).toHaveLength(0);

    const listed = await h.api.get(`/v1/breaches/${res.body.id}/notices`).set(h.auth(await h.login('auditor'))).expect(200);
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.items.map((n: { contactId: string }) => n.contactId).sort()).toEqual([org.it.id, org.billing.id].sort());
    for (const n of listed.body.items) expect(n).toMatchObject({ kind: 'breach_customer', status: 'sent', customerId: org.customer.id, at: expect.any(String) });
    // The notice records name no address.
    expect(JSON.stringify(await h.services.prisma.notice.findMany({ where: { breachId: res.body.id } }))).not.toContain('@');

    // The risk is reassessed as high: now the holder is told, once; the organisation is not told twice.
    const high = await h.api.patch(`/v1/breaches/${res.body.id}`).set(h.auth(dpo)).send({ risk: 'high' }).expect(200);
    expect(high.body.notices).toEqual({ subjects: { sent: 1, failed: 0, unreachable: 0 }, customers: { sent: 0, failed: 0, unreachable: 0 } });
    expect(high.body.subjectsNotifiedAt).toEqual(expect.any(String));
    const holderMail = await mail.waitFor(org.emails.holder);
    expect(holderMail.text).toMatch(/concerns your data/);
    await h.api.patch(`/v1/breaches/${res.body.id}`).set(h.auth(dpo)).send({ measures: 'Also reported to the police.' }).expect(200);
    expect(mailsTo(org.emails.holder)).toHaveLength(1);
    expect(mailsTo(org.emails.it)).toHaveLength(1);
    expect((await h.api.get(`/v1/breaches/${res.body.id}/notices`).set(h.auth(dpo))).body.items).toHaveLength(3);
  });

  it('tells a customer named directly through all its contacts when none has a management, IT or billing role', async () => {
    const customer = await buildCustomer(h);
    const only = await buildContact(h, { customerId: customer.id, roles: ['licence_holder'] });
    const email = (await h.api.get(`/v1/contacts/${only.id}`).set(h.auth(dpo)).set('X-Purpose', 'breach notice test')).body.email as string;
    const res = await h.api.post('/v1/breaches').set(h.auth(dpo)).send(breach({ affectedCustomerIds: [customer.id] })).expect(201);
    expect(res.body.notices.customers.sent).toBe(1);
    expect((await mail.waitFor(email)).text).toContain('your organisation');
  });

  it('refuses unknown affected ids with pointers, writing nothing', async () => {
    const before = await h.services.prisma.breachRecord.count();
    const res = await h.api.post('/v1/breaches').set(h.auth(dpo)).send(breach({ affectedSubjectIds: ['00000000-0000-4000-8000-000000000000'], affectedCustomerIds: ['not-a-uuid'] }));
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/affectedCustomerIds/0']);
    const unknown = await h.api.post('/v1/breaches').set(h.auth(dpo)).send(breach({ affectedSubjectIds: ['00000000-0000-4000-8000-000000000000'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors).toEqual([{ pointer: '/affectedSubjectIds/0', detail: 'no such contact' }]);
    expect(await h.services.prisma.breachRecord.count()).toBe(before);
    expect((await h.api.get('/v1/breaches/00000000-0000-4000-8000-000000000000/notices').set(h.auth(dpo))).status).toBe(404);
  });
});
