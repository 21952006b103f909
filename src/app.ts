/**
 * createApp(services): the Express application, without listen() — tests import this.
 */
import express from 'express';
import helmet from 'helmet';
import swaggerUi from 'swagger-ui-express';
import type { Services } from './services';
import { errorHandler, routeNotFound } from './http/error-handler';
import { mountRoutes } from './http/mount-routes';
import { buildOpenApi } from './http/openapi';
import { requestContext } from './http/request-context';
import { allRoutes } from './route-table';
import { registerPrivacyMetrics } from './privacy/privacy-metrics';

export function createApp(services: Services): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', services.config.trustProxy === 'false' ? false : services.config.trustProxy);
  app.set('json replacer', (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  app.use(requestContext(services.logger, services.metrics));

  const routes = allRoutes();
  const openApi = buildOpenApi(routes);
  app.get('/openapi.json', (_req, res) => { res.json(openApi); });
  // Swagger UI needs inline styles and scripts: a relaxed policy for /docs only.
  app.use('/docs', helmet({ contentSecurityPolicy: false }), swaggerUi.serve, swaggerUi.setup(undefined, { swaggerUrl: '/openapi.json' }));

  app.use(helmet());
  registerPrivacyMetrics(services);
  app.get('/metrics', async (_req, res) => {
    res.type(services.metrics.registry.contentType).send(await services.metrics.registry.metrics());
  });
  app.use(mountRoutes(services, routes));
  app.use(routeNotFound);
  app.use(errorHandler(services.logger));
  return app;
}
