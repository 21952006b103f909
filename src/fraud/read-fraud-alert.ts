import { notFound } from '../http/problem';
import type { StaffPrincipal } from '../http/route';
import type { Services } from '../services';
import { viewFor } from '../staff/personal-data-view';
import { EVIDENCE_ENTRIES } from './alert-evidence';
import { presentAlert } from './present-fraud-alert';
import { assertViewAllowed } from '../privacy/restriction/processing-restriction';

/**
 * One alert with its evidence: personal data of the holder, so the read is audited with the
 * stated purpose, and support sees it masked unless it states one (X-Purpose).
 */
export async function readFraudAlert(services: Services, alertId: string, staff: StaffPrincipal, ctx: { purpose: string | null; requestId: string }) {
  const alert = await services.prisma.fraudAlert.findUnique({
    where: { id: alertId },
    include: { comments: { orderBy: { at: 'asc' } }, evidence: EVIDENCE_ENTRIES, licence: { select: { holderId: true } } },
  });
  if (!alert) throw notFound('fraud alert');
  const view = viewFor(staff, ctx.purpose, 'one');
  await assertViewAllowed(services, staff, alert.licence.holderId, view);
  await services.audit.record({
    actor: staff.actor, action: 'fraud_alert.read', subjectId: alert.licence.holderId,
    resource: { type: 'fraud_alert', id: alert.id }, purpose: ctx.purpose, requestId: ctx.requestId, details: { view },
  });
  return presentAlert(services, alert, alert.licence.holderId, view);
}
