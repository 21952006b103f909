import { z } from 'zod';
import { defineRoute, publicAccess } from '../../http/route';
import { registerDocument } from './catalogue';
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
    async handler({ query, req, res }) {
      const html = query.format === 'html' || (query.format === undefined && req.accepts(['application/json', 'text/html']) === 'text/html');
      if (!html) return { body: registerDocument() };
      res.status(200).type('text/html; charset=utf-8').send(renderRegisterHtml());
    },
  }),
];
