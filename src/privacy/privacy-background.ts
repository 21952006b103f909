/** What the service process starts for privacy (called once from src/main.ts): the retention schedule. */
import type { Services } from '../services';
import { startRetentionSchedule } from '../retention/retention-schedule';

export function startPrivacyServices(services: Services): () => void {
  return startRetentionSchedule(services);
}
