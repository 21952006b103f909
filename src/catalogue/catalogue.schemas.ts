import { z } from 'zod';
import { text, uuid } from '../http/common-schemas';

export const ProductCode = z.string().trim().toUpperCase().regex(/^[A-Z0-9]{2,8}$/, '2 to 8 letters or digits; it prefixes licence keys');

export const CreateProductBody = z.strictObject({ code: ProductCode, name: text(200) });
export const UpdateProductBody = z.strictObject({ name: text(200) });

const entitlement = z.string().trim().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/, 'lower-case identifier such as "export.pdf"');

/** Policy fields with their documented defaults (README: "Policies"). */
const PolicyFields = {
  name: text(100),
  durationDays: z.number().int().min(1).max(36_500).nullable().optional(),
  maxMachines: z.number().int().min(1).max(1000).default(2),
  maxUsers: z.number().int().min(1).max(1000).default(1),
  offlineGraceHours: z.number().int().min(0).max(24 * 90).default(72),
  transfersPer30Days: z.number().int().min(0).max(1000).default(3),
  expiringSoonDays: z.number().int().min(0).max(365).default(14),
  entitlements: z.array(entitlement).max(100).default([]),
  telemetry: z.enum(['on', 'off']).default('on'),
  /** lifetime of a licence file (docs/offline-activation.md); 0 disables offline activation */
  offlineLicenceDays: z.number().int().min(0).max(366).default(30),
  fraudWindowHours: z.number().int().min(1).max(24 * 30).default(24),
  deviceFanoutThreshold: z.number().int().min(1).max(1000).nullable().optional(),
  accountFanoutThreshold: z.number().int().min(1).max(1000).nullable().optional(),
  churnThreshold: z.number().int().min(1).max(1000).default(6),
  clockDriftToleranceMinutes: z.number().int().min(1).max(7 * 24 * 60).default(60),
  overlapWindowMinutes: z.number().int().min(1).max(24 * 60).default(10),
};

export const CreatePolicyBody = z.strictObject({ productId: uuid(), ...PolicyFields });

export const UpdatePolicyBody = z.strictObject(
  Object.fromEntries(Object.entries(PolicyFields).map(([k, v]) => [k, (v as z.ZodType).optional()])) as {
    [K in keyof typeof PolicyFields]: z.ZodOptional<(typeof PolicyFields)[K]>
  },
);

export const PolicyListQuery = z.strictObject({ productId: uuid().optional() });
