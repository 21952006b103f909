/**
 * The events the vendor's systems can subscribe to. Payloads carry ids and states, never
 * personal data: a receiver that needs more calls the API with its key, and that read is audited.
 */
export const WEBHOOK_EVENT_TYPES = [
  'licence.issued',
  'licence.suspended',
  'licence.reinstated',
  'licence.revoked',
  'licence.expiring',
  'device.activated',
  'device.released',
  'fraud.alert.opened',
  'fraud.alert.decided',
  'privacy.request.received',
  'privacy.request.due_soon',
  'breach.recorded',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** What each event's `data` holds. */
export interface WebhookEventData {
  'licence.issued': { licenceId: string; customerId: string; productId: string; policyId: string; status: string; validFrom: string; validUntil: string | null };
  'licence.suspended': LicenceStatusData;
  'licence.reinstated': LicenceStatusData;
  'licence.revoked': LicenceStatusData;
  'licence.expiring': { licenceId: string; customerId: string; status: string; validUntil: string };
  'device.activated': { licenceId: string; deviceId: string };
  'device.released': { licenceId: string; deviceId: string; releasedBy: 'sdk' | 'subject' | 'staff' | 'api_key' };
  'fraud.alert.opened': { alertId: string; licenceId: string; customerId: string; signal: string; severity: string; status: 'open' };
  'fraud.alert.decided': { alertId: string; licenceId: string; status: string; licenceSuspended: boolean };
  'privacy.request.received': { requestId: string; type: string; channel: string; status: string; receivedAt: string; dueAt: string };
  'privacy.request.due_soon': { requestId: string; type: string; status: string; dueAt: string };
  'breach.recorded': { breachId: string; awareAt: string; notificationDeadline: string };
}

interface LicenceStatusData { licenceId: string; customerId: string; status: string; previousStatus: string }
