/**
 * Which physical machine an attempt came from, for counting distinct machines (device fan-out).
 *
 * Device rows are not enough: a refused attempt (TOO_MANY_MACHINES) has no device, and a
 * reinstalled PC may come back as a new device row after its release. So a machine is known by
 * all its aliases — PC name, MACs, device ids — and an attempt sharing any alias with a known
 * machine is that machine, the same rule validation uses to match devices (docs/architecture.md §4):
 * a docking station adds a MAC but keeps the PC name; an IT rename changes the PC name but keeps
 * the MACs. Pure; the aliases come from fraud_observations.
 */

export interface MachineClues {
  deviceId: string | null;
  pcNameIndex: string | null;
  macIndexes: string[];
}

export interface KnownAlias { alias: string; machineKey: string; lastAt: Date }

export function machineAliases(clues: MachineClues): string[] {
  return [
    ...(clues.pcNameIndex ? [`pc:${clues.pcNameIndex}`] : []),
    ...(clues.deviceId ? [`dev:${clues.deviceId}`] : []),
    ...clues.macIndexes.map((m) => `mac:${m}`),
  ];
}

/**
 * The machine key for these aliases: the most recently seen known machine sharing one of them,
 * else a key derived from the first alias — deterministic, so two instances seeing a new machine
 * at once agree on its key and count it once.
 */
export function resolveMachine(aliases: string[], known: KnownAlias[]): { machineKey: string; isNew: boolean } | null {
  const matches = known.filter((k) => aliases.includes(k.alias)).sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime());
  if (matches.length > 0) return { machineKey: matches[0].machineKey, isNew: false };
  if (aliases.length === 0) return null;
  return { machineKey: aliases[0], isNew: true };
}
