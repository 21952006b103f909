import type { Contact } from '../generated/prisma/client';
import type { Services } from '../services';
import { mask, type View } from '../staff/personal-data-view';
import { decryptContact } from './contact-crypto';
import { z } from 'zod';
import { Instant } from '../http/common-schemas';
import { ContactRoleSchema, PERSONAL_FIELDS } from './contacts.schemas';

export async function presentContact(services: Services, contact: Contact, view: View) {
  const data = await decryptContact(services, contact);
  const personal: Record<string, string | null> = {};
  for (const field of PERSONAL_FIELDS) {
    const value = data ? data[field] : null;
    personal[field] = view === 'full' ? value : mask(value, field === 'email' ? 'email' : 'text');
  }
  return {
    id: contact.id,
    customerId: contact.customerId,
    roles: contact.roles,
    ...personal,
    view,
    erased: data === null,
    objections: {
      telemetry: contact.telemetryObjectedAt?.toISOString() ?? null,
      directMarketing: contact.marketingObjectedAt?.toISOString() ?? null,
      fraudProfiling: contact.profilingObjectedAt?.toISOString() ?? null,
    },
    restrictedAt: contact.restrictedAt?.toISOString() ?? null,
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}

const personal = z.string().nullable();
/** A contact as staff see it: personal fields masked unless `view` is `full`, null once erased. */
export const ContactView = z.object({
  id: z.uuid(), customerId: z.uuid(), roles: z.array(ContactRoleSchema),
  title: personal, firstName: personal, lastName: personal, jobTitle: personal, department: personal,
  address: personal, phone: personal, fax: personal, email: personal,
  view: z.enum(['full', 'masked']),
  erased: z.boolean(),
  objections: z.object({ telemetry: Instant.nullable(), directMarketing: Instant.nullable(), fraudProfiling: Instant.nullable() }),
  restrictedAt: Instant.nullable(),
  createdAt: Instant, updatedAt: Instant,
});
