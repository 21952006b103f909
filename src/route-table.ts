/**
 * Every HTTP route of the service. The authorisation-matrix test walks this table, so a route
 * added here without an access rule — or with one nobody tested — fails the build.
 */
import { apiKeyRoutes } from './api-keys/api-keys.routes';
import { auditRoutes } from './audit/audit.routes';
import { catalogueRoutes } from './catalogue/catalogue.routes';
import { contactRoutes } from './contacts/contacts.routes';
import { customerClosureRoutes } from './customers/customer-closure.routes';
import { customerRoutes } from './customers/customers.routes';
import { fraudRoutes } from './fraud/fraud.routes';
import type { RouteDefinition } from './http/route';
import { offlineRoutes } from './offline/offline.routes';
import { opsRoutes } from './ops/ops.routes';
import { privacyRoutes } from './privacy/routes';
import { setupRoutes } from './staff/setup.routes';
import { staffRoutes } from './staff/staff.routes';
import { telemetryRoutes } from './telemetry/telemetry.routes';
import { licensingRoutes } from './validation/licensing.routes';
import { webhookRoutes } from './webhooks/webhooks.routes';

export function allRoutes(): RouteDefinition[] {
  return [...opsRoutes, ...setupRoutes, ...staffRoutes, ...auditRoutes, ...customerRoutes, ...customerClosureRoutes, ...contactRoutes, ...catalogueRoutes, ...telemetryRoutes, ...licensingRoutes, ...offlineRoutes, ...fraudRoutes, ...privacyRoutes, ...apiKeyRoutes, ...webhookRoutes];
}
