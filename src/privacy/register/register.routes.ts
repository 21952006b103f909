import { z } from 'zod';
import { defineRoute, publicAccess } from '../../http/route';
import { registerDocument } from './catalogue';
import { registerSubProcessors } from '../sub-processors/sub-processor-register';
import { renderRegisterHtml } from './render-register';

const RegisterQuery = z.strictObject({ format: z.enum(['json', 'html']).optional() });

const RegisterView = z.object({
  version: z.string(), controller: z.unknown(), activities: z.array(z.unknown()), dataCategories: z.array(z.unknown()),
  subProcessors: z.array(z.unknown()), transfers: z.unknown(), securityMeasures: z.array(z.unknown()), rights: z.array(z.unknown()),
  requestDeadline: z.unknown(),
});

export const registerRoutes = [
  defineRoute({
    method: 'get', path: '/v1/privacy/register', tag: 'privacy', access: publicAccess, query: RegisterQuery,
    response: { status: 200, description: 'the register as JSON (HTML with ?format=html)', schema: RegisterView },
    summary: 'The register of processing activities (Art. 30), public for transparency: JSON, or HTML with ?format=html or Accept: text/html',
    async handler({ services, query, req, res }) {
      const html = query.format === 'html' || (query.format === undefined && req.accepts(['application/json', 'text/html']) === 'text/html');
      const document = registerDocument(services.config.privacy, await registerSubProcessors(services));
      if (!html) return { body: document };
      res.status(200).type('text/html; charset=utf-8').send(renderRegisterHtml(document));
    },
  }),
];
