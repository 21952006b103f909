import { notFound } from '../../http/problem';
import type { Services } from '../../services';
import { resolveSubjectScope } from '../subject-scope';
import type { ExportDocument } from './render-export-html';
import { writeExport } from './write-export';

/** The whole export in memory, for the readable document (the JSON download streams instead). */
export async function collectExport(services: Services, contactId: string): Promise<ExportDocument> {
  const scope = await resolveSubjectScope(services, contactId, services.now());
  if (!scope) throw notFound('subject');
  const chunks: string[] = [];
  await writeExport(services, scope, async (chunk) => { chunks.push(chunk); });
  return JSON.parse(chunks.join('')) as ExportDocument;
}
