/**
 * After an erasure, nothing identifies the person any more, in any form: not in a full pg_dump
 * of the PostgreSQL database, and not in any file of the embedded database's data directory
 * (the e-mail outbox excepted, see the README). The person is built through the public API as
 * users would: contact details, a licence, a desktop validating with its NT account, PC name and
 * MACs, staff reads whose purpose names the person and their PC, a suspension with a reason, the
 * holder's own request with a reason, then erasure by the privacy officer.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp } from '../../src/app';
import type { Database } from '../../src/db/database';
import { createLogger } from '../../src/logger';
import { buildServices, type Services } from '../../src/services';
import { createStaffUser } from '../../src/staff/create-staff-user';
import { openMigratedDatabase } from '../../src/startup';
import { createHarness, type Harness } from '../support/harness';
import { testConfig } from '../support/test-config';
import { aDevice, validateBody } from '../validation/validate-helpers';

interface Person { identifiers: string[]; contactId: string }

async function staffToken(api: TestAgent, services: Services, role: 'admin' | 'support' | 'privacy_officer') {
  const email = `${role}.${randomBytes(4).toString('hex')}@vendor.test`;
  await createStaffUser(services.prisma, { email, password: 'correct horse battery staple', roles: [role] });
  const login = await api.post('/v1/staff/sessions').send({ email, password: 'correct horse battery staple' }).expect(200);
  return { Authorization: `Bearer ${login.body.token}` };
}

/** A licence holder with data in every store, and every form their identifiers could take. */
async function livePerson(api: TestAgent, services: Services): Promise<Person> {
  const admin = await staffToken(api, services, 'admin');
  const support = await staffToken(api, services, 'support');
  const dpo = await staffToken(api, services, 'privacy_officer');
  const id = randomBytes(3).toString('hex');
  const firstName = `Wannes${id}`;
  const lastName = `Dewaele${id}`;
  const email = `wannes.${id}@stad-gent.test`;
  const phone = `+32 9 266 ${id.slice(0, 2).replace(/\D/g, '7')}7 11`;
  const address = `Botermarkt ${id} 1, 9000 Gent`;
  const pcName = `GENT-PC-${id.toUpperCase()}`;
  const ntUser = `wdewaele${id}`;
  const mac = aDevice().macAddresses[0];

  const customer = await api.post('/v1/customers').set(admin).send({ name: 'Stad Gent', country: 'BE', agreementStartsAt: '2026-01-01T00:00:00Z' }).expect(201);
  const contact = await api.post('/v1/contacts').set(admin)
    .send({ customerId: customer.body.id, firstName, lastName, email, phone, address, roles: ['licence_holder'] }).expect(201);
  const product = await api.post('/v1/products').set(admin).send({ code: `G${id}`.toUpperCase(), name: 'GIS Desktop' }).expect(201);
  const policy = await api.post('/v1/policies').set(admin).send({ productId: product.body.id, name: 'Named user', maxMachines: 2, maxUsers: 1 }).expect(201);
  const licence = await api.post('/v1/licences').set(admin).send({ policyId: policy.body.id, holderId: contact.body.id }).expect(201);
  const key = licence.body.key as string;
  const device = { ntUsername: ntUser, ntDomain: 'STADGENT', pcName, macAddresses: [mac] };
  const verdict = await api.post('/v1/validate').send(validateBody(key, product.body.code, device)).expect(200);
  expect(verdict.body.code).toBe('VALID');
  await api.post('/v1/telemetry').set({ Authorization: `Bearer ${verdict.body.token}` })
    .send({ batchId: crypto.randomUUID(), events: [{ type: 'feature', name: 'export_pdf', at: new Date().toISOString(), durationMs: 12 }] }).expect(202);
  // Staff free text about the person: a purpose naming them and their PC, a suspension reason.
  const purpose = { 'X-Purpose': `Ticket 4711 ${firstName} ${lastName} cannot activate on ${pcName}` };
  await api.get(`/v1/contacts/${contact.body.id}`).set(support).set(purpose).expect(200);
  await api.get(`/v1/licences/${licence.body.id}/devices`).set(support).set(purpose).expect(200);
  await api.post(`/v1/licences/${licence.body.id}/actions/suspend`).set(support).set(purpose).send({ reason: `${firstName} ${lastName} left for another department` }).expect(200);
  await api.post(`/v1/licences/${licence.body.id}/actions/reinstate`).set(support).send({ reason: 'back in the team' }).expect(200);
  // The holder asks for erasure, with a reason in their own words; the privacy officer completes it.
  const subject = (await services.sessions.issueSubject(contact.body.id, 900)).token;
  const asked = await api.post('/v1/privacy/me/requests').set({ Authorization: `Bearer ${subject}` })
    .send({ type: 'erasure', reason: `I am ${firstName} ${lastName} (${email}) and I left Stad Gent` }).expect(201);
  await api.post(`/v1/privacy/requests/${asked.body.id}/actions/complete`).set(dpo).send({ endRunningLicences: true }).expect(200);

  const normalisedKey = key.replace(/-/g, '');
  const macBytes = mac.split(':');
  return {
    contactId: contact.body.id,
    identifiers: [
      firstName, lastName, email, phone, phone.replace(/\s/g, ''), address, `Botermarkt ${id}`, pcName, pcName.toLowerCase(), ntUser, `STADGENT\\${ntUser}`,
      macBytes.join(':'), macBytes.join('-'), macBytes.join(''), macBytes.join(':').toLowerCase(), macBytes.join('-').toLowerCase(), macBytes.join('').toLowerCase(),
      key, normalisedKey, 'Ticket 4711',
    ],
  };
}

function found(haystack: string, identifiers: string[]): string[] {
  return identifiers.filter((needle) => haystack.includes(needle));
}

describe('after an erasure, on PostgreSQL', () => {
  let h: Harness;
  beforeAll(async () => { h = await createHarness({ dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-trace-')) }); });
  afterAll(() => h.close());

  it('a full pg_dump contains none of the person’s identifiers, in any form', async () => {
    const person = await livePerson(h.api, h.services);
    const dump = execFileSync('pg_dump', ['--format=plain', `--dbname=${h.databaseUrl}`], { maxBuffer: 256 * 1024 * 1024 }).toString('utf8');
    expect(dump).toContain('audit_entries'); // a real dump
    expect(found(dump, person.identifiers)).toEqual([]);
  });
});

describe('after an erasure, on the embedded database', () => {
  let dir: string;
  let db: Database;
  let services: Services;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nomina-trace-embedded-'));
    const config = testConfig({ dataDir: dir });
    db = await openMigratedDatabase(config, createLogger('silent'));
    services = buildServices(config, db, createLogger('silent'));
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('no file of the data directory (the outbox excepted) contains the person’s identifiers', async () => {
    const person = await livePerson(request(createApp(services)), services);
    await services.close();
    await db.close(); // everything flushed to the files
    const files = walk(dir).filter((file) => !file.startsWith(path.join(dir, 'outbox')));
    expect(files.length).toBeGreaterThan(10);
    const hits = files.flatMap((file) => found(readFileSync(file).toString('latin1'), person.identifiers).map((id) => `${path.relative(dir, file)}: ${id}`));
    expect(hits).toEqual([]);
  }, 120_000);
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
