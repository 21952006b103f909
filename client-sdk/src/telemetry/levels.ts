import fs from 'node:fs';
import path from 'node:path';

/** `all`: usage and errors; `errors`: error reports only; `off`: nothing leaves the machine. */
export type TelemetryLevel = 'all' | 'errors' | 'off';

const LEVEL_ORDER: Record<TelemetryLevel, number> = { off: 0, errors: 1, all: 2 };
export const ADMIN_LEVEL_ENV = 'NOMINA_TELEMETRY_LEVEL';

export function isTelemetryLevel(value: unknown): value is TelemetryLevel {
  return value === 'all' || value === 'errors' || value === 'off';
}

/** The most private of the given levels: every party can lower the level, none can raise it. */
export function mostPrivateLevel(...levels: Array<TelemetryLevel | null | undefined>): TelemetryLevel {
  return levels.reduce<TelemetryLevel>((lowest, level) => (level && LEVEL_ORDER[level] < LEVEL_ORDER[lowest] ? level : lowest), 'all');
}

/** Machine-wide location an administrator (GPO, MDM, config management) writes to. */
export function defaultPolicyFile(platform: NodeJS.Platform = process.platform, env: Record<string, string | undefined> = process.env): string {
  if (platform === 'win32') return path.win32.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Nomina', 'policy.json');
  return '/etc/nomina/policy.json';
}

export interface AdminLockSources {
  env: Record<string, string | undefined>;
  policyFile: string;
  readFile?: (file: string) => string;
}

/**
 * The administrator's ceiling, or null when none is set. A lock that is present but unreadable or
 * invalid counts as `off`: the administrator clearly meant to restrict, and failing closed is the
 * privacy-safe reading of a typo.
 */
export function readAdminLock({ env, policyFile, readFile = (file) => fs.readFileSync(file, 'utf8') }: AdminLockSources): TelemetryLevel | null {
  const fromEnv = env[ADMIN_LEVEL_ENV]?.trim().toLowerCase();
  const envLevel: TelemetryLevel | null = fromEnv ? (isTelemetryLevel(fromEnv) ? fromEnv : 'off') : null;
  const fileLevel = filePolicy(policyFile, readFile);
  return envLevel === null && fileLevel === null ? null : mostPrivateLevel(envLevel, fileLevel);
}

function filePolicy(policyFile: string, readFile: (file: string) => string): TelemetryLevel | null {
  let text: string;
  try {
    text = readFile(policyFile);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? null : 'off';
  }
  try {
    const level = (JSON.parse(text) as { telemetryLevel?: unknown }).telemetryLevel;
    return isTelemetryLevel(level) ? level : 'off';
  } catch {
    return 'off';
  }
}
