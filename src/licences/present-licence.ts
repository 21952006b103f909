import { decryptContact } from '../contacts/contact-crypto';
import type { Contact, Licence } from '../generated/prisma/client';
import type { Services } from '../services';
import { mask, type View } from '../staff/personal-data-view';
import { effectiveEntitlements } from './entitlements';
import { maskedKey } from './licence-keys';
import { openText } from '../crypto/sealed-text';

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
