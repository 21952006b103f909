/**
 * npm run bench:privacy — export and erasure of one heavy subject (docs/architecture.md §11): 100k telemetry
 * events over 12 monthly pseudonyms and 10k validation events, among other subjects, on
 * PostgreSQL. Targets: export ≤ 2 s (streamed), erasure ≤ 5 s.
 *
 * Baselines, measured in the same run on the same database: for the export, one plain SELECT of
 * the same rows with `pg` (no decryption, no JSON); for the erasure, plain DELETEs of the same rows.
 * Creates its own database (bench/support/bench-database.ts) and drops it at the end.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createContact } from '../src/contacts/create-contact';
import { openDatabase } from '../src/db/database';
import { issueLicence } from '../src/licences/issue-licence';
import { createLogger } from '../src/logger';
import { eraseSubject } from '../src/privacy/erasure/erase-subject';
import { writeExport } from '../src/privacy/export/write-export';
import { resolveSubjectScope } from '../src/privacy/subject-scope';
import { buildServices, type Services } from '../src/services';
import { licenceSigner } from '../src/signing/licence-signer';
import { createPartitionsAhead } from '../src/telemetry/telemetry-partitions';
import { telemetryPseudonym } from '../src/telemetry/pseudonym';
import { benchConfig, createBenchDatabase } from './support/bench-database';

const TELEMETRY = Number(process.env.BENCH_TELEMETRY ?? 100_000);
const VALIDATIONS = Number(process.env.BENCH_VALIDATIONS ?? 10_000);
const MONTHS = 12;

const ms = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e6;

async function heavySubject(services: Services, customerId: string, productId: string, policyId: string, telemetry: number, validations: number) {
  const id = randomUUID().slice(0, 8);
  const contact = await createContact(services, { customerId, firstName: 'Bench', lastName: `Holder ${id}`, email: `bench.${id}@example.test`, roles: ['licence_holder'] }, { type: 'system', id: 'bench' });
  const { licence } = await issueLicence(services, { policyId, holderId: contact.id }, { type: 'system', id: 'bench' });
  // A holder of 13 months' standing (their telemetry spans that long).
  await services.prisma.contact.update({ where: { id: contact.id }, data: { createdAt: new Date(Date.now() - 395 * 86_400_000) } });
  const device = await services.prisma.device.create({ data: { licenceId: licence.id, pcNameIndex: `pc-${id}`, pcNameEnc: 'v1.x' } });
  await services.prisma.$executeRawUnsafe(
    `INSERT INTO validation_events ("licenceId", "deviceId", code, "appVersion", "osVersion", at)
     SELECT $1::uuid, $2::uuid, 'VALID', '5.2.1', 'Windows 11', now() - make_interval(mins => g) FROM generate_series(1, $3::int) g`, licence.id, device.id, validations);
  const now = new Date();
  for (let m = 0; m < MONTHS; m += 1) {
    const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m, 1));
    const end = m === 0 ? now : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - m + 1, 1));
    const pseudonym = telemetryPseudonym(services.config.secrets.telemetryKey, contact.id, start.toISOString().slice(0, 7));
    await services.prisma.$executeRawUnsafe(
      `INSERT INTO telemetry_events (at, pseudonym, "productId", type, name, "durationMs", "appVersion", "osVersion", props)
       SELECT $1::timestamp(3) + (($2::timestamp(3) - $1::timestamp(3)) * (g::float8 / ($4::int + 1))), $3, $5::uuid, 'feature', 'feature.' || (g % 40), g % 5000, '5.2.1', 'Windows 11', jsonb_build_object('count', g)
         FROM generate_series(1, $4::int) g`, start, end, pseudonym, Math.floor(telemetry / MONTHS), productId);
  }
  return contact.id;
}

async function main() {
  const database = await createBenchDatabase('nomina_bench_privacy');
  const client = new Client({ connectionString: database.url });
  await client.connect();
  const db = await openDatabase({ databaseUrl: database.url, dataDir: mkdtempSync(path.join(os.tmpdir(), 'nomina-bench-')), poolSize: 10 });
  const services = buildServices(benchConfig({ dataDir: os.tmpdir(), trustProxy: 'false' }), db, createLogger('warn'));
  try {
    await createPartitionsAhead(services, new Date(), 2);
    const product = await services.prisma.product.create({ data: { code: 'BEN', name: 'Bench' } });
    const policy = await services.prisma.policy.create({ data: { productId: product.id, name: 'bench', entitlements: [] } });
    const customer = await services.prisma.customer.create({ data: { name: 'Bench BV', nameSearch: 'bench bv', country: 'BE', agreementStartsAt: new Date('2024-01-01') } });
    let t = process.hrtime.bigint();
    const subject = await heavySubject(services, customer.id, product.id, policy.id, TELEMETRY, VALIDATIONS);
    for (let i = 0; i < 3; i += 1) await heavySubject(services, customer.id, product.id, policy.id, TELEMETRY / 4, VALIDATIONS / 4); // neighbours
    await client.query('ANALYZE');
    console.log(`seeded: subject with ${TELEMETRY} telemetry + ${VALIDATIONS} validation events, and 3 neighbours at 1/4 of that (${ms(t).toFixed(0)} ms)`);

    const scope = (await resolveSubjectScope(services, subject, new Date()))!;
    await signalWarmUp(services);
    // Baseline export: one plain SELECT of the same rows, no JSON, no decryption.
    const pseudonyms = scope.telemetryMonths.map((m) => telemetryPseudonym(services.config.secrets.telemetryKey, subject, m));
    t = process.hrtime.bigint();
    const base1 = await client.query('SELECT * FROM telemetry_events WHERE pseudonym = ANY($1::text[])', [pseudonyms]);
    const base2 = await client.query('SELECT * FROM validation_events WHERE "licenceId" = ANY($1::uuid[])', [scope.licenceIds]);
    const baselineExport = ms(t);

    let bytes = 0;
    let firstByte = 0;
    t = process.hrtime.bigint();
    const counts = await writeExport(services, scope, async (chunk) => { if (!firstByte) firstByte = ms(t); bytes += Buffer.byteLength(chunk); });
    const exportMs = ms(t);
    console.log(`export:  ${exportMs.toFixed(0)} ms for ${counts.telemetry_events} telemetry + ${counts.validation_events} validation events, ${(bytes / 1e6).toFixed(1)} MB, first byte after ${firstByte.toFixed(0)} ms (target ≤ 2000 ms)`);
    console.log(`         baseline plain SELECT of the same ${base1.rowCount! + base2.rowCount!} rows: ${baselineExport.toFixed(0)} ms → ratio ${(exportMs / baselineExport).toFixed(1)}×`);

    // Baseline erasure: plain DELETEs of the same rows on a neighbour of the same size class is not
    // comparable; measure them on a copy of the subject's rows inside a rolled-back transaction.
    await client.query('BEGIN');
    t = process.hrtime.bigint();
    await client.query('DELETE FROM telemetry_events WHERE pseudonym = ANY($1::text[])', [pseudonyms]);
    await client.query('DELETE FROM validation_events WHERE "licenceId" = ANY($1::uuid[])', [scope.licenceIds]);
    const baselineErase = ms(t);
    await client.query('ROLLBACK');

    t = process.hrtime.bigint();
    const result = await eraseSubject(services, { contactId: subject, actor: { type: 'system', id: 'bench' }, endRunningLicences: true });
    const eraseMs = ms(t);
    if (result.status !== 'completed') throw new Error(`erasure ended as ${result.status}`);
    const erased = Object.fromEntries(result.receipt.erased.map((e) => [e.store, e.records]));
    console.log(`erasure: ${eraseMs.toFixed(0)} ms (${erased.telemetry_events} telemetry, ${erased.validation_events} validation events; verified over ${result.receipt.verification.storesChecked} stores, receipt signed) (target ≤ 5000 ms)`);
    console.log(`         baseline plain DELETEs of the same rows: ${baselineErase.toFixed(0)} ms → ratio ${(eraseMs / baselineErase).toFixed(1)}×`);
  } finally {
    await services.close();
    await db.close();
    await client.end();
    await database.drop();
  }
}

/** Loads the signing key once so the erasure timing does not include creating it. */
async function signalWarmUp(services: Services) {
  await licenceSigner(services).activeKey();
}

main().catch((error) => { console.error(error); process.exit(1); });
