/**
 * One HTTP attempt, signed per Standard Webhooks: `webhook-id` (the event id, the same on every
 * attempt and replay, so receivers can de-duplicate), `webhook-timestamp` (this attempt, in
 * seconds) and `webhook-signature` (`v1,` + base64 HMAC-SHA256 of `id.timestamp.body`), made by
 * the `standardwebhooks` reference library. Redirects are not followed: they count as failures.
 */
import { Webhook } from 'standardwebhooks';

export interface Attempt { ok: boolean; statusCode: number | null; error: string | null }

export interface OutgoingEvent { id: string; type: string; occurredAt: Date; data: unknown }

/** The body: Standard Webhooks' recommended shape. The same bytes on every attempt. */
export function webhookBody(event: OutgoingEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });
}

export async function sendWebhook(url: string, secret: Buffer, event: OutgoingEvent, now: Date, timeoutMs: number): Promise<Attempt> {
  const body = webhookBody(event);
  const signature = new Webhook(secret.toString('base64')).sign(event.id, now, body);
  try {
    const res = await fetch(url, {
      method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json', 'user-agent': 'Nomina-Webhooks/1',
        'webhook-id': event.id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': signature,
      },
    });
    await res.body?.cancel().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 300;
    return { ok, statusCode: res.status, error: ok ? null : `http_${res.status}` };
  } catch (error) {
    return { ok: false, statusCode: null, error: attemptError(error) };
  }
}

/** A short reason without the URL or anything the receiver sent. */
function attemptError(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'timeout';
  const code = (error as { cause?: { code?: unknown } })?.cause?.code;
  return typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'network_error';
}
