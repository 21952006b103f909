/**
 * Retention (docs/architecture.md §2.6, §7): subjects 2 years after their customer's agreement ended, raw
 * validation events after 180 days, telemetry after 13 months; dry run first; a signed receipt.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyReceipt } from '../../src/privacy/receipts';
import { BILLING_RECORD_RETENTION_YEARS, categoryInfo } from '../../src/privacy/register/catalogue';
import { DEFAULT_RETENTION, retentionCutoffs } from '../../src/retention/retention-policy';
import { runRetention } from '../../src/retention/run-retention';
import { runScheduledRetention } from '../../src/retention/retention-schedule';
import { buildCustomer, buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { buildSubjectWorld } from '../privacy/support/subject-world';

let h: Harness;
beforeAll(async () => { h = await createHarness({ dataDir: mkdtempSync(path.join(tmpdir(), 'nomina-ret-')) }); });
afterAll(() => h.close());

const DAY = 86_400_000;

describe('retention periods', () => {
  it('computes the cut-offs from now', () => {
    const c = retentionCutoffs(new Date('2026-11-22T12:00:00Z'));
    expect(c.agreementEndedBefore.toISOString()).toBe('2024-11-22T12:00:00.000Z');
    expect(c.validationEventsBefore.toISOString()).toBe('2026-05-26T12:00:00.000Z');
    expect(c.verificationCodesBefore.toISOString()).toBe('2026-11-21T12:00:00.000Z');
  });
});

describe('a retention run', () => {
  it('counts in a dry run, then erases old subjects, expires old events and keeps a signed receipt', async () => {
    const ended = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() - 800 * DAY) });
    const recent = await buildCustomer(h, { agreementEndsAt: new Date(Date.now() - 300 * DAY) });
    const old = await buildSubjectWorld(h, { customerId: ended.id });
    const current = await buildSubjectWorld(h, { customerId: recent.id });
    await h.services.prisma.validationEvent.createMany({ data: Array.from({ length: 7 }, () => ({ licenceId: current.licenceId, deviceId: current.deviceId, code: 'VALID' as const, at: new Date(Date.now() - 200 * DAY) })) });
    await h.services.prisma.verificationCode.create({ data: { emailIndex: 'x', codeHash: 'y', expiresAt: new Date(Date.now() - 2 * DAY), createdAt: new Date(Date.now() - 2 * DAY) } });
    // Closed requests of erased subjects (no contact left) are kept 5 years, then removed.
    const closedRequest = (yearsAgo: number) => {
      const at = new Date(Date.now() - yearsAgo * 365 * DAY);
      return { subjectRef: randomUUID(), type: 'access' as const, status: 'completed' as const, receivedAt: at, dueAt: at, closedAt: at };
    };
    const oldRequest = await h.services.prisma.privacyRequest.create({ data: closedRequest(6) });
    const keptRequest = await h.services.prisma.privacyRequest.create({ data: closedRequest(4) });
    await h.services.prisma.fraudObservation.createMany({ data: [
      { licenceId: current.licenceId, kind: 'machine', valueIndex: 'stale', firstAt: new Date(Date.now() - 300 * DAY), lastAt: new Date(Date.now() - 200 * DAY) },
      { licenceId: current.licenceId, kind: 'machine', valueIndex: 'fresh', firstAt: new Date(Date.now() - 300 * DAY), lastAt: new Date(Date.now() - DAY) },
    ] });

    const lines: string[] = [];
    const dry = await runRetention(h.services, { dryRun: true, trigger: 'test', onProgress: (l) => lines.push(l) });
    expect(dry.result).toMatchObject({ dryRun: true, subjects: { due: 1, erased: 0 }, validationEvents: 7, fraudObservations: 1, verificationCodes: 1, closedRequests: 1 });
    expect(lines.join('\n')).toMatch(/subjects whose agreement ended before .*: 1/);
    expect(await h.services.prisma.contact.count({ where: { id: old.contactId } })).toBe(1);
    expect(await h.services.prisma.validationEvent.count({ where: { licenceId: current.licenceId } })).toBe(10);

    const run = await runRetention(h.services, { dryRun: false, trigger: 'test' });
    expect(run.result).toMatchObject({ dryRun: false, subjects: { due: 1, erased: 1 }, validationEvents: 7, fraudObservations: 1, verificationCodes: 1, closedRequests: 1 });
    expect(await h.services.prisma.privacyRequest.count({ where: { id: { in: [oldRequest.id, keptRequest.id] } } })).toBe(1);
    expect(await h.services.prisma.privacyRequest.count({ where: { id: keptRequest.id } })).toBe(1);
    const observations = (await h.services.prisma.fraudObservation.findMany({ where: { licenceId: current.licenceId } })).map((o) => o.valueIndex);
    expect(observations).toContain('fresh');
    expect(observations).not.toContain('stale');
    expect(await h.services.prisma.contact.count({ where: { id: old.contactId } })).toBe(0);
    expect(await h.services.prisma.contact.count({ where: { id: current.contactId } })).toBe(1);
    expect(await h.services.prisma.validationEvent.count({ where: { licenceId: current.licenceId } })).toBe(3);
    const receipt = await verifyReceipt(h.services, run.receiptJws!, 'nomina-retention-receipt+jwt');
    expect(receipt).toMatchObject({ receipt: 'retention', runId: run.id, subjects: { erased: 1 } });
    // The erased subject has an erasure receipt of their own.
    const job = await h.services.prisma.erasureJob.findFirstOrThrow({ where: { subjectId: old.contactId } });
    expect(job.status).toBe('completed');

    const dpo = await h.login('privacy_officer');
    const listed = await h.api.get('/v1/retention/runs').set(h.auth(dpo)).expect(200);
    expect(listed.body.items.slice(0, 2).map((r: { id: string }) => r.id)).toEqual([run.id, dry.id]);
    expect(listed.body.items[0].receipt).toBe(run.receiptJws);
    expect((await h.api.get('/v1/retention/runs').set(h.auth(await h.login('support')))).status).toBe(403);
  });

  it('removes billing records 10 full calendar years after the period they record ended, and keeps younger ones', async () => {
    const customer = await buildCustomer(h);
    const yearsAgo = (n: number) => new Date(Date.now() - n * 365.25 * DAY);
    const record = (issued: Date, until: Date | null, licenceId = randomUUID()) => h.services.prisma.billingRecord.create({
      data: { customerId: customer.id, licenceId, productCode: 'OLD', issuedAt: issued, validFrom: issued, validUntil: until },
    });
    // A backdated 11-year-old row (its licence long gone) and one whose one-year period ended 12 years ago.
    const eleven = await record(yearsAgo(11), null);
    const twelve = await record(yearsAgo(13), yearsAgo(12));
    // Within the period: issued 11 years ago but ran until 8 years ago; and a 9-year-old row.
    const ranLonger = await record(yearsAgo(11), yearsAgo(8));
    const nine = await record(yearsAgo(9), null);
    // An open-ended licence that still exists: its contract has not ended, whatever its age.
    const running = await buildLicence(h);
    await h.services.prisma.billingRecord.updateMany({ where: { licenceId: running.licence.id }, data: { issuedAt: yearsAgo(11), validFrom: yearsAgo(11) } });
    const runningRecord = await h.services.prisma.billingRecord.findFirstOrThrow({ where: { licenceId: running.licence.id } });

    const dry = await runRetention(h.services, { dryRun: true, trigger: 'test' });
    expect(dry.result).toMatchObject({ billingRecords: 2 });
    expect(await h.services.prisma.billingRecord.count({ where: { id: eleven.id } })).toBe(1);
    const run = await runRetention(h.services, { dryRun: false, trigger: 'test' });
    expect(run.result).toMatchObject({ billingRecords: 2 });
    const left = (await h.services.prisma.billingRecord.findMany({ where: { id: { in: [eleven.id, twelve.id, ranLonger.id, nine.id, runningRecord.id] } } })).map((r) => r.id);
    expect(left.sort()).toEqual([ranLonger.id, nine.id, runningRecord.id].sort());
    const receipt = await verifyReceipt(h.services, run.receiptJws!, 'nomina-retention-receipt+jwt');
    expect(receipt).toMatchObject({ billingRecords: 2, periods: { billingRecordYears: 10 } });
  });

  it('declares the billing records retention in the catalogue, the one the run applies', () => {
    expect(categoryInfo('billing_records').retention).toMatch(/10 (full )?calendar years/);
    expect(DEFAULT_RETENTION.billingRecordYears).toBe(BILLING_RECORD_RETENTION_YEARS);
  });

  it('runs on schedule at most once a day across instances', async () => {
    expect(await runScheduledRetention(h.services)).toBe('ran');
    expect(await runScheduledRetention(h.services)).toBe('skipped');
  });
});
