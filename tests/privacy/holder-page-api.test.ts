/**
 * What the privacy page needs from the API: the access log in words and by role, the readable
 * export with the same facts as the JSON one, and releasing one's own computer within the budget.
 */
import { ACTIVITIES, DATA_CATEGORIES } from '../../src/privacy/register/catalogue';
import { ACTIVITIES_NL, CATEGORIES_NL } from '../../src/privacy/register/catalogue-nl';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const subjectToken = async (contactId: string) => (await h.services.sessions.issueSubject(contactId, 900)).token;

describe('GET /v1/privacy/me/access-log', () => {
  it('names staff by role with the purpose they gave and the action in English and Dutch, never a staff id', async () => {
    const { holderId, licence } = await buildLicence(h);
    const support = await h.staffUser('support');
    await h.api.get(`/v1/licences/${licence.id}`).set(h.auth(support.token)).set('X-Purpose', 'ticket 4711').expect(200);
    const res = await h.api.get('/v1/privacy/me/access-log').set(h.auth(await subjectToken(holderId))).expect(200);
    const read = res.body.items.find((e: { action: string }) => e.action === 'licence.read');
    expect(read).toMatchObject({
      who: { type: 'staff', roles: ['support'], label: { en: 'Support staff', nl: 'Klantenondersteuning' } },
      what: { en: 'Looked at your licence', nl: 'Heeft uw licentie bekeken' }, purpose: 'ticket 4711',
    });
    expect(JSON.stringify(res.body)).not.toContain(support.id);
    expect(JSON.stringify(res.body.items.map((e: { who: unknown }) => e.who))).not.toMatch(UUID);
  });
});

describe('GET /v1/privacy/me/export.html', () => {
  it('holds the same facts as the JSON export, in the chosen language, as a printable attachment', async () => {
    const { holderId, key, product } = await buildLicence(h);
    const device = aDevice({ pcName: 'LAPTOP-PRINT-1' });
    await validate(h, validateBody(key, product.code, device)).expect(200);
    const token = await subjectToken(holderId);
    const json = (await h.api.get('/v1/privacy/me/export').set(h.auth(token)).expect(200)).body;
    const res = await h.api.get('/v1/privacy/me/export.html?lang=nl').set(h.auth(token)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="nomina-export-.*\.html"/);
    const html = res.text;
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('Uw computers');
    expect(html).toContain('@media print');
    const contact = json.data.contact.items[0];
    for (const fact of [contact.firstName, contact.lastName, contact.email, json.data.licences.items[0].keyEndsWith,
      json.data.devices.items[0].pcName, json.data.device_macs.items[0].mac, json.data.licence_users.items[0].ntAccount,
      json.data.validation_events.items[0].at, ...json.howWeUseYourData.purposes.map((p: { id: string }) => ACTIVITIES_NL[p.id].legalBasis)]) {
      expect(html).toContain(String(fact).replace(/&/g, '&#38;').replace(/'/g, '&#39;'));
    }
    for (const [name, store] of Object.entries(json.data as Record<string, { count: number }>)) {
      if (store.count > 0 && name !== 'access_log') expect(html).toContain(`(${store.count})`);
    }
    await h.api.get('/v1/privacy/me/export.html?lang=fr').set(h.auth(token)).expect(400);
  });
});

describe('POST /v1/privacy/me/devices/:deviceId/release', () => {
  it('releases my own computer within the transfer budget, audited, and refuses beyond it and for another holder', async () => {
    const { holderId, key, product } = await buildLicence(h, { policy: { transfersPer30Days: 1, maxMachines: 3 } });
    const first = (await validate(h, validateBody(key, product.code, aDevice())).expect(200)).body.device.id;
    const second = (await validate(h, validateBody(key, product.code, aDevice())).expect(200)).body.device.id;
    const token = await subjectToken(holderId);
    const res = await h.api.post(`/v1/privacy/me/devices/${first}/release`).set(h.auth(token)).expect(200);
    expect(res.body).toMatchObject({ id: first, releasedAt: expect.any(String) });
    expect(await h.services.prisma.device.findUniqueOrThrow({ where: { id: first } })).toMatchObject({ releasedBy: 'subject' });
    const audit = await h.services.prisma.auditEntry.findFirstOrThrow({ where: { action: 'device.release', resourceId: first } });
    expect(audit).toMatchObject({ actorType: 'subject', actorId: holderId });
    const over = await h.api.post(`/v1/privacy/me/devices/${second}/release`).set(h.auth(token)).expect(409);
    expect(over.body.code).toBe('TRANSFER_BUDGET_EXHAUSTED');
    const other = await buildLicence(h);
    await h.api.post(`/v1/privacy/me/devices/${second}/release`).set(h.auth(await subjectToken(other.holderId))).expect(404);
    await h.api.post('/v1/privacy/me/devices/not-a-uuid/release').set(h.auth(token)).expect(400);
  });
});

describe('the register in Dutch', () => {
  it('has a Dutch purpose, legal basis and retention for every activity, and a Dutch name and retention for every category', () => {
    expect(Object.keys(ACTIVITIES_NL).sort()).toEqual(ACTIVITIES.map((a) => a.id).sort());
    expect(Object.keys(CATEGORIES_NL).sort()).toEqual(DATA_CATEGORIES.map((c) => c.id).sort());
  });
});
