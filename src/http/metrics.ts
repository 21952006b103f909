/**
 * Prometheus metrics. One registry per service instance (tests build several apps in one process).
 * Domains register their own metrics on `registry` through `counter`/`histogram`/`gauge`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'nomina_' });
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
