/**
 * The end of an erasure: verify by re-querying every store, count what was kept on purpose,
 * sign the receipt and close the job. The job's frozen scope (identifiers, the e-mail's blind
 * index) is dropped here: only counts and the receipt remain.
 */
import type { Actor } from '../../audit/audit-trail';
import type { Services } from '../../services';
import { afterKeyDestruction } from '../backup/key-store';
import { categoryInfo } from '../register/catalogue';
import { signReceipt } from '../receipts';
import type { SubjectDataStore, SubjectScope } from '../subject-data';
import { readProgress } from './erasure-progress';

export interface ErasureReceiptPayload {
  receipt: 'erasure';
  version: 1;
  jobId: string;
  subjectRef: string;
  requestId: string | null;
  completedAt: string;
  erased: { store: string; category: string; categoryName: string; records: number }[];
  kept: { store: string; category: string; records: number; reason: string }[];
  licencesEnded: number;
  verification: { storesChecked: number; recordsLeft: number };
  dataKey: 'destroyed';
  backups: string;
}

export const BACKUP_STATEMENT = 'The subject’s data key was destroyed. Data backups never contain data keys (the key store is backed up apart and its backup is replaced after every destruction), so the subject’s encrypted fields in any backup can no longer be decrypted.';

const ERASE_AGAIN_ATTEMPTS = 5;

async function leftovers(services: Services, scope: SubjectScope, stores: readonly SubjectDataStore[]) {
  const counts = await Promise.all(stores.map(async (s) => ({ store: s, left: await s.count(services, scope) })));
  return counts.filter((c) => c.left > 0);
}

export async function finishErasure(
  services: Services,
  input: { jobId: string; scope: SubjectScope; stores: readonly SubjectDataStore[]; actor: Actor; requestId: string | null },
): Promise<{ receiptJws: string; receipt: ErasureReceiptPayload }> {
  const { jobId, scope, stores } = input;
  // Something written while we erased — a validation or telemetry batch that read its licence
  // before the licence was deleted and writes its event after — is erased again. Such writers
  // are finite (once the licence is gone nothing new finds it), but on a busy service, above all
  // on the embedded database's one connection, one can land after a single second pass: so up to
  // ERASE_AGAIN_ATTEMPTS passes, a short pause growing between them, before verification fails.
  let left = await leftovers(services, scope, stores);
  for (let attempt = 1; left.length > 0 && attempt <= ERASE_AGAIN_ATTEMPTS; attempt++) {
    for (const { store } of left) await services.prisma.$transaction((tx) => store.erase(services, scope, tx), { timeout: 120_000 });
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    left = await leftovers(services, scope, stores);
  }
  if (left.length > 0) throw new Error(`erasure job ${jobId} verification failed: data left in ${left.map((l) => l.store.name).join(', ')}`);

  const job = await services.prisma.erasureJob.findUniqueOrThrow({ where: { id: jobId } });
  const progress = readProgress(job.progress);
  const kept: ErasureReceiptPayload['kept'] = [];
  for (const store of stores) {
    if (!store.kept || !store.legalBasisForKeeping) continue;
    const records = await store.kept(services, scope);
    if (records > 0) kept.push({ store: store.name, category: store.category, records, reason: store.legalBasisForKeeping });
  }
  const now = services.now();
  const receipt: ErasureReceiptPayload = {
    receipt: 'erasure', version: 1, jobId, subjectRef: scope.contactId, requestId: input.requestId, completedAt: now.toISOString(),
    erased: stores.filter((s) => s.name in progress.done).map((s) => ({ store: s.name, category: s.category, categoryName: categoryInfo(s.category).name, records: progress.done[s.name] })),
    kept, licencesEnded: progress.licencesEnded?.length ?? 0,
    verification: { storesChecked: stores.length, recordsLeft: 0 }, dataKey: 'destroyed', backups: BACKUP_STATEMENT,
  };
  const receiptJws = await signReceipt(services, receipt as unknown as Record<string, unknown>, 'nomina-erasure-receipt+jwt');
  await services.prisma.$transaction(async (tx) => {
    await tx.erasureJob.update({ where: { id: jobId }, data: { status: 'completed', completedAt: now, receiptJws, progress: { done: progress.done, licencesEnded: progress.licencesEnded?.length ?? 0 } } });
    // No details: the subject's key is gone, and an entry with details would need a new one.
    await services.audit.record({ actor: input.actor, action: 'subject.erased', subjectId: scope.contactId, resource: { type: 'erasure_job', id: jobId } }, tx);
  });
  services.metrics.counter('nomina_subject_erasures_total', 'Subjects erased (requests and retention)').inc();
  await afterKeyDestruction(services);
  return { receiptJws, receipt };
}
