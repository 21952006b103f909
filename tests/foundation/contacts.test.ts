import { buildCustomer } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';

let h: Harness;
let customerId: string;
beforeAll(async () => {
  h = await createHarness();
  customerId = (await buildCustomer(h)).id;
});
afterAll(() => h.close());

const person = {
  firstName: 'Émilie', lastName: 'Vanderstraeten', email: 'Emilie.V@gemeente-gent.be', title: 'Mevr.',
  jobTitle: 'Diensthoofd aankoop', department: 'Financiën', address: 'Botermarkt 1, 9000 Gent',
  phone: '+32 9 266 11 11', fax: '+32 9 266 11 12', roles: ['licence_holder', 'billing'],
};

async function createContact() {
  const support = await h.login('support');
  customerId = (await buildCustomer(h)).id;
  const res = await h.api.post('/v1/contacts').set(h.auth(support)).send({ customerId, ...person }).expect(201);
  return res.body as { id: string };
}

describe('contacts', () => {
  it('stores no personal field in plaintext anywhere in the database', async () => {
    const { id } = await createContact();
    const everyTable = await h.services.prisma.$queryRawUnsafe<{ table_name: string }[]>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
    );
    const dump: string[] = [];
    for (const { table_name } of everyTable) {
      const rows = await h.services.prisma.$queryRawUnsafe<unknown[]>(`SELECT row_to_json(t)::text AS row FROM "${table_name}" t`);
      dump.push(...rows.map((r) => (r as { row: string }).row));
    }
    const text = dump.join('\n').toLowerCase();
    for (const value of [person.firstName, person.lastName, person.email, person.jobTitle, person.address, person.phone, 'botermarkt', 'vanderstraeten']) {
      expect({ value, found: text.includes(value.toLowerCase()) }).toEqual({ value, found: false });
    }
    expect(text).toContain(id); // the dump itself worked
  });

  it('shows support a masked contact unless a purpose is stated, and audits both reads with the purpose', async () => {
    const { id } = await createContact();
    const support = await h.staffUser('support');
    const masked = await h.api.get(`/v1/contacts/${id}`).set(h.auth(support.token)).expect(200);
    expect(masked.body).toMatchObject({ view: 'masked', firstName: 'É•••', email: 'E•••@gemeente-gent.be' });
    const full = await h.api.get(`/v1/contacts/${id}`).set(h.auth(support.token)).set('X-Purpose', 'ticket #4711').expect(200);
    expect(full.body).toMatchObject({ view: 'full', firstName: 'Émilie', email: 'Emilie.V@gemeente-gent.be', phone: '+32 9 266 11 11' });
    const reads = await h.audit.findMany({ where: { subjectId: id, action: 'contact.read' }, orderBy: { seq: 'asc' } });
    expect(reads.map((r) => [r.actorId, r.purpose])).toEqual([[support.id, null], [support.id, 'ticket #4711']]);
  });

  it('masks lists for support even with a purpose, and audits one entry per listed contact', async () => {
    const { id } = await createContact();
    const support = await h.login('support');
    const res = await h.api.get(`/v1/contacts?customerId=${customerId}`).set(h.auth(support)).set('X-Purpose', 'ticket #1').expect(200);
    expect(res.body.items.every((c: { view: string }) => c.view === 'masked')).toBe(true);
    expect(await h.services.prisma.auditEntry.count({ where: { subjectId: id, action: 'contact.list' } })).toBe(1);
  });

  it('lets the privacy officer read in full and rectify, auditing field names but not values', async () => {
    const { id } = await createContact();
    const dpo = await h.login('privacy_officer');
    const res = await h.api.patch(`/v1/contacts/${id}`).set(h.auth(dpo)).send({ lastName: 'Van der Straeten' }).expect(200);
    expect(res.body.lastName).toBe('Van der Straeten');
    const entry = await h.audit.findFirst({ where: { subjectId: id, action: 'contact.update' } });
    expect(entry?.details).not.toContain('Straeten');
    const auditor = await h.login('auditor');
    const trail = await h.api.get(`/v1/audit?subjectId=${id}&action=contact.update`).set(h.auth(auditor)).expect(200);
    expect(trail.body.items[0].details).toEqual({ fields: ['lastName'] });
  });

  it('answers 404 for a contact of an unknown customer and refuses bad fields with pointers', async () => {
    const support = await h.login('support');
    const missing = await h.api.post('/v1/contacts').set(h.auth(support)).send({ ...person, customerId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.status).toBe(404);
    const bad = await h.api.post('/v1/contacts').set(h.auth(support)).send({ ...person, customerId, email: 'not-an-email', phone: 'call me', roles: ['boss'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/email', '/phone', '/roles/0']);
  });

  it('refuses a second contact with the same e-mail at the same customer with 409', async () => {
    const support = await h.login('support');
    const email = 'dup.person@gemeente.test';
    await h.api.post('/v1/contacts').set(h.auth(support)).send({ ...person, customerId, email }).expect(201);
    expect((await h.api.post('/v1/contacts').set(h.auth(support)).send({ ...person, customerId, email: email.toUpperCase() })).status).toBe(409);
  });
});
