/**
 * Carries out an erasure request. Without the privacy officer's decision, a running licence
 * stops it: the request moves to in_progress for the officer and the subject is told why.
 * The subject's address is read before the erasure (their key is destroyed by it), so the
 * confirmation can still be sent.
 */
import type { Actor } from '../../audit/audit-trail';
import type { PrivacyRequest } from '../../generated/prisma/client';
import type { Services } from '../../services';
import { eraseSubject } from '../erasure/erase-subject';
import { notifySubject, subjectEmail } from '../notify-subject';

export async function executeErasureRequest(services: Services, request: PrivacyRequest, actor: Actor, endRunningLicences: boolean): Promise<PrivacyRequest> {
  const contactId = request.contactId ?? request.subjectRef;
  const to = await subjectEmail(services, contactId);
  const result = await eraseSubject(services, { contactId, requestId: request.id, actor, endRunningLicences });
  const now = services.now();
  if (result.status === 'running_licences') {
    const updated = await services.prisma.privacyRequest.update({ where: { id: request.id }, data: { status: 'in_progress' } });
    if (request.status !== 'in_progress') {
      await notifySubject(services, to, 'erasure_pending_decision', 'Your erasure request needs a decision', [
        `We received your request to erase your data on ${request.receivedAt.toISOString().slice(0, 10)}.`,
        `You hold ${result.licenceIds.length} licence(s) that are still running. Erasing your data means ending them, which our privacy officer decides.`,
        `You will hear from us before ${request.dueAt.toISOString().slice(0, 10)}.`,
      ]);
    }
    return updated;
  }
  if (result.status === 'not_found') {
    return services.prisma.privacyRequest.update({ where: { id: request.id }, data: { status: 'rejected', closedAt: now, outcome: 'no data held about this subject' } });
  }
  const updated = await services.prisma.privacyRequest.update({
    where: { id: request.id },
    data: { status: 'completed', closedAt: now, outcome: `erased: ${result.receipt.erased.reduce((n, e) => n + e.records, 0)} records in ${result.receipt.erased.length} categories`, receiptJws: result.receiptJws },
  });
  await notifySubject(services, to, 'erasure_completed', 'Your data has been erased', [
    'Your personal data has been erased from Nomina.',
    ...(result.receipt.licencesEnded > 0 ? [`As decided by our privacy officer, ${result.receipt.licencesEnded} running licence(s) were ended.`] : []),
    ...result.receipt.kept.map((k) => `Kept: ${k.store} (${k.records}) — ${k.reason}`),
    '',
    'Signed receipt (JWS, verifiable with our published keys):',
    result.receiptJws,
  ]);
  return updated;
}
