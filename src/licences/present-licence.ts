import { decryptContact } from '../contacts/contact-crypto';
import type { Contact, Licence } from '../generated/prisma/client';
import type { Services } from '../services';
import { mask, type View } from '../staff/personal-data-view';
import { effectiveEntitlements } from './entitlements';
import { maskedKey } from './licence-keys';
import { openText } from '../crypto/sealed-text';
import { z } from 'zod';
import { Instant } from '../http/common-schemas';

export type LicenceWithRelations = Licence & { product: { code: string }; policy: { entitlements: string[] }; holder: Contact };

export const LICENCE_INCLUDE = { product: { select: { code: true } }, policy: { select: { entitlements: true } }, holder: true } as const;

export async function presentLicence(services: Services, licence: LicenceWithRelations, view: View) {
  const holder = await decryptContact(services, licence.holder);
  const show = (value: string | null, kind: 'text' | 'email' = 'text') => (view === 'full' ? value : mask(value, kind));
  return {
    id: licence.id,
    key: maskedKey(licence.product.code, licence.keyLast4),
    keyLast4: licence.keyLast4,
    productId: licence.productId,
    productCode: licence.product.code,
    policyId: licence.policyId,
    customerId: licence.customerId,
    holder: {
      id: licence.holderId,
      firstName: show(holder?.firstName ?? null),
      lastName: show(holder?.lastName ?? null),
      email: show(holder?.email ?? null, 'email'),
      erased: holder === null,
    },
    status: licence.status,
    statusReason: await openText(services, licence.holderId, 'licence.status_reason', licence.statusReason),
    validFrom: licence.validFrom.toISOString(),
    validUntil: licence.validUntil?.toISOString() ?? null,
    entitlements: effectiveEntitlements(licence.policy.entitlements, licence.entitlements),
    extraEntitlements: licence.entitlements,
    view,
    createdAt: licence.createdAt.toISOString(),
    updatedAt: licence.updatedAt.toISOString(),
  };
}

export const LicenceView = z.object({
  id: z.uuid(),
  key: z.string().describe('the key masked but for its last 4 characters'),
  keyLast4: z.string(),
  productId: z.uuid(), productCode: z.string(), policyId: z.uuid(), customerId: z.uuid(),
  holder: z.object({ id: z.uuid(), firstName: z.string().nullable(), lastName: z.string().nullable(), email: z.string().nullable(), erased: z.boolean() }),
  status: z.enum(['active', 'suspended', 'revoked']),
  statusReason: z.string().nullable(),
  validFrom: Instant,
  validUntil: Instant.nullable(),
  entitlements: z.array(z.string()).describe("the policy's and the licence's own"),
  extraEntitlements: z.array(z.string()),
  view: z.enum(['full', 'masked']),
  createdAt: Instant, updatedAt: Instant,
});

/** The answer that shows a key: at issue and at rotation, this once. */
export const LicenceWithKeyView = LicenceView.extend({ key: z.string().describe('the full licence key, shown this once') });

export const LicenceDetailView = LicenceView.extend({
  users: z.array(z.object({ id: z.uuid(), ntAccount: z.string().nullable(), boundAt: Instant })).describe('the NT accounts bound to this nominative licence'),
});
