import type { Services } from '../services';

export function deviceMetrics(services: Services) {
  return {
    activations: services.metrics.counter('nomina_activations_total', 'Devices activated on a licence (new seats taken)'),
    releases: services.metrics.counter('nomina_device_releases_total', 'Devices released, by who released them', ['by']),
  };
}
