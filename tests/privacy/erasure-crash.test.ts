/**
 * Erasure is re-runnable (docs/architecture.md §7): a process killed in the middle of an erasure leaves a
 * running job with the finished stores recorded; running the erasure again resumes, finishes,
 * verifies every store and signs the receipt.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyAuditChain } from '../../src/audit/verify-audit-chain';
import { eraseSubject } from '../../src/privacy/erasure/erase-subject';
import { readProgress } from '../../src/privacy/erasure/erasure-progress';
import { verifyReceipt } from '../../src/privacy/receipts';
import { SUBJECT_DATA_STORES } from '../../src/privacy/stores';
import { resolveSubjectScope } from '../../src/privacy/subject-scope';
import { createHarness, type Harness } from '../support/harness';
import { buildSubjectWorld } from './support/subject-world';

let h: Harness;
beforeAll(async () => { h = await createHarness({ dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-crash-')) }); });
afterAll(() => h.close());

function runChild(contactId: string, crashAfter: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  const s = h.config.secrets;
  const env = {
    ...process.env,
    CHILD_DATABASE_URL: h.databaseUrl, CHILD_DATA_DIR: h.config.dataDir, CHILD_CONTACT_ID: contactId, CHILD_CRASH_AFTER: String(crashAfter),
    CHILD_SECRETS: JSON.stringify({ master: s.masterKeys[0].key.toString('base64'), index: s.indexKey.toString('base64'), pepper: s.keyPepper.toString('base64'), telemetry: s.telemetryKey.toString('base64'), token: s.tokenSecret.toString('base64') }),
  };
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', path.join(__dirname, 'support/swc-register.cjs'), path.join(__dirname, 'support/erase-child.ts')], { env, cwd: path.join(__dirname, '../..') });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { out += c.toString(); });
    child.on('exit', (code, signal) => resolve({ code, signal, out }));
  });
}

describe('an erasure killed mid-way', () => {
  it('resumes where it stopped and completes, verified and signed', async () => {
    const world = await buildSubjectWorld(h, { validationEvents: 50, telemetryEvents: 50 });
    const scope = (await resolveSubjectScope(h.services, world.contactId, new Date()))!;
    const crash = await runChild(world.contactId, 5);
    expect(crash.signal).toBe('SIGKILL');
    expect(crash.out.trim().split('\n')).toHaveLength(5);

    const job = await h.services.prisma.erasureJob.findFirstOrThrow({ where: { subjectId: world.contactId } });
    expect(job.status).toBe('running');
    const progress = readProgress(job.progress);
    const done = SUBJECT_DATA_STORES.slice(0, 5).map((s) => s.name);
    expect(Object.keys(progress.done).sort()).toEqual([...done].sort());
    expect(progress.done.telemetry_events).toBe(50);
    // Half-erased: the first stores are empty, the contact and its key are still there.
    expect(await h.services.prisma.contact.count({ where: { id: world.contactId } })).toBe(1);
    expect(await h.services.prisma.validationEvent.count({ where: { licenceId: world.licenceId } })).toBe(0);

    const resumed = await eraseSubject(h.services, { contactId: world.contactId, actor: { type: 'system', id: 'test' }, endRunningLicences: true });
    expect(resumed).toMatchObject({ status: 'completed', resumed: true, jobId: job.id });
    for (const store of SUBJECT_DATA_STORES) expect({ store: store.name, left: await store.count(h.services, scope) }).toEqual({ store: store.name, left: 0 });
    const receipt = await verifyReceipt(h.services, resumed.status === 'completed' ? resumed.receiptJws : '', 'nomina-erasure-receipt+jwt');
    const counts = Object.fromEntries((receipt!.erased as { store: string; records: number }[]).map((e) => [e.store, e.records]));
    // Counts from before the crash are kept in the job, not lost.
    expect(counts).toMatchObject({ telemetry_events: 50, validation_events: 50, contact: 1, data_key: 1 });
    expect(await h.services.prisma.erasureJob.count({ where: { subjectId: world.contactId } })).toBe(1);
    expect(await verifyAuditChain(h.services.prisma)).toMatchObject({ ok: true });
  });
});
