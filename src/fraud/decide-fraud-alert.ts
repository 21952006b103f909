import { Prisma } from '../generated/prisma/client';
import type { AlertStatus, LicenceStatus } from '../generated/prisma/enums';
import { AppError, notFound } from '../http/problem';
import type { StaffPrincipal } from '../http/route';
import { changeLicenceStatusIn } from '../licences/change-licence-status';
import type { Services } from '../services';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { fraudMetrics } from './fraud-metrics';
import { fraudRuntime } from './fraud-runtime';
import { sealComment } from './present-fraud-alert';
import type { DecisionBody } from './fraud.schemas';
import { sealText } from '../crypto/sealed-text';

/** Who may conclude an alert (GDPR Art. 22: a person with the authority to decide). Support may only take it up. */
export const DECIDERS = ['privacy_officer', 'admin'] as const;

const FROM: Record<DecisionBody['decision'], AlertStatus[]> = {
  under_review: ['open'],
  confirmed: ['open', 'under_review'],
  dismissed: ['open', 'under_review'],
};

/**
 * Moves an alert through `open → under_review → confirmed | dismissed`. A conclusion frees the
 * alert's openKey (the next firing opens a new alert) and, when confirming with
 * `suspendLicence`, suspends the licence in the same transaction and the same audit entry — the
 * only path by which fraud detection ever changes a licence, and it starts with a person.
 */
export async function decideFraudAlert(services: Services, alertId: string, input: DecisionBody, staff: StaffPrincipal, ctx: { purpose: string | null; requestId: string }) {
  if (input.decision !== 'under_review' && !staff.roles.some((r) => (DECIDERS as readonly string[]).includes(r))) {
    throw new AppError('FORBIDDEN', 'only a privacy officer or an admin confirms or dismisses an alert; support may take it under review and comment');
  }
  const now = services.now();
  const result = await services.prisma.$transaction(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT id FROM fraud_alerts WHERE id = ${alertId}::uuid FOR UPDATE`);
    if (!locked) throw notFound('fraud alert');
    const alert = await tx.fraudAlert.findUniqueOrThrow({ where: { id: alertId }, include: { licence: { select: { holderId: true } } } });
    if (!FROM[input.decision].includes(alert.status)) throw new AppError('CONFLICT', `an alert that is ${alert.status.replace('_', ' ')} cannot become ${input.decision.replace('_', ' ')}`);

    const final = input.decision !== 'under_review';
    let licenceChange: { from: LicenceStatus; to: LicenceStatus } | null = null;
    if (input.suspendLicence) {
      // Through the licences module, without its audit entry: the decision's entry below records the change.
      const { from, to } = await changeLicenceStatusIn(services, tx, alert.licenceId, 'suspend', `fraud alert ${alert.id} confirmed`);
      licenceChange = { from, to };
    }
    const updated = await tx.fraudAlert.update({
      where: { id: alertId },
      data: final
        ? { status: input.decision, openKey: null, decidedAt: now, decidedById: staff.id, decisionReason: await sealText(services, alert.licence.holderId, 'fraud_alert.decision_reason', input.reason), suspended: licenceChange !== null }
        : { status: 'under_review' },
    });
    if (final) {
      await emitWebhookEvent(tx, 'fraud.alert.decided', { alertId, licenceId: alert.licenceId, status: updated.status, licenceSuspended: licenceChange !== null }, now);
    }
    if (!final && input.reason) {
      await tx.fraudAlertComment.create({ data: { alertId, staffId: staff.id, at: now, body: await sealComment(services, alert.licence.holderId, input.reason) } });
    }
    await services.audit.record({
      actor: staff.actor,
      action: final ? 'fraud_alert.decide' : 'fraud_alert.review',
      subjectId: alert.licence.holderId,
      resource: { type: 'fraud_alert', id: alertId },
      purpose: ctx.purpose,
      requestId: ctx.requestId,
      details: { licenceId: alert.licenceId, signal: alert.signal, from: alert.status, to: updated.status, reason: input.reason ?? null, licenceStatus: licenceChange },
    }, tx);
    return { alert: updated, holderId: alert.licence.holderId, licenceChange };
  });
  if (result.alert.decidedAt) {
    fraudMetrics(services).decisionSeconds.observe({ decision: result.alert.status }, Math.max(0, (result.alert.decidedAt.getTime() - result.alert.openedAt.getTime()) / 1000));
    fraudRuntime(services).forget(result.alert.licenceId);
  }
  return result;
}
