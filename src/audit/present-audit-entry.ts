import { z } from 'zod';
import { Instant } from '../http/common-schemas';
import type { AuditEntry } from '../generated/prisma/client';
import type { Services } from '../services';
import { SEALED_PURPOSE } from './audit-trail';

/**
 * An audit entry for staff or for the subject's export. About a person, details and purpose are
 * unsealed while the person's key exists ("[erased]" after); entries written before purposes
 * were sealed still show their plain purpose column.
 */
export async function presentAuditEntry(services: Services, entry: AuditEntry) {
  let details: unknown = null;
  let purpose: string | null = entry.purpose;
  if (entry.details !== null) {
    if (!entry.subjectId) details = JSON.parse(entry.details);
    else {
      try {
        const content = JSON.parse(await services.subjects.decrypt(entry.subjectId, 'audit.details', entry.details)) as Record<string, unknown>;
        const { [SEALED_PURPOSE]: sealedPurpose, ...rest } = content;
        if (typeof sealedPurpose === 'string') purpose = sealedPurpose;
        details = Object.keys(rest).length > 0 ? rest : null;
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
    purpose,
    requestId: entry.requestId,
    details,
    hash: entry.hash,
  };
}

export const AuditEntryView = z.object({
  seq: z.string().describe('sequence number (a 64-bit integer, as text)'),
  at: Instant,
  actor: z.object({ type: z.enum(['staff', 'subject', 'system', 'licence']), id: z.string().nullable() }),
  action: z.string(),
  subjectId: z.uuid().nullable(),
  resource: z.object({ type: z.string(), id: z.string().nullable() }).nullable(),
  purpose: z.string().nullable(),
  requestId: z.string().nullable(),
  details: z.unknown().describe("the entry's details; the string \"[erased]\" once the person's key is destroyed"),
  hash: z.string(),
});

const BrokenLinkView = z.object({ seq: z.string().nullable(), reason: z.string() });

export const ChainReportView = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstBroken: BrokenLinkView.optional(),
  broken: z.array(BrokenLinkView).describe('every break found, oldest first (a bounded list)'),
  brokenCount: z.number().int(),
});
