import { z } from 'zod';
import { AppError } from '../../http/problem';
import { defineRoute, publicAccess } from '../../http/route';
import { EXPORT_VERSION } from '../export/write-export';
import { subjectExportSchema } from '../export/export-schema';
import { registerDocument } from './catalogue';
import { registerSubProcessors } from '../sub-processors/sub-processor-register';
import { renderRegisterHtml } from './render-register';

const RegisterQuery = z.strictObject({ format: z.enum(['json', 'html']).optional() });
const ExportSchemaQuery = z.strictObject({ version: z.coerce.number().int().min(1).default(EXPORT_VERSION) });

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
  defineRoute({
    method: 'get', path: '/v1/privacy/export-schema', tag: 'privacy', access: publicAccess, query: ExportSchemaQuery,
    summary: `The JSON Schema (draft 2020-12) of the subject export, format nomina.subject-export; ?version= (current: ${EXPORT_VERSION}). Public, like the register`,
    response: {
      status: 200, description: 'the JSON Schema of the export (also #/components/schemas/SubjectExport)', contentType: 'application/schema+json',
      schema: z.object({ $schema: z.string(), $id: z.string(), title: z.string(), type: z.literal('object'), properties: z.record(z.string(), z.unknown()) }),
    },
    problems: ['NOT_FOUND'],
    async handler({ query, res }) {
      if (query.version !== EXPORT_VERSION) throw new AppError('NOT_FOUND', `no export format version ${query.version}; the current version is ${EXPORT_VERSION}`);
      res.status(200).type('application/schema+json; charset=utf-8').send(JSON.stringify(subjectExportSchema()));
    },
  }),
];
