/**
 * Erases one data subject (GDPR Art. 17), as a re-runnable command:
 *
 * 1. find the subject's unfinished ErasureJob, or start one with the subject's scope frozen in it;
 * 2. for each store in order, erase and record the store as done in the same transaction — a
 *    crash between stores loses nothing, and re-running skips what is done;
 * 3. verify by re-querying every store (each must report 0 records left);
 * 4. sign a receipt (categories, counts, what was kept and why) and close the job.
 *
 * Running licences block the erasure unless a privacy officer decided to end them
 * (`endRunningLicences`); they are then revoked first, and the caller tells the subject.
 */
import type { Actor } from '../../audit/audit-trail';
import type { Services } from '../../services';
import { emitWebhookEvent } from '../../webhooks/emit-event';
import { resolveSubjectScope } from '../subject-scope';
import type { SubjectDataStore } from '../subject-data';
import { SUBJECT_DATA_STORES } from '../stores';
import { readProgress, type ErasureProgress } from './erasure-progress';
import { finishErasure, type ErasureReceiptPayload } from './finish-erasure';
import { isRunning } from './running-licences';

export interface EraseSubjectInput {
  contactId: string;
  requestId?: string | null;
  /** the privacy officer's decision to end running licences */
  endRunningLicences?: boolean;
  actor: Actor;
  /** called after each store is done (progress output; tests use it to crash mid-way) */
  onStoreDone?: (store: string, erased: number) => void | Promise<void>;
  stores?: readonly SubjectDataStore[];
}

export type EraseSubjectResult =
  | { status: 'completed'; jobId: string; receiptJws: string; receipt: ErasureReceiptPayload; resumed: boolean }
  | { status: 'running_licences'; licenceIds: string[] }
  | { status: 'not_found' };

const STEP_TIMEOUT_MS = 120_000;

export async function eraseSubject(services: Services, input: EraseSubjectInput): Promise<EraseSubjectResult> {
  const stores = input.stores ?? SUBJECT_DATA_STORES;
  const now = services.now();
  let job = await services.prisma.erasureJob.findFirst({ where: { subjectId: input.contactId, status: { not: 'completed' } }, orderBy: { startedAt: 'desc' } });
  const resumed = job !== null;
  if (!job) {
    const scope = await resolveSubjectScope(services, input.contactId, now);
    if (!scope) {
      const done = await services.prisma.erasureJob.findFirst({ where: { subjectId: input.contactId, status: 'completed' }, orderBy: { completedAt: 'desc' } });
      return done?.receiptJws ? { status: 'completed', jobId: done.id, receiptJws: done.receiptJws, receipt: decodePayload(done.receiptJws), resumed: true } : { status: 'not_found' };
    }
    const running = await services.prisma.licence.findMany({ where: { holderId: input.contactId }, select: { id: true, status: true, validUntil: true } });
    const runningIds = running.filter((l) => isRunning(l, now)).map((l) => l.id);
    if (runningIds.length > 0 && !input.endRunningLicences) return { status: 'running_licences', licenceIds: runningIds };
    job = await services.prisma.$transaction(async (tx) => {
      for (const id of runningIds) {
        const ended = await tx.licence.update({ where: { id }, data: { status: 'revoked', statusReason: 'ended by a privacy officer decision: erasure of the holder', validUntil: now }, select: { customerId: true } });
        const previous = running.find((l) => l.id === id)!.status;
        await emitWebhookEvent(tx, 'licence.revoked', { licenceId: id, customerId: ended.customerId, status: 'revoked', previousStatus: previous }, now);
        await services.audit.record({ actor: input.actor, action: 'licence.end_for_erasure', subjectId: input.contactId, resource: { type: 'licence', id } }, tx);
      }
      const progress: ErasureProgress = { scope, done: {}, licencesEnded: runningIds };
      return tx.erasureJob.create({ data: { subjectId: input.contactId, requestId: input.requestId ?? null, status: 'running', progress: progress as object } });
    });
  }
  const jobId = job.id;
  const scope = readProgress(job.progress).scope;
  if (!scope) throw new Error(`erasure job ${jobId} has no scope`);

  for (const store of stores) {
    const erased = await services.prisma.$transaction(async (tx) => {
      // The row lock serialises two runs of the same job: the second sees the store as done.
      const [row] = await tx.$queryRawUnsafe<{ progress: unknown }[]>(`SELECT progress FROM erasure_jobs WHERE id = $1::uuid FOR UPDATE`, jobId);
      const progress = readProgress(row.progress);
      if (store.name in progress.done) return null;
      const count = await store.erase(services, scope, tx);
      progress.done[store.name] = count;
      await tx.erasureJob.update({ where: { id: jobId }, data: { progress: progress as object, status: 'running' } });
      return count;
    }, { timeout: STEP_TIMEOUT_MS, maxWait: STEP_TIMEOUT_MS });
    if (erased !== null) await input.onStoreDone?.(store.name, erased);
  }
  const finished = await finishErasure(services, { jobId, scope, stores, actor: input.actor, requestId: input.requestId ?? job.requestId ?? null });
  return { status: 'completed', jobId, receiptJws: finished.receiptJws, receipt: finished.receipt, resumed };
}

function decodePayload(jws: string): ErasureReceiptPayload {
  return JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString('utf8')) as ErasureReceiptPayload;
}

/** Resumes every unfinished erasure job (after a crash); run by the retention run. */
export async function resumeErasureJobs(services: Services, actor: Actor): Promise<number> {
  const jobs = await services.prisma.erasureJob.findMany({ where: { status: { not: 'completed' } }, select: { subjectId: true, requestId: true } });
  for (const job of jobs) await eraseSubject(services, { contactId: job.subjectId, requestId: job.requestId, actor, endRunningLicences: true });
  return jobs.length;
}
