import type { Response } from 'express';
import { notFound } from '../../http/problem';
import { loggableError } from '../../logger';
import type { Services } from '../../services';
import { resolveSubjectScope } from '../subject-scope';
import { writeExport } from './write-export';
import { responseWriter } from '../../http/response-writer';

/**
 * Streams the export as the HTTP response, honouring back-pressure; a failure mid-way aborts the
 * connection. `recordExport` (the audit entry) runs once the subject is known to exist and before
 * the first byte: a request for an erased or unknown subject is a 404 and is not recorded as an
 * export — the holder's access log once showed "you downloaded your data" for such a 404.
 */
export async function streamExport(services: Services, contactId: string, res: Response, recordExport: () => Promise<void>): Promise<void> {
  const scope = await resolveSubjectScope(services, contactId, services.now());
  if (!scope) throw notFound('subject');
  await recordExport();
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="nomina-export-${services.now().toISOString().slice(0, 10)}.json"`);
  res.setHeader('Cache-Control', 'no-store');
  const write = responseWriter(res);
  try {
    await writeExport(services, scope, write);
    res.end();
  } catch (error) {
    services.logger.warn({ error: loggableError(error) }, 'export aborted');
    res.destroy();
  }
}
