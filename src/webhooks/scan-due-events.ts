/**
 * Events that no transaction causes — time passing — found by a periodic scan: licences within
 * their policy's `expiringSoonDays` of `validUntil`, and open privacy requests within
 * `dueSoonMs` of their (extended) deadline. Each is one INSERT … SELECT whose dedupe key names
 * the fact (the id and the date), so the event happens once however often and on however many
 * instances the scan runs — and again if the date moves and comes near once more.
 * Also forgets old events: fanned out, nothing pending, older than EVENT_RETENTION_MS.
 */
import { OPEN_STATUSES } from '../privacy/requests/request-status';
import type { Services } from '../services';
import type { WebhookSettings } from './webhook-settings';

/** Longer than any warning window, so a deduplicated fact cannot come back after its event is deleted. */
const EVENT_RETENTION_MS = 400 * 86_400_000;
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const OPEN_IN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

export async function scanDueEvents(services: Services, settings: WebhookSettings): Promise<{ expiring: number; dueSoon: number }> {
  const now = services.now();
  const expiring = await services.prisma.$executeRawUnsafe(`
    INSERT INTO webhook_events (id, type, "occurredAt", data, "dedupeKey")
    SELECT gen_random_uuid(), 'licence.expiring', $1,
           jsonb_build_object('licenceId', l.id, 'customerId', l."customerId", 'status', l.status::text, 'validUntil', to_char(l."validUntil", ${ISO})),
           'licence.expiring:' || l.id || ':' || to_char(l."validUntil", ${ISO})
      FROM licences l JOIN policies p ON p.id = l."policyId"
     WHERE l.status <> 'revoked' AND l."validUntil" > $1 AND l."validUntil" <= $1 + p."expiringSoonDays" * interval '1 day'
    ON CONFLICT ("dedupeKey") DO NOTHING`, now);
  const dueSoon = await services.prisma.$executeRawUnsafe(`
    INSERT INTO webhook_events (id, type, "occurredAt", data, "dedupeKey")
    SELECT gen_random_uuid(), 'privacy.request.due_soon', $1,
           jsonb_build_object('requestId', r.id, 'type', r.type::text, 'status', r.status::text, 'dueAt', to_char(COALESCE(r."extendedDueAt", r."dueAt"), ${ISO})),
           'privacy.request.due_soon:' || r.id || ':' || to_char(COALESCE(r."extendedDueAt", r."dueAt"), ${ISO})
      FROM privacy_requests r
     WHERE r.status IN (${OPEN_IN_SQL}) AND COALESCE(r."extendedDueAt", r."dueAt") > $1 AND COALESCE(r."extendedDueAt", r."dueAt") <= $2
    ON CONFLICT ("dedupeKey") DO NOTHING`, now, new Date(now.getTime() + settings.dueSoonMs));
  await services.prisma.$executeRawUnsafe(`
    DELETE FROM webhook_events e WHERE e."occurredAt" < $1 AND e."fannedOutAt" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d."eventId" = e.id AND d.status = 'pending')`, new Date(now.getTime() - EVENT_RETENTION_MS));
  return { expiring, dueSoon };
}
