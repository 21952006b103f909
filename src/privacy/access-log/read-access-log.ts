/**
 * The subject's access log, readable (GET /v1/privacy/me/access-log): who at the vendor did what
 * with their data, when and why — by role and purpose, never a staff id or an action code a
 * person cannot read. Staff roles are looked up at read time (a role is what the person needs to
 * know; the staff member's identity stays with the privacy officer).
 */
import { presentAuditEntry } from '../../audit/present-audit-entry';
import type { Services } from '../../services';
import { ACTOR_LABELS, actionLabel, ROLE_LABELS, type Label } from './action-labels';

export interface ReadableAccessEntry {
  at: string;
  who: { type: 'staff' | 'subject' | 'system' | 'licence' | 'api_key'; roles: string[]; label: Label };
  action: string;
  what: Label;
  purpose: string | null;
}

export const ACCESS_LOG_LIMIT = 500;

export async function readAccessLog(services: Services, contactId: string): Promise<ReadableAccessEntry[]> {
  const entries = await services.prisma.auditEntry.findMany({ where: { subjectId: contactId }, orderBy: { seq: 'desc' }, take: ACCESS_LOG_LIMIT });
  const staffIds = [...new Set(entries.filter((e) => e.actorType === 'staff' && e.actorId).map((e) => e.actorId!))];
  const staff = staffIds.length === 0 ? [] : await services.prisma.staffUser.findMany({ where: { id: { in: staffIds } }, select: { id: true, roles: true } });
  const rolesOf = new Map(staff.map((s) => [s.id, s.roles as string[]]));
  return Promise.all(entries.map(async (entry) => {
    const roles = entry.actorType === 'staff' ? rolesOf.get(entry.actorId ?? '') ?? [] : [];
    // the purpose is sealed with the subject's key (with the details): unsealed as the export does
    const { purpose } = await presentAuditEntry(services, entry);
    return {
      at: entry.at.toISOString(),
      who: { type: entry.actorType, roles, label: whoLabel(entry.actorType, roles) },
      action: entry.action,
      what: actionLabel(entry.action),
      purpose,
    };
  }));
}

function whoLabel(actorType: string, roles: string[]): Label {
  const named = roles.map((r) => ROLE_LABELS[r]).filter(Boolean);
  if (actorType === 'staff' && named.length > 0) return { en: named.map((l) => l.en).join(', '), nl: named.map((l) => l.nl).join(', ') };
  return ACTOR_LABELS[actorType] ?? ACTOR_LABELS.system;
}
