import type { Counter, Histogram } from 'prom-client';
import type { Services } from '../services';

interface ValidationMetrics { validations: Counter<'code'>; duration: Histogram<'code'> }
const cache = new WeakMap<Services, ValidationMetrics>();

export function validationMetrics(services: Services): ValidationMetrics {
  let metrics = cache.get(services);
  if (!metrics) {
    metrics = {
      validations: services.metrics.counter('nomina_validations_total', 'Licence validations by verdict code', ['code']),
      duration: services.metrics.histogram('nomina_validation_duration_seconds', 'Time to reach a validation verdict (token signed, event recorded)', ['code'],
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]),
    };
    cache.set(services, metrics);
  }
  return metrics;
}
