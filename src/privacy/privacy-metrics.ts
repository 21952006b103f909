/**
 * Gauges computed when Prometheus scrapes, with one count query each: open and overdue
 * data-subject requests, and breaches whose 72-hour notification is overdue.
 */
import type { Services } from '../services';
import { NOTIFICATION_HOURS } from '../breaches/breach-deadline';
import { OPEN_STATUSES } from './requests/request-status';

const registered = new WeakSet<Services>();
/** the open statuses as an SQL list (constants of our own enum, not input) */
const OPEN_IN_SQL = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');

export function registerPrivacyMetrics(services: Services): void {
  if (registered.has(services)) return;
  registered.add(services);
  let pending: Promise<{ open: number; overdue: number }> | null = null;
  // Both request gauges share one query per scrape.
  const requestCounts = () => {
    pending ??= services.prisma.$queryRawUnsafe<{ open: bigint; overdue: bigint }[]>(
      `SELECT count(*) AS open, count(*) FILTER (WHERE COALESCE("extendedDueAt", "dueAt") < $1) AS overdue
         FROM privacy_requests WHERE status IN (${OPEN_IN_SQL})`, services.now(),
    ).then(([row]) => ({ open: Number(row.open), overdue: Number(row.overdue) })).finally(() => { setImmediate(() => { pending = null; }); });
    return pending;
  };
  services.metrics.gauge('nomina_privacy_requests_open', 'Data-subject requests not yet completed or rejected', [], async function () {
    this.set((await requestCounts()).open);
  });
  services.metrics.gauge('nomina_privacy_requests_overdue', 'Open data-subject requests past their (extended) legal deadline', [], async function () {
    this.set((await requestCounts()).overdue);
  });
  services.metrics.gauge('nomina_breach_notifications_overdue', 'Breaches not notified to the authority within 72 hours of awareness', [], async function () {
    const [row] = await services.prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM breach_records WHERE "authorityNotifiedAt" IS NULL AND "awareAt" < $1`, new Date(services.now().getTime() - NOTIFICATION_HOURS * 3_600_000));
    this.set(Number(row.n));
  });
}
