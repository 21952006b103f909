/**
 * Restriction of processing (GDPR Art. 18): while it is in force, the person's data is only
 * stored. Staff reads of their personal data and changes to their contact or licences are refused
 * (409 PROCESSING_RESTRICTED), unless a privacy officer recorded an exception on a ground of
 * Art. 18(2) — consent, legal claims, protection of another person, important public interest —
 * with a reason, valid until a date. The privacy officer, who handles the person's requests and
 * the restriction itself, is not refused. Validation of the licence continues (the contract), as
 * the register says; telemetry and fraud profiling stop (processing-permissions.ts).
 */
import type { PrismaClient } from '../../generated/prisma/client';
import type { StaffPrincipal } from '../../http/route';
import { AppError } from '../../http/problem';
import type { Tx } from '../../db/transactions';
import type { Services } from '../../services';

export type RestrictedProcessing = 'read' | 'change';

const WHAT: Record<RestrictedProcessing, string> = {
  read: 'reading their personal data',
  change: 'changing their data or licences',
};

/** Throws 409 when `staff` may not process this person's data now. Plain timestamp reads, no decryption. */
export async function assertProcessingAllowed(
  services: Services, db: Tx | PrismaClient, staff: StaffPrincipal, contactId: string, what: RestrictedProcessing,
): Promise<void> {
  if (staff.roles.includes('privacy_officer')) return;
  const contact = await db.contact.findUnique({ where: { id: contactId }, select: { restrictedAt: true } });
  if (!contact?.restrictedAt) return;
  const exception = await db.restrictionException.findFirst({ where: { contactId, expiresAt: { gt: services.now() } }, select: { id: true } });
  if (exception) return;
  throw new AppError('PROCESSING_RESTRICTED',
    `the person restricted the processing of their data (GDPR Art. 18) on ${contact.restrictedAt.toISOString().slice(0, 10)}: `
    + `${WHAT[what]} is refused; a privacy officer can record an exception under Art. 18(2) with its ground and reason`);
}

/** A full (unmasked) view of the person's data is a read; a masked one shows nothing personal. */
export async function assertViewAllowed(services: Services, staff: StaffPrincipal, contactId: string, view: 'full' | 'masked'): Promise<void> {
  if (view === 'full') await assertProcessingAllowed(services, services.prisma, staff, contactId, 'read');
}
