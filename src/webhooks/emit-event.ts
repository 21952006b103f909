/**
 * The transactional outbox: an event is a row written with the caller's `tx`, in the same
 * transaction as the change it reports, so it exists exactly when the change does — a crash after
 * the commit loses nothing, a rollback sends nothing. Delivery happens later, in the background
 * (webhook-worker.ts). One INSERT, no read: cheap enough for the activation path.
 */
import type { Tx } from '../audit/audit-trail';
import type { WebhookEventData, WebhookEventType } from './event-types';

export async function emitWebhookEvent<T extends WebhookEventType>(tx: Tx, type: T, data: WebhookEventData[T], occurredAt: Date): Promise<void> {
  await tx.webhookEvent.create({ data: { type, data: data as object, occurredAt }, select: { id: true } });
}

/**
 * For facts found by a periodic scan (an expiry coming, a deadline near): the dedupe key makes
 * the event happen once however often, and on however many instances, the scan runs.
 */
export async function emitWebhookEventOnce<T extends WebhookEventType>(tx: Tx, type: T, data: WebhookEventData[T], occurredAt: Date, dedupeKey: string): Promise<boolean> {
  const { count } = await tx.webhookEvent.createMany({ data: [{ type, data: data as object, occurredAt, dedupeKey }], skipDuplicates: true });
  return count === 1;
}
