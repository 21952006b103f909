import { notFound } from '../http/problem';
import type { StaffPrincipal } from '../http/route';
import type { Services } from '../services';
import { presentComment, sealComment } from './present-fraud-alert';

/**
 * A staff note on an alert. Its text may say things about the holder, so it is sealed with the
 * holder's data key like the evidence; the audit entry names the comment, never its text.
 */
export async function commentOnFraudAlert(services: Services, alertId: string, body: string, staff: StaffPrincipal, ctx: { purpose: string | null; requestId: string }) {
  const now = services.now();
  return services.prisma.$transaction(async (tx) => {
    const alert = await tx.fraudAlert.findUnique({ where: { id: alertId }, select: { id: true, licence: { select: { holderId: true } } } });
    if (!alert) throw notFound('fraud alert');
    const holderId = alert.licence.holderId;
    const comment = await tx.fraudAlertComment.create({ data: { alertId, staffId: staff.id, at: now, body: await sealComment(services, holderId, body) } });
    await services.audit.record({
      actor: staff.actor, action: 'fraud_alert.comment', subjectId: holderId,
      resource: { type: 'fraud_alert', id: alertId }, purpose: ctx.purpose, requestId: ctx.requestId, details: { commentId: comment.id },
    }, tx);
    return presentComment(comment, body, 'full');
  });
}
