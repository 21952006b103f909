/**
 * Turns outbox events into one delivery per subscribed endpoint. One statement: the events are
 * claimed with FOR UPDATE SKIP LOCKED, so instances running this at the same moment take
 * different events, and (eventId, endpointId) is unique besides. A disabled endpoint gets its
 * deliveries too — they wait, unsent, until it is re-enabled, so disabling loses nothing. An
 * endpoint registered after the fan-out does not receive older events.
 */
import type { Services } from '../services';

const BATCH = 200;

export async function fanOutEvents(services: Services): Promise<number> {
  const now = services.now();
  const [row] = await services.prisma.$queryRawUnsafe<{ n: bigint }[]>(`
    WITH claimed AS (
      SELECT id, type FROM webhook_events WHERE "fannedOutAt" IS NULL ORDER BY "occurredAt" LIMIT ${BATCH} FOR UPDATE SKIP LOCKED
    ), deliveries AS (
      INSERT INTO webhook_deliveries (id, "eventId", "endpointId", status, attempts, "nextAttemptAt", "createdAt")
      SELECT gen_random_uuid(), c.id, e.id, 'pending', 0, $1, $1
        FROM claimed c JOIN webhook_endpoints e ON c.type = ANY (e."eventTypes") OR '*' = ANY (e."eventTypes")
      ON CONFLICT ("eventId", "endpointId") DO NOTHING
    ), marked AS (
      UPDATE webhook_events SET "fannedOutAt" = $1 WHERE id IN (SELECT id FROM claimed) RETURNING id
    )
    SELECT count(*) AS n FROM marked`, now);
  return Number(row.n);
}
