/**
 * Everything a validation needs, in one statement: the licence by key digest with its policy,
 * product and holder flags, whether the NT account is bound, the open-fraud-alert flag, the
 * small bounded counts (bound accounts ≤ maxUsers, active devices ≤ maxMachines) and the
 * candidate devices matched by PC name or a shared MAC — all through indexes and blind indexes,
 * nothing decrypted, nothing counted over history.
 */
import type { DeviceIdentity } from '../devices/device-identity';
import type { DeviceCandidate } from '../devices/match-device';
import { effectiveEntitlements } from '../licences/entitlements';

/** Runs one SQL statement: over a raw connection on the hot path, or inside a Prisma transaction. */
export type SqlRunner = <T>(sql: string, params: unknown[]) => Promise<T[]>;

export interface ValidationPolicy {
  id: string;
  maxMachines: number;
  maxUsers: number;
  offlineGraceHours: number;
  /** lifetime of a licence file (offline activation); 0 = not allowed */
  offlineLicenceDays: number;
  expiringSoonDays: number;
  transfersPer30Days: number;
  telemetry: 'on' | 'off';
  fraudWindowHours: number;
  deviceFanoutThreshold: number | null;
  accountFanoutThreshold: number | null;
  churnThreshold: number;
  clockDriftToleranceMinutes: number;
  overlapWindowMinutes: number;
}

export interface ValidationFacts {
  id: string;
  customerId: string;
  holderId: string;
  productId: string;
  productCode: string;
  status: 'active' | 'suspended' | 'revoked';
  validFrom: Date;
  validUntil: Date | null;
  entitlements: string[];
  policy: ValidationPolicy;
  /** the holder objected to telemetry or restricted processing (plain timestamp columns) */
  holderOptedOut: boolean;
  /** the holder objected to fraud profiling or restricted processing: read with every validation, so it applies at once */
  profilingStopped: boolean;
  underReview: boolean;
  accountBound: boolean;
  boundAccounts: number;
  activeDevices: number;
  devices: DeviceCandidate[];
}

/** SQL expressions for the request's blind indexes: statement parameters, or columns of a batch. */
interface IdentityParams { ntAccountIndex: string; pcNameIndex: string; macIndexes: string }

const selectFacts = (p: IdentityParams) => `
SELECT l.id, l."customerId", l."holderId", l."productId", pr.code AS "productCode", l.status::text AS status,
  (extract(epoch FROM l."validFrom") * 1000)::float8 AS "validFromMs",
  (extract(epoch FROM l."validUntil") * 1000)::float8 AS "validUntilMs",
  l.entitlements AS "licenceEntitlements", po.entitlements AS "policyEntitlements",
  po.id AS "policyId", po."maxMachines", po."maxUsers", po."offlineGraceHours", po."offlineLicenceDays", po."expiringSoonDays", po."transfersPer30Days",
  po.telemetry::text AS telemetry, po."fraudWindowHours", po."deviceFanoutThreshold", po."accountFanoutThreshold",
  po."churnThreshold", po."clockDriftToleranceMinutes", po."overlapWindowMinutes",
  (c."telemetryObjectedAt" IS NOT NULL OR c."restrictedAt" IS NOT NULL) AS "holderOptedOut",
  (c."profilingObjectedAt" IS NOT NULL OR c."restrictedAt" IS NOT NULL) AS "profilingStopped",
  EXISTS (SELECT 1 FROM fraud_alerts f WHERE f."licenceId" = l.id AND f."openKey" IS NOT NULL) AS "underReview",
  EXISTS (SELECT 1 FROM licence_users u WHERE u."licenceId" = l.id AND u."ntAccountIndex" = ${p.ntAccountIndex}) AS "accountBound",
  (SELECT count(*)::int FROM licence_users u WHERE u."licenceId" = l.id) AS "boundAccounts",
  (SELECT count(*)::int FROM devices d WHERE d."licenceId" = l.id AND d."releasedAt" IS NULL) AS "activeDevices",
  (SELECT coalesce(json_agg(json_build_object(
      'id', d.id, 'released', d."releasedAt" IS NOT NULL, 'pcNameMatch', d."pcNameIndex" = ${p.pcNameIndex},
      'lastNtAccountIndex', d."lastNtAccountIndex", 'lastSeenMs', extract(epoch FROM d."lastSeenAt") * 1000,
      'macIndexes', (SELECT coalesce(json_agg(m."macIndex"), '[]'::json) FROM device_macs m WHERE m."deviceId" = d.id))), '[]'::json)
    FROM (SELECT * FROM devices d WHERE d."licenceId" = l.id AND (d."pcNameIndex" = ${p.pcNameIndex} OR d.id IN (
        SELECT m."deviceId" FROM device_macs m WHERE m."licenceId" = l.id AND m."macIndex" = ANY(${p.macIndexes})))
      ORDER BY d."releasedAt" IS NOT NULL, d."lastSeenAt" DESC LIMIT 16) d) AS devices
FROM licences l
JOIN products pr ON pr.id = l."productId"
JOIN policies po ON po.id = l."policyId"
JOIN contacts c ON c.id = l."holderId"`;

