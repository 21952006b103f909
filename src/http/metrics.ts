/**
 * Prometheus metrics. One registry per service instance (tests build several apps in one process).
 * Domains register their own metrics on `registry` through `counter`/`histogram`/`gauge`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AppError } from './problem';

/**
 * prom-client's default gauges that carry a counter's `_total` suffix, which `promtool check metrics`
 * rejects (and which mislead rate() queries). Their per-type siblings without the suffix
 * (`nodejs_active_handles{type}` …) stay and sum to the same number.
 */
const MISNAMED_DEFAULT_GAUGES = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'nomina_' });
    for (const name of MISNAMED_DEFAULT_GAUGES) this.registry.removeSingleMetric(`nomina_${name}`);
    this.httpDuration = new Histogram({
      name: 'nomina_http_request_duration_seconds',
      help: 'HTTP request duration by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return (this.registry.getSingleMetric(name) as Counter<L>) ?? new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, labelNames: L[] = [], buckets?: number[]): Histogram<L> {
    return (this.registry.getSingleMetric(name) as Histogram<L>)
      ?? new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: L[] = [], collect?: (this: Gauge<L>) => Promise<void>): Gauge<L> {
    return (this.registry.getSingleMetric(name) as Gauge<L>) ?? new Gauge({ name, help, labelNames, collect, registers: [this.registry] });
  }
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * GET /metrics. With a token configured the scraper must send it as a bearer token: the operational
 * counters (overdue privacy requests, open fraud alerts, overdue breach notifications) are not for
 * everyone who can reach the port. Compared as digests in constant time.
 */
export function metricsEndpoint(metrics: Metrics, token: string | undefined): RequestHandler {
  const expected = token ? digest(token) : null;
  return async (req, res) => {
    if (expected) {
      const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (!match || !timingSafeEqual(digest(match[1]), expected)) {
        throw new AppError('UNAUTHENTICATED', 'send the metrics token (METRICS_TOKEN) as a bearer token', { headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } });
      }
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
