/**
 * Device matching within a licence (docs/architecture.md §4): a request is the same device when the PC name is
 * equal (case-insensitive) or at least one MAC is shared — so a laptop that gains a docking
 * station's MAC, or a PC that IT renamed, stays one device. Pure, on blind indexes only.
 */
import type { DeviceIdentity } from './device-identity';

export interface DeviceCandidate {
  id: string;
  released: boolean;
  pcNameMatch: boolean;
  macIndexes: string[];
  lastNtAccountIndex: string | null;
  lastSeenMs: number;
}

/** Active before released, then a PC-name match, then the most shared MACs, then the most recent. */
export function bestMatch(candidates: DeviceCandidate[], identity: Pick<DeviceIdentity, 'macIndexes'>): DeviceCandidate | null {
  const shared = (c: DeviceCandidate) => c.macIndexes.filter((m) => identity.macIndexes.includes(m)).length;
  const ranked = [...candidates].sort((a, b) =>
    Number(a.released) - Number(b.released) || Number(b.pcNameMatch) - Number(a.pcNameMatch) || shared(b) - shared(a) || b.lastSeenMs - a.lastSeenMs);
  return ranked[0] ?? null;
}

/** Whether the stored device must change: renamed, a new MAC, or another NT account at the keyboard. */
export function deviceChanged(device: DeviceCandidate, identity: DeviceIdentity): boolean {
  return !device.pcNameMatch
    || identity.macIndexes.some((m) => !device.macIndexes.includes(m))
    || device.lastNtAccountIndex !== identity.ntAccountIndex;
}
