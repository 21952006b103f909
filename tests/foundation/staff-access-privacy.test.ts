/**
 * Privacy by construction on the staff side (docs/architecture.md §7, §8): support sees personal data masked
 * unless it states a purpose; every staff read or change that shows a subject's data leaves an
 * audit entry carrying that purpose, so the subject's export can say who looked and why.
 */
import { buildContact, buildLicence, buildPolicy } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

let h: Harness;
let support: string;
let dpo: string;
beforeAll(async () => {
  h = await createHarness();
  support = await h.login('support');
  dpo = await h.login('privacy_officer');
});
afterAll(() => h.close());

const entries = (subjectId: string, action: string) =>
  h.audit.findMany({ where: { subjectId, action }, orderBy: { seq: 'asc' } });

describe('licence actions by support', () => {
  it('issuing shows the holder masked without X-Purpose, in full with one, and the entry carries the purpose', async () => {
    const holder = await buildContact(h, { firstName: 'Marieke', lastName: 'Janssens' });
    const policy = await buildPolicy(h);
    const masked = await h.api.post('/v1/licences').set(h.auth(support)).send({ policyId: policy.id, holderId: holder.id }).expect(201);
    expect(masked.body.view).toBe('masked');
    expect(masked.body.holder).toMatchObject({ firstName: 'M•••', lastName: 'J•••' });
    expect(JSON.stringify(masked.body)).not.toContain('Janssens');
    const full = await h.api.post('/v1/licences').set(h.auth(support)).set('X-Purpose', 'order #88').send({ policyId: policy.id, holderId: holder.id }).expect(201);
    expect(full.body.holder).toMatchObject({ firstName: 'Marieke', lastName: 'Janssens' });
    const issued = await entries(holder.id, 'licence.issue');
    expect(issued.map((e) => e.purpose)).toEqual([null, 'order #88']);
  });

  it.each(['suspend', 'reinstate', 'revoke', 'rotate-key'])('%s records the stated purpose with the change', async (action) => {
    const { licence, holderId } = await buildLicence(h);
    const res = await h.api.post(`/v1/licences/${licence.id}/actions/${action}`).set(h.auth(support)).set('X-Purpose', `ticket 42 ${action}`).send({});
    expect(res.status).toBe(200);
    const name = action === 'rotate-key' ? 'licence.rotate_key' : `licence.${action}`;
    expect((await entries(holderId, name)).map((e) => e.purpose)).toEqual([`ticket 42 ${action}`]);
  });
});

describe('device release by staff', () => {
  it('audits showing a device that was already released (the second call changes nothing but shows its identifiers)', async () => {
    const { licence, key, product, holderId } = await buildLicence(h);
    const device = aDevice();
    const verdict = await validate(h, validateBody(key, product.code, device)).expect(200);
    const path = `/v1/licences/${licence.id}/devices/${verdict.body.device.id}/actions/release`;
    await h.api.post(path).set(h.auth(support)).set('X-Purpose', 'ticket 1').send({}).expect(200);
    const again = await h.api.post(path).set(h.auth(support)).set('X-Purpose', 'ticket 2').send({}).expect(200);
    expect(again.body.pcName).toBe(device.pcName);
    const audited = await h.audit.findMany({ where: { subjectId: holderId, resourceId: verdict.body.device.id }, orderBy: { seq: 'asc' } });
    expect(audited.map((e) => [e.action, e.purpose])).toEqual([['device.release', 'ticket 1'], ['device.read', 'ticket 2']]);
  });
});

describe('the privacy request queue', () => {
  it('audits reading one request and listing the queue, per subject, with the purpose', async () => {
    const contact = await buildContact(h);
    const logged = await h.api.post('/v1/privacy/requests').set(h.auth(dpo))
      .send({ contactId: contact.id, type: 'access', channel: 'letter', reason: 'letter from Mevr. Peeters about her son' }).expect(201);
    await h.api.get(`/v1/privacy/requests/${logged.body.id}`).set(h.auth(dpo)).set('X-Purpose', 'answering the letter').expect(200);
    expect((await entries(contact.id, 'privacy_request.read')).map((e) => [e.resourceId, e.purpose])).toEqual([[logged.body.id, 'answering the letter']]);
    const queue = await h.api.get('/v1/privacy/requests?status=open&limit=200').set(h.auth(dpo)).set('X-Purpose', 'weekly queue review').expect(200);
    expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(logged.body.id);
    expect((await entries(contact.id, 'privacy_request.list')).map((e) => e.purpose)).toEqual(['weekly queue review']);
  });
});

describe('reading the audit trail', () => {
  it('records the read for every person whose entries were shown, not only when filtered by one', async () => {
    const a = await buildContact(h);
    const b = await buildContact(h);
    for (const contact of [a, b]) {
      await h.api.get(`/v1/contacts/${contact.id}`).set(h.auth(support)).set('X-Purpose', 'ticket 9').expect(200);
    }
    const auditor = await h.login('auditor');
    const page = await h.api.get('/v1/audit?limit=5').set(h.auth(auditor)).set('X-Purpose', 'quarterly review').expect(200);
    const shown = new Set(page.body.items.map((e: { subjectId: string | null }) => e.subjectId));
    expect(shown.has(a.id) && shown.has(b.id)).toBe(true);
    for (const contact of [a, b]) {
      expect((await entries(contact.id, 'audit.read')).map((e) => e.purpose)).toEqual(['quarterly review']);
    }
  });
});
