import type { Response } from 'express';
import { notFound } from '../../http/problem';
import { loggableError } from '../../logger';
import type { Services } from '../../services';
import { resolveSubjectScope } from '../subject-scope';
import { writeExport } from './write-export';

/** Streams the export as the HTTP response, honouring back-pressure; a failure mid-way aborts the connection. */
export async function streamExport(services: Services, contactId: string, res: Response): Promise<void> {
  const scope = await resolveSubjectScope(services, contactId, services.now());
  if (!scope) throw notFound('subject');
  res.status(200);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="nomina-export-${services.now().toISOString().slice(0, 10)}.json"`);
  res.setHeader('Cache-Control', 'no-store');
  const write = (chunk: string) => new Promise<void>((resolve, reject) => {
    if (res.destroyed) return reject(new Error('client went away'));
    if (res.write(chunk)) return resolve();
    const done = () => { res.off('close', gone); resolve(); };
    const gone = () => { res.off('drain', done); reject(new Error('client went away')); };
    res.once('drain', done);
    res.once('close', gone);
  });
  try {
    await writeExport(services, scope, write);
    res.end();
  } catch (error) {
    services.logger.warn({ error: loggableError(error) }, 'export aborted');
    res.destroy();
  }
}
