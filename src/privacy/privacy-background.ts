/** What the service process starts for privacy (called once from src/main.ts): metrics and the retention schedule. */
import type { Services } from '../services';
import { startRetentionSchedule } from '../retention/retention-schedule';
import { registerPrivacyMetrics } from './privacy-metrics';

export function startPrivacyServices(services: Services): () => void {
  registerPrivacyMetrics(services);
  return startRetentionSchedule(services);
}
