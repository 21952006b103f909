import type { Actor } from '../audit/audit-trail';
import { AppError, notFound } from '../http/problem';
import type { Services } from '../services';

/**
 * Sends a delivery again, delivered or failed: the same event id (receivers de-duplicate on it),
 * a fresh retry schedule. A pending one is already on its way.
 */
export async function replayWebhookDelivery(services: Services, endpointId: string, deliveryId: string, actor: Actor, requestId: string) {
  const now = services.now();
  return services.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ status: string }[]>`
      SELECT status::text AS status FROM webhook_deliveries WHERE id = ${deliveryId}::uuid AND "endpointId" = ${endpointId}::uuid FOR UPDATE`;
    if (!row) throw notFound('webhook delivery');
    if (row.status === 'pending') throw new AppError('CONFLICT', 'the delivery is still pending: it is retried on its own schedule');
    const delivery = await tx.webhookDelivery.update({
      where: { id: deliveryId }, data: { status: 'pending', attempts: 0, nextAttemptAt: now, deliveredAt: null }, include: { event: { select: { type: true } } },
    });
    await services.audit.record({ actor, action: 'webhook_delivery.replay', resource: { type: 'webhook_delivery', id: deliveryId }, requestId, details: { endpointId, eventId: delivery.eventId } }, tx);
    return delivery;
  });
}
