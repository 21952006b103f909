/** Every route of the privacy issue (privacy, retention, breach register), for the route table. */
import { breachRoutes } from '../breaches/breaches.routes';
import { retentionRoutes } from '../retention/retention.routes';
import { registerRoutes } from './register/register.routes';
import { requestRoutes } from './requests.routes';
import { selfServiceRoutes } from './self-service.routes';
import { subProcessorRoutes } from './sub-processors/sub-processors.routes';

export const privacyRoutes = [...selfServiceRoutes, ...requestRoutes, ...registerRoutes, ...retentionRoutes, ...breachRoutes, ...subProcessorRoutes];
