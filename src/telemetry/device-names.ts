/**
 * The names the server must scrub from a device's telemetry: the NT accounts bound to the licence
 * and last seen on the device, and the device's PC name. They are sealed with the holder's key,
 * so they are opened here — only when a batch carries text to scrub — and kept in memory for a
 * minute (a device sends a batch every few seconds), never written anywhere.
 */
import { DEVICE_FIELDS, holderOpener } from '../devices/device-crypto';
import type { Services } from '../services';
import type { KnownNames } from './scrub-telemetry';

const TTL_MS = 60_000;
const cache = new WeakMap<Services, Map<string, { names: KnownNames; until: number }>>();

function split(account: string, names: KnownNames) {
  const slash = account.lastIndexOf('\\');
  if (slash >= 0) {
    names.domains.push(account.slice(0, slash));
    names.userNames.push(account.slice(slash + 1));
  } else {
    const at = account.indexOf('@'); // user@domain (UPN) form
    names.userNames.push(at > 0 ? account.slice(0, at) : account);
  }
}

export async function deviceNames(services: Services, licenceId: string, deviceId: string | null): Promise<KnownNames> {
  let byDevice = cache.get(services);
  if (!byDevice) cache.set(services, (byDevice = new Map()));
  const key = `${licenceId}:${deviceId ?? '-'}`;
  const hit = byDevice.get(key);
  if (hit && hit.until > Date.now()) return hit.names;
  const names: KnownNames = { userNames: [], domains: [], pcNames: [] };
  const licence = await services.prisma.licence.findUnique({ where: { id: licenceId }, select: { holderId: true, users: { select: { ntAccountEnc: true } } } });
  if (licence) {
    const open = await holderOpener(services, licence.holderId);
    for (const u of licence.users) { const account = open(DEVICE_FIELDS.boundAccount, u.ntAccountEnc); if (account) split(account, names); }
    if (deviceId) {
      const device = await services.prisma.device.findFirst({ where: { id: deviceId, licenceId }, select: { pcNameEnc: true, lastNtAccountEnc: true } });
      const pcName = device ? open(DEVICE_FIELDS.pcName, device.pcNameEnc) : null;
      const last = device ? open(DEVICE_FIELDS.lastNtAccount, device.lastNtAccountEnc) : null;
      if (pcName) names.pcNames.push(pcName);
      if (last) split(last, names);
    }
  }
  if (byDevice.size >= 10_000) byDevice.clear();
  byDevice.set(key, { names, until: Date.now() + TTL_MS });
  return names;
}
