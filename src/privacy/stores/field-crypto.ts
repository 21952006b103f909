/**
 * Opening fields that other domains encrypted with the subject's key. The associated data is
 * `<subjectId>/<label>`; each store names the label its owning domain uses (src/devices/device-crypto.ts,
 * src/fraud/alert-evidence.ts). A field that does not open is exported as "[unreadable]" rather
 * than failing the whole export.
 */
import type { Services } from '../../services';

export async function subjectKey(services: Services, contactId: string): Promise<Buffer | null> {
  return services.subjects.loadKey(services.prisma, contactId);
}

export function openField(services: Services, key: Buffer | null, contactId: string, sealed: string | null, labels: string[]): string | null {
  if (sealed === null) return null;
  if (!key) return '[erased]';
  for (const label of labels) {
    try {
      return services.subjects.decryptWith(key, contactId, label, sealed);
    } catch {
      // wrong label: try the next spelling
    }
  }
  return '[unreadable]';
}

export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