// $1 = key digest or licence id, $2 = NT account index, $3 = PC name index, $4 = MAC indexes.
const SELECT_FACTS = selectFacts({ ntAccountIndex: '$2', pcNameIndex: '$3', macIndexes: '$4::text[]' });
const BY_DIGEST = `${SELECT_FACTS}\nWHERE l."keyDigest" = $1`;
const BY_ID = `${SELECT_FACTS}\nWHERE l.id = $1::uuid`;

/**
 * The same facts for many requests in one statement (the hot path's group read): one row per
 * request whose key matched, tagged with its 1-based position `n`. Parameters are parallel arrays
 * — key digests, NT account indexes, PC name indexes, and each request's MAC indexes joined by
 * commas (blind indexes are base64url, which has no comma; PostgreSQL arrays must be
 * rectangular, so a list per row cannot travel as text[][]).
 */
export const FACTS_BY_DIGESTS = `
SELECT r.n::int AS n, f.* FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(digest, nt, pc, macs, n)
CROSS JOIN LATERAL (${selectFacts({ ntAccountIndex: 'r.nt', pcNameIndex: 'r.pc', macIndexes: "string_to_array(r.macs, ',')" })}
WHERE l."keyDigest" = r.digest) f`;

/** The parameters of FACTS_BY_DIGESTS for these lookups, in order. */
export function factsByDigestsParams(lookups: { digest: string; identity: DeviceIdentity }[]): unknown[] {
  return [
    lookups.map((l) => l.digest), lookups.map((l) => l.identity.ntAccountIndex), lookups.map((l) => l.identity.pcNameIndex),
    lookups.map((l) => l.identity.macIndexes.join(',')),
  ];
}

export type FactsRow = Omit<ValidationFacts, 'validFrom' | 'validUntil' | 'entitlements' | 'policy' | 'devices'> & {
  validFromMs: number; validUntilMs: number | null; licenceEntitlements: string[] | null; policyEntitlements: string[] | null;
  policyId: string; devices: DeviceCandidate[] | string;
} & Omit<ValidationPolicy, 'id'>;

export async function loadFactsByDigest(run: SqlRunner, digest: string, identity: DeviceIdentity): Promise<ValidationFacts | null> {
  return toFacts((await run<FactsRow>(BY_DIGEST, [digest, identity.ntAccountIndex, identity.pcNameIndex, identity.macIndexes]))[0]);
}

/** The same facts by licence id: read again after taking the licence's row lock (a new snapshot). */
export async function loadFactsById(run: SqlRunner, licenceId: string, identity: DeviceIdentity): Promise<ValidationFacts | null> {
  return toFacts((await run<FactsRow>(BY_ID, [licenceId, identity.ntAccountIndex, identity.pcNameIndex, identity.macIndexes]))[0]);
}

export function toFacts(row: FactsRow | undefined): ValidationFacts | null {
  if (!row) return null;
  return {
    id: row.id, customerId: row.customerId, holderId: row.holderId, productId: row.productId, productCode: row.productCode, status: row.status,
    validFrom: new Date(Number(row.validFromMs)),
    validUntil: row.validUntilMs === null ? null : new Date(Number(row.validUntilMs)),
    entitlements: effectiveEntitlements(row.policyEntitlements ?? [], row.licenceEntitlements ?? []),
    policy: {
      id: row.policyId, maxMachines: row.maxMachines, maxUsers: row.maxUsers, offlineGraceHours: row.offlineGraceHours, offlineLicenceDays: row.offlineLicenceDays,
      expiringSoonDays: row.expiringSoonDays, transfersPer30Days: row.transfersPer30Days, telemetry: row.telemetry,
      fraudWindowHours: row.fraudWindowHours, deviceFanoutThreshold: row.deviceFanoutThreshold, accountFanoutThreshold: row.accountFanoutThreshold,
      churnThreshold: row.churnThreshold, clockDriftToleranceMinutes: row.clockDriftToleranceMinutes, overlapWindowMinutes: row.overlapWindowMinutes,
    },
    holderOptedOut: row.holderOptedOut, profilingStopped: row.profilingStopped, underReview: row.underReview, accountBound: row.accountBound,
    boundAccounts: Number(row.boundAccounts), activeDevices: Number(row.activeDevices),
    devices: (typeof row.devices === 'string' ? JSON.parse(row.devices) : row.devices) as DeviceCandidate[],
  };
}
