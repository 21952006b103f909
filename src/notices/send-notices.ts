/**
 * Notices to people outside the service (breach notices, sub-processor changes): each one is
 * sent, then recorded as a Notice row — who (a contact id, never an address), what, when, and
 * whether it went out — so "who was told when" can be shown later. Sent one after another and
 * awaited: the caller answers with the result, and a failure is recorded, not lost.
 */
import type { ContactRole, NoticeKind } from '../generated/prisma/enums';
import { loggableError } from '../logger';
import { mailerFor } from '../mail/mailer';
import { subjectEmail } from '../privacy/notify-subject';
import type { Services } from '../services';

export interface NoticeTarget { contactId: string; customerId: string | null }
export interface NoticeLink { breachId?: string; subProcessorChangeId?: string }
export interface NoticeOutcome { sent: number; failed: number; unreachable: number }

/** Roles a customer organisation is told through; a customer without any of them is told through all its contacts. */
export const ORGANISATION_ROLES: ContactRole[] = ['management', 'it', 'billing'];

/** The contacts through whom a customer organisation is told (policy 004: "the customer"). */
export async function organisationRecipients(services: Services, customerId: string): Promise<NoticeTarget[]> {
  const contacts = await services.prisma.contact.findMany({ where: { customerId }, select: { id: true, roles: true }, orderBy: { createdAt: 'asc' } });
  const chosen = contacts.filter((c) => c.roles.some((r) => ORGANISATION_ROLES.includes(r)));
  return (chosen.length > 0 ? chosen : contacts).map((c) => ({ contactId: c.id, customerId }));
}

export async function sendNotices(
  services: Services, kind: NoticeKind, link: NoticeLink, targets: NoticeTarget[], message: { subject: string; lines: string[] },
): Promise<NoticeOutcome> {
  const counter = services.metrics.counter('nomina_notices_total', 'Notices to subjects and customers (breaches, sub-processor changes), by kind and outcome', ['kind', 'outcome']);
  const outcome: NoticeOutcome = { sent: 0, failed: 0, unreachable: 0 };
  const signature = `${services.config.privacy.controller.name} — data protection officer: ${services.config.privacy.dpo.email}`;
  for (const target of targets) {
    // An erased contact has no readable address any more: nothing to send, nothing to record.
    const to = await subjectEmail(services, target.contactId);
    if (!to) { outcome.unreachable += 1; continue; }
    let status: 'sent' | 'failed' = 'sent';
    try {
      await mailerFor(services).send({ kind, to, subject: message.subject, text: [...message.lines, '', signature].join('\n') });
    } catch (error) {
      status = 'failed';
      services.logger.error({ kind, err: loggableError(error) }, 'notice could not be sent');
    }
    await services.prisma.notice.create({ data: { kind, status, at: services.now(), contactId: target.contactId, customerId: target.customerId, ...link } });
    counter.inc({ kind, outcome: status });
    outcome[status] += 1;
  }
  return outcome;
}

/** The notices recorded for a breach or a sub-processor change, oldest first. */
export async function listNotices(services: Services, where: NoticeLink) {
  const rows = await services.prisma.notice.findMany({ where, orderBy: { at: 'asc' } });
  return rows.map((n) => ({ id: n.id, kind: n.kind, status: n.status, at: n.at.toISOString(), contactId: n.contactId, customerId: n.customerId }));
}
