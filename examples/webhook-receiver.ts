/**
 * A minimal receiver for Nomina's webhooks, for a shop, CRM or billing system.
 *
 *   NOMINA_WEBHOOK_SECRET=whsec_… PORT=8080 npx tsx examples/webhook-receiver.ts
 *
 * 1. Read the raw body (the signature covers the exact bytes; do not re-serialise parsed JSON).
 * 2. Verify `webhook-id`, `webhook-timestamp` and `webhook-signature` with the Standard Webhooks
 *    library (it also refuses timestamps more than 5 minutes off, against replays).
 * 3. De-duplicate on `webhook-id`: delivery is at least once, and the id is the same on every retry.
 * 4. Answer 2xx quickly and do the work afterwards; anything else (or no answer in 10 s) is retried
 *    with backoff for about 27 hours.
 * Payloads carry ids and states only; call the API with your key for more (that read is audited).
 */
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface NominaEvent { id: string; type: string; timestamp: string; data: Record<string, unknown> }

export function createWebhookReceiver(secret: string, onEvent: (event: NominaEvent) => void, seen = new Set<string>()): http.Server {
  const webhook = new Webhook(secret);
  return http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(req.headers['webhook-id'] ?? ''), 'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''), 'webhook-signature': String(req.headers['webhook-signature'] ?? '') };
      let payload: Omit<NominaEvent, 'id'>;
      try {
        payload = webhook.verify(body, headers) as Omit<NominaEvent, 'id'>;
      } catch {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(204).end();
      if (seen.has(headers['webhook-id'])) return; // a retry of an event already handled
      seen.add(headers['webhook-id']);
      onEvent({ id: headers['webhook-id'], ...payload });
    });
  });
}

if (require.main === module) {
  const secret = process.env.NOMINA_WEBHOOK_SECRET;
  if (!secret) throw new Error('set NOMINA_WEBHOOK_SECRET to the whsec_… secret shown when the endpoint was registered');
  createWebhookReceiver(secret, (event) => console.log(event.type, JSON.stringify(event.data))).listen(Number(process.env.PORT ?? 8080));
}
