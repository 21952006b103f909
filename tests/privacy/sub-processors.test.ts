/**
 * The sub-processor register (policy 004): seeded from the configuration, maintained by staff,
 * shown in the public register, and every change told to each running customer's contacts by
 * e-mail (real SMTP server), with a record of who was told when.
 */
import { startMailServer, type TestMailServer } from './support/mail-server';
import { buildContact, buildCustomer } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { developmentPrivacySettings } from '../../src/privacy/privacy-settings';

let h: Harness;
let mail: TestMailServer;
let admin: string;
const configured = {
  ...developmentPrivacySettings(),
  subProcessors: [{ name: 'Hosting NV', service: 'servers and backups', location: 'Belgium (EEA)', categories: ['contact_data' as const, 'device_data' as const] }],
};
beforeAll(async () => {
  mail = await startMailServer();
  h = await createHarness({ smtpUrl: mail.url, privacy: configured });
  admin = await h.login('admin');
});
afterAll(async () => { await h.close(); await mail.close(); });

const DAY = 86_400_000;
const emailOf = async (id: string) => (await h.api.get(`/v1/contacts/${id}`).set(h.auth(admin)).set('X-Purpose', 'sub-processor notice test')).body.email as string;

describe('the sub-processor register', () => {
  it('starts from the configured list, and staff changes show in the register and are told to running customers', async () => {
    const register = await h.api.get('/v1/privacy/register').expect(200);
    expect(register.body.subProcessors.map((s: { name: string }) => s.name)).toEqual(['Hosting NV']);

    const running = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() + 300 * DAY) });
    const management = await buildContact(h, { customerId: running.id, roles: ['management'] });
    const holder = await buildContact(h, { customerId: running.id, roles: ['licence_holder'] });
    const ended = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() - DAY) });
    const formerIt = await buildContact(h, { customerId: ended.id, roles: ['it'] });
    const [managementEmail, holderEmail, formerEmail] = [await emailOf(management.id), await emailOf(holder.id), await emailOf(formerIt.id)];

    const added = await h.api.post('/v1/sub-processors').set(h.auth(admin))
      .send({ name: 'Mailrelay BV', service: 'SMTP relay', location: 'Netherlands (EEA)', categories: ['contact_data'] }).expect(201);
    expect(added.body).toMatchObject({ subProcessor: { name: 'Mailrelay BV', removedAt: null }, change: { kind: 'added' } });
    expect(added.body.notices.sent).toBeGreaterThanOrEqual(1);
    const notice = await mail.waitFor(managementEmail);
    expect(notice.text).toContain('Mailrelay BV');
    expect(notice.text).toContain('Netherlands (EEA)');
    // The organisation is told through its management contact, not the holder; an ended customer is not told.
    expect(mail.mails.some((m) => m.to.includes(holderEmail))).toBe(false);
    expect(mail.mails.some((m) => m.to.includes(formerEmail))).toBe(false);
    expect((await h.api.get('/v1/privacy/register')).body.subProcessors.map((s: { name: string }) => s.name)).toEqual(['Hosting NV', 'Mailrelay BV']);

    const id = added.body.subProcessor.id as string;
    const changed = await h.api.patch(`/v1/sub-processors/${id}`).set(h.auth(await h.login('privacy_officer'))).send({ location: 'Ireland (EEA)' }).expect(200);
    expect(changed.body.subProcessor.location).toBe('Ireland (EEA)');
    await mail.waitFor(managementEmail, (m) => m.text.includes('Ireland (EEA)') && m.text.includes('before'));
    await h.api.delete(`/v1/sub-processors/${id}`).set(h.auth(admin)).expect(200);
    await mail.waitFor(managementEmail, (m) => m.text.includes('no longer use'));
    expect((await h.api.get('/v1/privacy/register')).body.subProcessors.map((s: { name: string }) => s.name)).toEqual(['Hosting NV']);
    await h.api.patch(`/v1/sub-processors/${id}`).set(h.auth(admin)).send({ name: 'again' }).expect(404);

    const changes = await h.api.get('/v1/sub-processors/changes').set(h.auth(await h.login('auditor'))).expect(200);
    expect(changes.body.items.map((c: { kind: string }) => c.kind)).toEqual(['removed', 'changed', 'added', 'seeded']);
    const told = changes.body.items[2].notices as { contactId: string; customerId: string; status: string; at: string }[];
    expect(told).toEqual(expect.arrayContaining([expect.objectContaining({ contactId: management.id, customerId: running.id, status: 'sent', at: expect.any(String) })]));
    expect(told.some((n) => n.contactId === holder.id || n.contactId === formerIt.id)).toBe(false);
    const audit = await h.services.prisma.auditEntry.findMany({ where: { resourceType: 'sub_processor', resourceId: id } });
    expect(audit.map((a) => a.action).sort()).toEqual(['sub_processor.added', 'sub_processor.changed', 'sub_processor.removed']);
  });

  it('refuses unknown data categories and empty changes with pointers', async () => {
    const res = await h.api.post('/v1/sub-processors').set(h.auth(admin)).send({ name: 'X', service: 'Y', location: 'Z', categories: ['everything'] });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/categories/0']);
    const list = await h.api.get('/v1/sub-processors').set(h.auth(admin)).expect(200);
    expect((await h.api.patch(`/v1/sub-processors/${list.body.items[0].id}`).set(h.auth(admin)).send({})).status).toBe(400);
  });
});
