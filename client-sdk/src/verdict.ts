import type { TelemetryLevel } from './telemetry/levels.js';
import type { LicenceClaims } from './token.js';

/** Codes the SDK adds to the server's (VALID, NOT_FOUND, EXPIRED, …) for answers it makes itself. */
export type OfflineCode =
  | 'OFFLINE_NO_TOKEN' | 'OFFLINE_GRACE_EXPIRED' | 'CLOCK_ROLLBACK' | 'UNTRUSTED_RESPONSE'
  /** An imported licence file that can no longer be used (docs/offline-activation.md §3). */
  | 'LICENCE_FILE_EXPIRED' | 'LICENCE_FILE_OTHER_DEVICE' | 'LICENCE_FILE_UNTRUSTED' | 'LICENCE_FILE_WRONG_PRODUCT' | 'LICENCE_FILE_MALFORMED';

/**
 * What the verdict was read from: the service's answer now, the token saved from an earlier
 * answer, or a licence file imported for an air-gapped PC.
 */
export type VerdictSource = 'online' | 'cache' | 'licence-file';

export interface LicenceVerdict {
  valid: boolean;
  /** The server's code (docs/architecture.md §4) or an OfflineCode. */
  code: string;
  detail: string;
  warnings: string[];
  entitlements: string[];
  /** True when answered without the server (cached token or licence file) because it could not be reached. */
  offline: boolean;
  /** Absent when nothing could answer (e.g. OFFLINE_NO_TOKEN, CLOCK_ROLLBACK before any file was read). */
  source?: VerdictSource;
  /** End of the offline grace: the cached token's (or licence file's) `exp`. */
  expiresAt: Date | null;
  /** The licence's own end (validUntil), if it has one. */
  validUntil: Date | null;
  /** The effective telemetry level after the app, the administrator and the server had their say. */
  telemetry: TelemetryLevel;
  licenceId: string | null;
  deviceId: string | null;
}

export type VerdictWithoutTelemetry = Omit<LicenceVerdict, 'telemetry'>;

export function verdictFromClaims(
  claims: LicenceClaims,
  context: { offline: boolean; detail: string; warnings: string[]; now: Date },
): VerdictWithoutTelemetry {
  const validUntil = claims.vu ? new Date(claims.vu) : null;
  // Offline, the licence can run out while the grace has not: the signed validUntil decides.
  const expiredSinceIssued = context.offline && claims.valid && validUntil !== null && context.now >= validUntil;
  return {
    valid: claims.valid && !expiredSinceIssued,
    code: expiredSinceIssued ? 'EXPIRED' : claims.code,
    detail: context.detail,
    warnings: context.warnings,
    entitlements: claims.valid && !expiredSinceIssued ? [...claims.ent] : [],
    offline: context.offline,
    expiresAt: new Date(claims.exp * 1000),
    validUntil,
    licenceId: claims.lic,
    deviceId: claims.dev,
  };
}

export function refusal(code: string, detail: string, warnings: string[], offline: boolean): VerdictWithoutTelemetry {
  return { valid: false, code, detail, warnings, entitlements: [], offline, expiresAt: null, validUntil: null, licenceId: null, deviceId: null };
}
