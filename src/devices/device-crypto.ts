/**
 * Device identifiers are the holder's personal data: sealed with the holder's data key (so
 * erasing the holder shreds them too), each bound to its field by the associated data.
 */
import type { Services } from '../services';
import { mask } from '../staff/personal-data-view';

export const DEVICE_FIELDS = {
  pcName: 'device.pc_name',
  mac: 'device.mac',
  lastNtAccount: 'device.last_nt_account',
  boundAccount: 'licence_user.nt_account',
} as const;

export type DeviceField = (typeof DEVICE_FIELDS)[keyof typeof DEVICE_FIELDS];

export interface Sealer { seal(field: DeviceField, value: string): string }

/** Encrypts with the holder's key, loaded (or created) once per use: key unwrapping is cached. */
export async function holderSealer(services: Services, holderId: string): Promise<Sealer> {
  const key = await services.subjects.ensureKey(holderId);
  return { seal: (field, value) => services.subjects.encryptWith(key, holderId, field, value) };
}

/** Decrypts with the holder's key; every value is null once the holder was erased. */
export async function holderOpener(services: Services, holderId: string): Promise<(field: DeviceField, sealed: string | null) => string | null> {
  const key = await services.subjects.loadKey(holderId);
  return (field, sealed) => (key && sealed ? services.subjects.decryptWith(key, holderId, field, sealed) : null);
}

/** `CONTOSO\jdoe` → `CONTOSO\j•••`: the domain is the organisation's, the user name is the person's. */
export function maskAccount(account: string | null): string | null {
  if (account === null) return null;
  const slash = account.indexOf('\\');
  return slash >= 0 ? `${account.slice(0, slash + 1)}${mask(account.slice(slash + 1)) ?? ''}` : mask(account);
}

/** `00:1A:2B:3C:4D:5E` → `00:1A:2B:••:••:••`: the vendor prefix helps support, the rest identifies the machine. */
export function maskMac(mac: string | null): string | null {
  return mac === null ? null : `${mac.slice(0, 8)}:••:••:••`;
}
