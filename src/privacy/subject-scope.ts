import type { Services } from '../services';
import { DEFAULT_TELEMETRY_RETENTION_MONTHS } from '../telemetry/expire-telemetry';
import { monthsBetween } from '../telemetry/pseudonym';
import type { SubjectScope } from './subject-data';

const DAY = 86_400_000;

/**
 * Resolves where a subject's data lives, from the live tables. Telemetry months run from a
 * month before the contact was created — or before the raw-telemetry retention window, if that
 * starts earlier (an imported contact may keep an old id) — to a month after `now` (clients'
 * clocks drift).
 * Returns null when the contact does not exist.
 */
export async function resolveSubjectScope(services: Services, contactId: string, now: Date): Promise<SubjectScope | null> {
  const contact = await services.prisma.contact.findUnique({ where: { id: contactId }, select: { id: true, customerId: true, emailIndex: true, createdAt: true } });
  if (!contact) return null;
  const licences = await services.prisma.licence.findMany({ where: { holderId: contactId }, select: { id: true, createdAt: true } });
  const licenceIds = licences.map((l) => l.id);
  const devices = licenceIds.length ? await services.prisma.device.findMany({ where: { licenceId: { in: licenceIds } }, select: { id: true } }) : [];
  const retentionWindowStart = now.getTime() - (DEFAULT_TELEMETRY_RETENTION_MONTHS + 1) * 31 * DAY;
  const earliest = Math.min(contact.createdAt.getTime(), retentionWindowStart, ...licences.map((l) => l.createdAt.getTime()));
  return {
    contactId,
    customerId: contact.customerId,
    licenceIds,
    deviceIds: devices.map((d) => d.id),
    emailIndex: contact.emailIndex,
    telemetryMonths: monthsBetween(new Date(earliest - 31 * DAY), new Date(now.getTime() + 31 * DAY)),
  };
}
