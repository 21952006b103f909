import { z } from 'zod';
import { isoDate, PageQuery, text, uuid } from '../http/common-schemas';

const entitlement = z.string().trim().regex(/^[a-z0-9][a-z0-9_.:-]{0,63}$/, 'lower-case identifier such as "export.pdf"');

export const IssueLicenceBody = z.strictObject({
  policyId: uuid(),
  holderId: uuid(),
  /** when given, the holder must be a contact of this customer (otherwise 404) */
  customerId: uuid().optional(),
  validFrom: isoDate.optional(),
  /** default: validFrom + the policy's durationDays, or no end */
  validUntil: isoDate.nullable().optional(),
  /** granted on top of the policy's entitlements */
  entitlements: z.array(entitlement).max(100).optional(),
});
export type IssueLicenceBody = z.infer<typeof IssueLicenceBody>;

export const LicenceStatusSchema = z.enum(['active', 'suspended', 'revoked']);

export const LicenceListQuery = PageQuery.extend({
  /** a key or its last 4 characters, holder name (all words), holder e-mail, organisation name (contains), PC name or NT account (`DOMAIN\user` or `user`) */
  q: z.string().trim().min(1).max(254).optional(),
  customerId: uuid().optional(),
  holderId: uuid().optional(),
  status: LicenceStatusSchema.optional(),
});
export type LicenceListQuery = z.infer<typeof LicenceListQuery>;

export const LicenceActionBody = z.strictObject({ reason: text(500).optional() });

export const DeviceParams = z.strictObject({ id: uuid(), deviceId: uuid() });

export const StaffReleaseBody = z.strictObject({
  reason: text(500).optional(),
  /** release even when the policy's transfer budget is used up (audited) */
  overrideTransferBudget: z.boolean().default(false),
});
