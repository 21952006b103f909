/**
 * The background side of webhooks, started by the service process (src/main.ts) and stopped
 * with it: every `pollMs` it fans new outbox events out to endpoints and delivers what is due;
 * every `scanMs` it looks for expiring licences and privacy deadlines. Any number of instances
 * may run it on one database (row locks with SKIP LOCKED, dedupe keys): each event is delivered
 * once per endpoint, barring a crash mid-delivery (then again, with the same id: at least once).
 */
import { loggableError } from '../logger';
import type { Services } from '../services';
import { deliverDueWebhooks } from './deliver-due-webhooks';
import { fanOutEvents } from './fan-out-events';
import { scanDueEvents } from './scan-due-events';
import { webhookSettings, type WebhookSettings } from './webhook-settings';

export interface WebhookWorker {
  /** one round now (fan out, deliver until nothing is due); what tests and the poll call */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startWebhookWorker(services: Services, options: { scanDelayMs?: number } = {}): WebhookWorker {
  const settings: WebhookSettings = webhookSettings(services.config);
  let stopped = false;
  let current: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  const round = async () => {
    await fanOutEvents(services);
    let total = 0;
    for (let n = await deliverDueWebhooks(services, settings); n > 0 && !stopped; n = await deliverDueWebhooks(services, settings)) total += n;
    return total;
  };
  const logged = (what: string) => (error: unknown) => { services.logger.error({ error: loggableError(error) }, `${what} failed; retried at the next tick`); };
  const tick = () => {
    current = round().catch(logged('webhook delivery')).finally(() => {
      if (!stopped) { timer = setTimeout(tick, settings.pollMs); timer.unref(); }
    });
  };
  timer = setTimeout(tick, 0);
  timer.unref();

  const scan = () => scanDueEvents(services, settings).catch(logged('webhook scan'));
  const firstScan = setTimeout(() => { void scan(); }, options.scanDelayMs ?? 60_000);
  firstScan.unref();
  const scanTimer = setInterval(() => { void scan(); }, settings.scanMs);
  scanTimer.unref();

  const worker: WebhookWorker = {
    runOnce: () => (current = current.then(round, round)) as Promise<number>,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      clearTimeout(firstScan);
      clearInterval(scanTimer);
      await current.catch(() => undefined);
    },
  };
  services.onClose(() => worker.stop());
  return worker;
}
