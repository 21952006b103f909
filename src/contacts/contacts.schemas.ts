import { z } from 'zod';
import { text, uuid } from '../http/common-schemas';

export const ContactRoleSchema = z.enum(['licence_holder', 'billing', 'it', 'management']);

/** Personal fields of a contact; every one is encrypted at rest with the contact's data key. */
export const PERSONAL_FIELDS = ['title', 'firstName', 'lastName', 'jobTitle', 'department', 'address', 'phone', 'fax', 'email'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

const phone = z.string().trim().regex(/^\+?[0-9 ()./-]{4,32}$/, 'a phone number such as +32 2 123 45 67');

export const ContactFields = z.strictObject({
  title: text(40).nullable().optional(),
  firstName: text(100),
  lastName: text(100),
  jobTitle: text(100).nullable().optional(),
  department: text(100).nullable().optional(),
  address: text(400).nullable().optional(),
  phone: phone.nullable().optional(),
  fax: phone.nullable().optional(),
  email: z.email().max(254),
  roles: z.array(ContactRoleSchema).min(1).max(4).default(['licence_holder']),
});

export const CreateContactBody = ContactFields.extend({ customerId: uuid() });
export type CreateContactBody = z.infer<typeof CreateContactBody>;

// Rebuilt without defaults: a PATCH that omits `roles` must not reset them.
export const UpdateContactBody = ContactFields.partial().extend({ roles: z.array(ContactRoleSchema).min(1).max(4).optional() }).refine((b) => Object.keys(b).length > 0, 'send at least one field');
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;

export const ContactListQuery = z.strictObject({
  customerId: uuid(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: uuid().optional(),
});
