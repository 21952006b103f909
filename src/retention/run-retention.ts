/**
 * One retention run: erase the subjects whose customer's agreement ended more than two years
 * ago (each through the same re-runnable erasure as a request, with its own receipt), expire raw
 * validation events, raw telemetry, verification codes, old closed requests and billing records
 * past their legal period, and keep a
 * RetentionRun with a signed receipt. A dry run counts and changes nothing (but is recorded).
 * Unfinished erasure jobs (a crash) are resumed first.
 */
import type { Services } from '../services';
import { eraseSubject, resumeErasureJobs } from '../privacy/erasure/erase-subject';
import { signReceipt } from '../privacy/receipts';
import { expireFraudObservations } from '../fraud/observation-store';
import { expireTelemetry } from '../telemetry/expire-telemetry';
import { DEFAULT_RETENTION, retentionCutoffs, type RetentionPeriods } from './retention-policy';

export interface RetentionResult {
  dryRun: boolean;
  cutoffs: Record<string, string>;
  erasureJobsResumed: number;
  subjects: { due: number; erased: number; receipts: string[] };
  validationEvents: number;
  fraudObservations: number;
  telemetryEvents: number;
  verificationCodes: number;
  closedRequests: number;
  billingRecords: number;
}

export interface RunRetentionOptions { dryRun: boolean; trigger: string; periods?: RetentionPeriods; onProgress?: (message: string) => void }

const BATCH = 10_000;

async function deleteInBatches(services: Services, table: 'validation_events', column: string, before: Date, progress: (n: number) => void): Promise<number> {
  let total = 0;
  for (;;) {
    // Bounded batches keep each transaction (and its locks and WAL) small on a big table.
    const n = await services.prisma.$executeRawUnsafe(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE "${column}" < $1 LIMIT ${BATCH})`, before);
    total += n;
    if (n > 0) progress(total);
    if (n < BATCH) return total;
  }
}

/**
 * Billing records whose licence period ended before the cut-off. An open-ended record (no
 * validUntil) counts from its issue date, but only once its licence is gone: while the licence
 * exists, the contract it records may still be running.
 */
const OLD_BILLING_RECORDS = `FROM billing_records b WHERE COALESCE(b."validUntil", b."issuedAt") < $1
  AND (b."validUntil" IS NOT NULL OR NOT EXISTS (SELECT 1 FROM licences l WHERE l.id = b."licenceId"))`;

async function expireBillingRecords(services: Services, before: Date, dryRun: boolean): Promise<number> {
  if (dryRun) {
    const [row] = await services.prisma.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n ${OLD_BILLING_RECORDS}`, before);
    return row.n;
  }
  return services.prisma.$executeRawUnsafe(`DELETE ${OLD_BILLING_RECORDS}`, before);
}

export async function runRetention(services: Services, options: RunRetentionOptions) {
  const periods = options.periods ?? DEFAULT_RETENTION;
  const say = options.onProgress ?? (() => {});
  const now = services.now();
  const cut = retentionCutoffs(now, periods);
  const run = await services.prisma.retentionRun.create({ data: { trigger: options.trigger, dryRun: options.dryRun, startedAt: now } });
  const actor = { type: 'system' as const, id: `retention:${run.id}` };
  const result: RetentionResult = {
    dryRun: options.dryRun, cutoffs: Object.fromEntries(Object.entries(cut).map(([k, v]) => [k, v.toISOString()])),
    erasureJobsResumed: 0, subjects: { due: 0, erased: 0, receipts: [] }, validationEvents: 0, fraudObservations: 0, telemetryEvents: 0, verificationCodes: 0, closedRequests: 0, billingRecords: 0,
  };
  if (!options.dryRun) {
    result.erasureJobsResumed = await resumeErasureJobs(services, actor);
    if (result.erasureJobsResumed) say(`resumed ${result.erasureJobsResumed} unfinished erasure job(s)`);
  }
  const due = await services.prisma.contact.findMany({ where: { customer: { agreementEndsAt: { lt: cut.agreementEndedBefore } } }, select: { id: true } });
  result.subjects.due = due.length;
  say(`subjects whose agreement ended before ${cut.agreementEndedBefore.toISOString().slice(0, 10)}: ${due.length}`);
  if (!options.dryRun) {
    for (const [i, { id }] of due.entries()) {
      // The agreement is over: any licence still marked running has no contract left to perform.
      const erased = await eraseSubject(services, { contactId: id, actor, endRunningLicences: true });
      if (erased.status === 'completed') { result.subjects.erased += 1; result.subjects.receipts.push(erased.jobId); }
      say(`  erased subject ${i + 1}/${due.length}`);
    }
  }
  const whereOld = { at: { lt: cut.validationEventsBefore } };
  result.validationEvents = options.dryRun ? await services.prisma.validationEvent.count({ where: whereOld })
    : await deleteInBatches(services, 'validation_events', 'at', cut.validationEventsBefore, (n) => say(`  validation events expired so far: ${n}`));
  say(`validation events older than ${periods.validationEventDays} days: ${result.validationEvents}`);
  // The fraud signals' rolling state lives no longer than the validation events it summarises.
  const oldObservations = { lastAt: { lt: cut.validationEventsBefore } };
  result.fraudObservations = options.dryRun ? await services.prisma.fraudObservation.count({ where: oldObservations })
    : await expireFraudObservations(services.prisma, cut.validationEventsBefore);
  const telemetry = await expireTelemetry(services, now, { dryRun: options.dryRun, retentionMonths: periods.telemetryMonths });
  result.telemetryEvents = telemetry.eventsExpired;
  say(`telemetry events older than ${periods.telemetryMonths} months: ${result.telemetryEvents} (${telemetry.partitions.length} monthly partition(s))`);
  const oldCodes = { createdAt: { lt: cut.verificationCodesBefore } };
  result.verificationCodes = options.dryRun ? await services.prisma.verificationCode.count({ where: oldCodes }) : (await services.prisma.verificationCode.deleteMany({ where: oldCodes })).count;
  const oldRequests = { contactId: null, closedAt: { lt: cut.closedRequestsBefore } };
  result.closedRequests = options.dryRun ? await services.prisma.privacyRequest.count({ where: oldRequests }) : (await services.prisma.privacyRequest.deleteMany({ where: oldRequests })).count;
  say(`verification codes: ${result.verificationCodes}; closed requests past ${periods.closedRequestYears} years: ${result.closedRequests}`);
  result.billingRecords = await expireBillingRecords(services, cut.billingRecordsBefore, options.dryRun);
  say(`billing records past ${periods.billingRecordYears} calendar years: ${result.billingRecords}`);

  const finishedAt = services.now();
  const receiptJws = await signReceipt(services, { receipt: 'retention', version: 1, runId: run.id, trigger: options.trigger, startedAt: now.toISOString(), finishedAt: finishedAt.toISOString(), periods, ...result }, 'nomina-retention-receipt+jwt');
  const saved = await services.prisma.retentionRun.update({ where: { id: run.id }, data: { finishedAt, result: result as object, receiptJws } });
  const counter = services.metrics.counter('nomina_retention_removed_total', 'Records removed by retention runs, by kind', ['kind']);
  if (!options.dryRun) {
    counter.inc({ kind: 'subjects' }, result.subjects.erased);
    counter.inc({ kind: 'validation_events' }, result.validationEvents);
    counter.inc({ kind: 'telemetry_events' }, result.telemetryEvents);
    counter.inc({ kind: 'billing_records' }, result.billingRecords);
  }
  return saved;
}
