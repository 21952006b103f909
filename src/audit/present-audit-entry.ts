import type { AuditEntry } from '../generated/prisma/client';
import type { Services } from '../services';

/** An audit entry for staff or for the subject's export; details decrypted while the subject's key exists. */
export async function presentAuditEntry(services: Services, entry: AuditEntry) {
  let details: unknown = null;
  if (entry.details !== null) {
    if (!entry.subjectId) details = JSON.parse(entry.details);
    else {
      try {
        details = JSON.parse(await services.subjects.decrypt(services.prisma, entry.subjectId, 'audit.details', entry.details));
      } catch {
        details = '[erased]';
      }
    }
  }
  return {
    seq: entry.seq.toString(),
    at: entry.at.toISOString(),
    actor: { type: entry.actorType, id: entry.actorId },
    action: entry.action,
    subjectId: entry.subjectId,
    resource: entry.resourceType ? { type: entry.resourceType, id: entry.resourceId } : null,
    purpose: entry.purpose,
    requestId: entry.requestId,
    details,
    hash: entry.hash,
  };
}
