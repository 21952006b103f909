/**
 * End of a customer's agreement (policy 004): an export of all the customer's data in a
 * documented format, then deletion of every contact through the subject erasure, with a signed
 * closure receipt; billing records kept for the VAT Code.
 */
import { createHash } from 'node:crypto';
import { verifyReceipt } from '../../src/privacy/receipts';
import { buildSubjectWorld } from '../privacy/support/subject-world';
import { buildContact, buildCustomer } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let dpo: string;
beforeAll(async () => { h = await createHarness(); dpo = await h.login('privacy_officer'); });
afterAll(() => h.close());

const DAY = 86_400_000;
const exportOf = (customerId: string) => h.api.post(`/v1/customers/${customerId}/exports`).set(h.auth(dpo))
  .buffer(true).parse((res, cb) => { let t = ''; res.setEncoding('utf8'); res.on('data', (c: string) => { t += c; }); res.on('end', () => cb(null, t)); });

describe('closing a customer at the end of its agreement', () => {
  it('exports everything, then erases every contact and answers with a signed receipt; billing records stay', async () => {
    const customer = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() - DAY) });
    const a = await buildSubjectWorld(h, { customerId: customer.id });
    const b = await buildSubjectWorld(h, { customerId: customer.id });
    const billing = await buildContact(h, { customerId: customer.id, roles: ['billing'] });

    // No closing without an export of this customer.
    const refused = await h.api.post(`/v1/customers/${customer.id}/actions/close`).set(h.auth(dpo)).send({ exportId: '00000000-0000-4000-8000-000000000000' });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0].pointer).toBe('/exportId');

    const res = await exportOf(customer.id).expect(200);
    const text = res.body as string;
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: 'nomina.customer-export', version: 1, exportId: res.headers['x-export-id'], customer: { id: customer.id, name: customer.name } });
    expect(doc.billingRecords).toHaveLength(2);
    expect(doc.subjects).toHaveLength(3);
    const subjectA = doc.subjects.find((s: { subject: { contactId: string } }) => s.subject.contactId === a.contactId);
    expect(subjectA.format).toBe('nomina.subject-export');
    expect(subjectA.data.contact.items[0]).toMatchObject({ email: a.email, lastName: a.lastName });
    expect(subjectA.data.licences.items[0].id).toBe(a.licenceId);
    expect(subjectA.data.devices.items[0]).toMatchObject({ pcName: a.pcName });
    expect(subjectA.data.telemetry_events.count).toBeGreaterThan(0);
    const stored = await h.services.prisma.customerExport.findUniqueOrThrow({ where: { id: doc.exportId } });
    expect(stored.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(await h.services.prisma.auditEntry.count({ where: { action: 'customer.export', resourceId: customer.id } })).toBe(3);

    const closed = await h.api.post(`/v1/customers/${customer.id}/actions/close`).set(h.auth(await h.login('admin'))).send({ exportId: doc.exportId }).expect(200);
    expect(closed.body).toMatchObject({ alreadyClosed: false, subjectsErased: 3, billingRecordsKept: 2 });
    const receipt = await verifyReceipt(h.services, closed.body.receipt, 'nomina-customer-closure-receipt+jwt');
    expect(receipt).toMatchObject({ receipt: 'customer-closure', customerId: customer.id, exportId: doc.exportId, exportSha256: stored.sha256, subjectsErased: 3 });
    expect((receipt!.erasures as { recordsLeft: number }[]).every((e) => e.recordsLeft === 0)).toBe(true);
    // A closure receipt cannot pass for another kind of receipt.
    expect(await verifyReceipt(h.services, closed.body.receipt, 'nomina-erasure-receipt+jwt')).toBeNull();

    for (const id of [a.contactId, b.contactId, billing.id]) {
      expect(await h.services.prisma.contact.count({ where: { id } })).toBe(0);
      expect(await h.services.prisma.erasureJob.findFirstOrThrow({ where: { subjectId: id } })).toMatchObject({ status: 'completed' });
    }
    expect(await h.services.prisma.licence.count({ where: { customerId: customer.id } })).toBe(0);
    expect(await h.services.prisma.device.count({ where: { id: { in: [a.deviceId, b.deviceId] } } })).toBe(0);
    expect(await h.services.prisma.billingRecord.count({ where: { customerId: customer.id } })).toBe(2);
    expect((await h.services.prisma.customer.findUniqueOrThrow({ where: { id: customer.id } })).closedAt).toBeInstanceOf(Date);

    const again = await h.api.post(`/v1/customers/${customer.id}/actions/close`).set(h.auth(dpo)).send({ exportId: doc.exportId }).expect(200);
    expect(again.body).toMatchObject({ alreadyClosed: true, receipt: closed.body.receipt });
  });

  it('refuses an export older than the customer’s latest change, and takes no new contact or licence once closed', async () => {
    const admin = await h.login('admin');
    const customer = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() - DAY) });
    await buildSubjectWorld(h, { customerId: customer.id });
    const first = JSON.parse((await exportOf(customer.id).expect(200)).body as string);
    await new Promise((r) => setTimeout(r, 20)); // a later millisecond than the export's
    const late = await buildContact(h, { customerId: customer.id });
    // The contact added after the export would be erased without ever having been handed back.
    const stale = await h.api.post(`/v1/customers/${customer.id}/actions/close`).set(h.auth(admin)).send({ exportId: first.exportId }).expect(409);
    expect(stale.body.errors[0].pointer).toBe('/exportId');
    expect(await h.services.prisma.contact.count({ where: { customerId: customer.id } })).toBe(2);
    const second = JSON.parse((await exportOf(customer.id).expect(200)).body as string);
    expect(second.subjects.map((x: { subject: { contactId: string } }) => x.subject.contactId)).toContain(late.id);
    expect((await h.api.post(`/v1/customers/${customer.id}/actions/close`).set(h.auth(admin)).send({ exportId: second.exportId }).expect(200)).body).toMatchObject({ subjectsErased: 2 });

    // Closed: nothing new is collected under it.
    const contact = await h.api.post('/v1/contacts').set(h.auth(admin)).send({ customerId: customer.id, firstName: 'After', lastName: 'Closing', email: 'after.closing@closed.test', roles: ['licence_holder'] }).expect(409);
    expect(contact.body.errors[0].pointer).toBe('/customerId');
    expect(await h.services.prisma.contact.count({ where: { customerId: customer.id } })).toBe(0);
    // A holder left under a closed customer (closed while it was being added) gets no new licence either.
    const other = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() - DAY) });
    const holder = await buildSubjectWorld(h, { customerId: other.id });
    const { policyId } = await h.services.prisma.licence.findUniqueOrThrow({ where: { id: holder.licenceId }, select: { policyId: true } });
    await h.services.prisma.customer.update({ where: { id: other.id }, data: { closedAt: new Date() } });
    const licence = await h.api.post('/v1/licences').set(h.auth(admin)).send({ policyId, holderId: holder.contactId }).expect(409);
    expect(licence.body.errors[0].pointer).toBe('/customerId');
    expect(await h.services.prisma.licence.count({ where: { customerId: other.id } })).toBe(1);
  });

  it('refuses while the agreement runs, and refuses an export of another customer', async () => {
    const running = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() + 30 * DAY) });
    await buildSubjectWorld(h, { customerId: running.id });
    const exported = JSON.parse((await exportOf(running.id).expect(200)).body as string);
    const res = await h.api.post(`/v1/customers/${running.id}/actions/close`).set(h.auth(dpo)).send({ exportId: exported.exportId });
    expect(res.status).toBe(409);
    expect(await h.services.prisma.contact.count({ where: { customerId: running.id } })).toBe(1);

    const ended = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() - DAY) });
    expect((await h.api.post(`/v1/customers/${ended.id}/actions/close`).set(h.auth(dpo)).send({ exportId: exported.exportId })).status).toBe(422);
    expect((await h.api.post('/v1/customers/00000000-0000-4000-8000-000000000000/exports').set(h.auth(dpo))).status).toBe(404);
    expect((await h.api.post(`/v1/customers/${ended.id}/actions/close`).set(h.auth(dpo)).send({})).status).toBe(400);
  });
});
