/**
 * createApp(services): the Express application, without listen() — tests import this.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Services } from './services';
import { errorHandler, routeNotFound } from './http/error-handler';
import { metricsEndpoint } from './http/metrics';
import { mountRoutes } from './http/mount-routes';
import { buildOpenApi } from './http/openapi';
import { directRoute } from './http/direct-route';
import { listenWithExpressObjects } from './http/express-server';
import { requestContext } from './http/request-context';
import { allRoutes } from './route-table';
import { registerPrivacyMetrics } from './privacy/privacy-metrics';
import { webhookMetrics } from './webhooks/webhook-metrics';
import { serveScreen } from './web/serve-screens';

const HOT_PATH = '/v1/validate';
type ExpressHandle = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;
const API_HEADERS: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
];

export interface AppOptions {
  /**
   * Serve POST /v1/validate before Express's router (http/direct-route.ts); default true. false:
   * through the router like every other route (tests compare both answers).
   */
  directValidate?: boolean;
}

export function createApp(services: Services, options: AppOptions = {}): express.Express {
  const app = express();
  // Requests and responses made with Express's prototypes from the start (http/express-server.ts: why).
  app.listen = listenWithExpressObjects(app);
  app.disable('x-powered-by');
  app.set('trust proxy', services.config.trustProxy === 'false' ? false : services.config.trustProxy);
  app.set('json replacer', (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  app.use(requestContext(services.logger, services.metrics));

  const routes = allRoutes();
  const openApi = buildOpenApi(routes);
  app.get('/openapi.json', (_req, res) => { res.json(openApi); });
  // Swagger UI needs inline styles and scripts: a relaxed policy for /docs only.
  app.use('/docs', helmet({ contentSecurityPolicy: false }), swaggerUi.serve, swaggerUi.setup(undefined, { swaggerUrl: '/openapi.json' }));

  // POST /v1/validate answers JSON to the SDK at every application start, never to a browser
  // document: helmet's document headers (framing, DNS prefetch, COOP, Origin-Agent-Cluster, IE and
  // Flash switches, a full CSP) cost about 2 % of its time for nothing. It keeps those that apply
  // to any response: nosniff, a deny-all CSP, HSTS and CORP. Every other route gets helmet().
  const documentHeaders = helmet();
  app.use((req, res, next) => {
    if (req.path !== HOT_PATH) return documentHeaders(req, res, next);
    for (const [name, value] of API_HEADERS) res.setHeader(name, value);
    next();
  });
  registerPrivacyMetrics(services);
  webhookMetrics(services);
  app.get('/metrics', metricsEndpoint(services.metrics, services.config.metricsToken));
  // The staff console (web/console, built by npm run build).
  app.use('/console', serveScreen('console'));
  // The licence holder's privacy page (web/privacy, built by npm run build).
  app.use('/privacy', serveScreen('privacy'));
  // The validation route first: Express tries routes in order, and it is the one called at every
  // application start (no other route's pattern matches its path, so the order changes nothing else).
  app.use(mountRoutes(services, [...routes.filter((r) => r.path === HOT_PATH), ...routes.filter((r) => r.path !== HOT_PATH)]));
  app.use(routeNotFound);
  app.use(errorHandler(services.logger));

  if (options.directValidate !== false) {
    const direct = directRoute(services, app, routes.find((r) => r.path === HOT_PATH && r.method === 'post')!, API_HEADERS);
    // express() calls app.handle for every request (app.listen and supertest alike): the direct
    // route answers first; everything else, other spellings of its path included, goes on to Express.
    const handle = (app as unknown as { handle: ExpressHandle }).handle.bind(app);
    (app as unknown as { handle: ExpressHandle }).handle = (req, res, next) => { if (!direct(req, res)) handle(req, res, next); };
  }
  return app;
}
