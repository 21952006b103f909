import type { Actor } from '../audit/audit-trail';
import { AppError, notFound } from '../http/problem';
import type { Services } from '../services';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { deviceMetrics } from './device-metrics';
import { checkTransferBudget, TRANSFER_WINDOW_MS } from './transfer-budget';

export interface ReleaseInput {
  licenceId: string;
  deviceId: string;
  /** who released it: "sdk", "staff:<id>", "api_key:<id>" or "subject" (stored on the device) */
  by: 'sdk' | 'subject' | `staff:${string}` | `api_key:${string}`;
  /** staff only: release beyond the transfer budget (audited as an override) */
  overrideTransferBudget?: boolean;
  /**
   * A release file's `act` (docs/offline-activation.md §4): the release goes ahead only if it names
   * the device's current licence file, checked under the lock — so a replayed file, or one whose
   * licence file was since renewed, is refused (409 RELEASE_ALREADY_USED).
   */
  offlineActivationId?: string;
  actor: Actor;
  reason?: string | null;
  purpose?: string | null;
  requestId?: string;
}

/**
 * Frees a device's seat. Under the licence's row lock, like activation, so concurrent releases
 * cannot both spend the last transfer. Releasing a released device changes nothing and spends
 * nothing. Released rows stay as the history the budget counts, so a released device that
 * activates again is a new device row.
 */
export async function releaseDevice(services: Services, input: ReleaseInput) {
  const now = services.now();
  const result = await services.prisma.$transaction(async (tx) => {
    const [licence] = await tx.$queryRaw<{ holderId: string; transfersPer30Days: number }[]>`
      SELECT l."holderId", p."transfersPer30Days" FROM licences l JOIN policies p ON p.id = l."policyId"
      WHERE l.id = ${input.licenceId}::uuid FOR UPDATE OF l`;
    if (!licence) throw notFound('licence');
    const device = await tx.device.findFirst({ where: { id: input.deviceId, licenceId: input.licenceId }, include: { macs: true } });
    if (!device) throw notFound('device');
    if (input.offlineActivationId !== undefined && (device.releasedAt || device.offlineActivationId !== input.offlineActivationId)) {
      throw new AppError('RELEASE_ALREADY_USED', 'this release file was already used, or the licence file it names was since renewed or released');
    }
    if (device.releasedAt) return { device, holderId: licence.holderId, changed: false };
    const released = await tx.device.findMany({
      where: { licenceId: input.licenceId, releasedAt: { gt: new Date(now.getTime() - TRANSFER_WINDOW_MS) } }, select: { releasedAt: true },
    });
    const budget = checkTransferBudget(released.map((d) => d.releasedAt!), licence.transfersPer30Days, now);
    const override = !budget.allowed && input.overrideTransferBudget === true;
    if (!budget.allowed && !override) {
      throw new AppError('TRANSFER_BUDGET_EXHAUSTED', `this licence allows ${licence.transfersPer30Days} device release(s) in 30 days`, {
        extra: { nextTransferAt: budget.nextTransferAt?.toISOString() ?? null },
      });
    }
    const updated = await tx.device.update({ where: { id: device.id }, data: { releasedAt: now, releasedBy: input.by, offlineActivationId: null, offlineExpiresAt: null }, include: { macs: true } });
    const releasedBy = input.by.startsWith('staff:') ? 'staff' : input.by.startsWith('api_key:') ? 'api_key' : input.by as 'sdk' | 'subject';
    await emitWebhookEvent(tx, 'device.released', { licenceId: input.licenceId, deviceId: device.id, releasedBy }, now);
    await services.audit.record({
      actor: input.actor, action: 'device.release', subjectId: licence.holderId, resource: { type: 'device', id: device.id },
      purpose: input.purpose, requestId: input.requestId, details: { licenceId: input.licenceId, by: input.by, override, reason: input.reason ?? null },
    }, tx);
    if (input.offlineActivationId !== undefined) {
      await services.audit.record({
        actor: input.actor, action: 'offline_release.accepted', subjectId: licence.holderId, resource: { type: 'device', id: device.id },
        purpose: input.purpose, requestId: input.requestId, details: { licenceId: input.licenceId, activationId: input.offlineActivationId },
      }, tx);
    }
    return { device: updated, holderId: licence.holderId, changed: true };
  });
  if (result.changed) deviceMetrics(services).releases.inc({ by: input.by.startsWith('staff') ? 'staff' : input.by.startsWith('api_key') ? 'api_key' : input.by });
  return result;
}
