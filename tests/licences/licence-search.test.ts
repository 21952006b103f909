/**
 * One search box for support (issue 12): a key or its last four characters, the holder's name (a
 * blind index of its words), e-mail, organisation, PC name, NT user — masked by role — and an
 * X-Purpose that is a real reference before it unmasks anything.
 */
import { indexContactNames } from '../../src/contacts/index-contact-names';
import { lastFourOf } from '../../src/licences/search-licences';
import { indexNtUsers } from '../../src/devices/index-nt-users';
import { buildContact, buildCustomer, buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

let h: Harness;
let support: string;
beforeAll(async () => { h = await createHarness(); support = await h.login('support'); });
afterAll(() => h.close());

const search = (q: string, token = support) => h.api.get('/v1/licences').query({ q }).set(h.auth(token)).expect(200);
const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((l) => l.id);

describe('lastFourOf', () => {
  it('reads the last four as printed, with the check character\'s extra symbols, and forgives O/I/L', () => {
    expect(lastFourOf('n9zu')).toBe('N9ZU');
    expect(lastFourOf('x7ko')).toBe('X7K0');
    expect(lastFourOf('AB1$')).toBe('AB1$');
    expect(lastFourOf('ABU1')).toBeNull(); // U only as the check character
    expect(lastFourOf('abc')).toBeNull();
  });
});

describe('GET /v1/licences?q=', () => {
  it('finds a licence by the words of its holder\'s name, in any case and without accents, masked for support', async () => {
    const holder = await buildContact(h, { firstName: 'Renée', lastName: 'Van der Berg-Dupont' });
    const { licence } = await buildLicence(h, { holderId: holder.id });
    await buildLicence(h); // someone else
    for (const q of ['renee van der berg', 'DUPONT', 'Renée Dupont']) expect(ids(await search(q))).toEqual([licence.id]);
    expect(ids(await search('renee smith'))).toEqual([]);
    const [found] = (await search('dupont')).body.items;
    expect(JSON.stringify(found)).not.toContain('Dupont');
    const row = await h.services.prisma.contact.findUniqueOrThrow({ where: { id: holder.id } });
    expect(row.nameIndexes.join()).not.toMatch(/dupont|renee/i);
  });

  it('follows a corrected name (staff PATCH) and indexes contacts created before name search', async () => {
    const admin = await h.login('admin');
    const holder = await buildContact(h, { firstName: 'Piet', lastName: 'Janssens' });
    const { licence } = await buildLicence(h, { holderId: holder.id });
    await h.api.patch(`/v1/contacts/${holder.id}`).set(h.auth(admin)).send({ lastName: 'Claes' }).expect(200);
    expect(ids(await search('piet claes'))).toEqual([licence.id]);
    expect(ids(await search('janssens'))).toEqual([]);
    // as a row from before the migration: no indexes yet
    await h.services.prisma.contact.update({ where: { id: holder.id }, data: { nameIndexes: [] } });
    expect(ids(await search('piet claes'))).toEqual([]);
    expect(await indexContactNames(h.services)).toBeGreaterThanOrEqual(1);
    expect(ids(await search('piet claes'))).toEqual([licence.id]);
  });

  it('finds by the full key and by its last four characters (typed loosely), whatever the check character', async () => {
    for (let i = 0; i < 8; i++) {
      const { licence, key } = await buildLicence(h);
      expect(ids(await search(key))).toEqual([licence.id]);
      expect({ key, found: ids(await search(key.slice(-4).toLowerCase())) }).toEqual({ key, found: expect.arrayContaining([licence.id]) });
    }
  });

  it('finds by e-mail, organisation, PC name and NT user name', async () => {
    const customer = await buildCustomer(h, { name: 'Stad Oostende Zoekdienst' });
    const holder = await buildContact(h, { customerId: customer.id, email: 'finder@oostende.test' });
    const { licence, key, product } = await buildLicence(h, { holderId: holder.id });
    const device = aDevice({ pcName: 'PC-ZOEK-77', ntUsername: 'zoeker', ntDomain: 'OOSTENDE' });
    expect((await validate(h, validateBody(key, product.code, device))).body.code).toBe('VALID');
    for (const q of ['finder@oostende.test', 'oostende zoek', 'pc-zoek-77', 'OOSTENDE\\zoeker', 'zoeker']) {
      expect({ q, found: ids(await search(q)) }).toEqual({ q, found: [licence.id] });
    }
    // What is typed is matched as typed: % and _ are not wildcards (they once listed every licence),
    // in the licence search and in the customer list's name filter alike.
    for (const q of ['%', '_', '%%', 'st_d oostende', 'stad%zoek', 'oostende\\%']) {
      expect({ q, found: ids(await search(q)) }).toEqual({ q, found: [] });
      expect({ q, customers: ids(await h.api.get('/v1/customers').query({ name: q, limit: 100 }).set(h.auth(support)).expect(200)) }).toEqual({ q, customers: [] });
    }
    expect(ids(await h.api.get('/v1/customers').query({ name: 'stad oostende', limit: 100 }).set(h.auth(support)).expect(200))).toEqual([customer.id]);
    // an account bound before search by user name alone: indexed at start-up
    await h.services.prisma.licenceUser.updateMany({ where: { licenceId: licence.id }, data: { ntUserIndex: null } });
    expect(ids(await search('zoeker'))).toEqual([]);
    expect(await indexNtUsers(h.services)).toBeGreaterThanOrEqual(1);
    expect(ids(await search('zoeker'))).toEqual([licence.id]);
  });
});

describe('X-Purpose for unmasking', () => {
  it('refuses a one-character or letter-only purpose from support with a pointer to the header', async () => {
    const { licence } = await buildLicence(h);
    for (const purpose of ['x', 'ticket', '12345']) {
      const res = await h.api.get(`/v1/licences/${licence.id}`).set(h.auth(support)).set('X-Purpose', purpose);
      expect({ purpose, status: res.status }).toEqual({ purpose, status: 400 });
      expect(res.body.errors[0].pointer).toBe('/headers/x-purpose');
    }
  });

  it('unmasks with a ticket reference or a sensible text, and records it', async () => {
    const holder = await buildContact(h, { firstName: 'Annelies' });
    const { licence } = await buildLicence(h, { holderId: holder.id });
    for (const purpose of ['SUP-1', 'ticket 4711']) {
      const res = await h.api.get(`/v1/licences/${licence.id}`).set(h.auth(support)).set('X-Purpose', purpose).expect(200);
      expect(JSON.stringify(res.body)).toContain('Annelies');
    }
    const auditor = await h.login('auditor');
    const trail = await h.api.get(`/v1/audit?subjectId=${holder.id}&action=licence.read`).set(h.auth(auditor)).set('X-Purpose', 'quarterly review').expect(200);
    expect(trail.body.items.map((e: { purpose: string }) => e.purpose)).toEqual(expect.arrayContaining(['SUP-1', 'ticket 4711']));
  });
});

describe('validation statistics and history', () => {
  it('counts validations by code for the dashboard, and lists a licence\'s recent validations', async () => {
    const { licence, key, product } = await buildLicence(h, { policy: { maxMachines: 1 } });
    await validate(h, validateBody(key, product.code, aDevice()));
    await validate(h, validateBody(key, product.code, aDevice()));
    const auditor = await h.login('auditor');
    const day = await h.api.get('/v1/stats/validations?window=24h').set(h.auth(auditor)).expect(200);
    expect(day.body.bucket).toBe('hour');
    expect(day.body.totals.VALID).toBeGreaterThanOrEqual(1);
    expect(day.body.totals.TOO_MANY_MACHINES).toBeGreaterThanOrEqual(1);
    const month = await h.api.get('/v1/stats/validations?window=30d').set(h.auth(auditor)).expect(200);
    expect(month.body.bucket).toBe('day');
    await h.api.get('/v1/stats/validations?window=1y').set(h.auth(auditor)).expect(400);
    const history = await h.api.get(`/v1/licences/${licence.id}/validations`).set(h.auth(support)).expect(200);
    expect(history.body.items.map((e: { code: string }) => e.code)).toEqual(['TOO_MANY_MACHINES', 'VALID']);
  });
});
