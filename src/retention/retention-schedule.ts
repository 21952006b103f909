/**
 * The in-process retention schedule: once a day (first run a few minutes after start-up), never
 * keeping the process alive. With several instances, each checks whether a scheduled run started
 * in the last 20 hours and skips if so; two instances starting at the very same moment would both
 * run, which is harmless: every step is idempotent.
 */
import { loggableError } from '../logger';
import type { Services } from '../services';
import { runRetention } from './run-retention';

const DAY_MS = 86_400_000;

export async function runScheduledRetention(services: Services): Promise<'ran' | 'skipped'> {
  const recent = await services.prisma.retentionRun.count({ where: { trigger: 'schedule', dryRun: false, startedAt: { gt: new Date(services.now().getTime() - 20 * 3_600_000) } } });
  if (recent > 0) return 'skipped';
  const run = await runRetention(services, { dryRun: false, trigger: 'schedule' });
  services.logger.info({ runId: run.id }, 'retention run finished');
  return 'ran';
}

export function startRetentionSchedule(services: Services, options: { firstDelayMs?: number; intervalMs?: number } = {}): () => void {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    runScheduledRetention(services)
      .catch((error: unknown) => services.logger.error({ error: loggableError(error) }, 'retention run failed; it is retried at the next tick'))
      .finally(() => { running = false; });
  };
  const first = setTimeout(tick, options.firstDelayMs ?? 5 * 60_000);
  first.unref();
  const timer = setInterval(tick, options.intervalMs ?? DAY_MS);
  timer.unref();
  return () => { clearTimeout(first); clearInterval(timer); };
}
