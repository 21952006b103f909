/**
 * Maps a contact's personal fields to and from their encrypted columns (`<field>Enc`).
 * The e-mail also gets a blind index for lookups.
 */
import type { Contact } from '../generated/prisma/client';
import type { Services } from '../services';
import { PERSONAL_FIELDS, type PersonalField } from './contacts.schemas';

export type ContactPersonalData = Record<PersonalField, string | null>;

type EncryptedColumns = Partial<Record<`${PersonalField}Enc`, string | null>> & { emailIndex?: string; nameIndexes?: string[] };

/** The stored names of an existing contact: a change of one name re-indexes both (read by the caller, in its transaction). */
export interface StoredNames { firstNameEnc: string; lastNameEnc: string }

export async function encryptContactFields(
  services: Services, contactId: string, fields: Partial<Record<PersonalField, string | null | undefined>>, stored?: StoredNames,
): Promise<EncryptedColumns> {
  const key = await services.subjects.ensureKey(contactId);
  const columns: EncryptedColumns = {};
  for (const field of PERSONAL_FIELDS) {
    const value = fields[field];
    if (value === undefined) continue;
    columns[`${field}Enc`] = value === null ? null : services.subjects.encryptWith(key, contactId, `contact.${field}`, value);
  }
  if (fields.email) columns.emailIndex = services.blindIndex.of('email', fields.email);
  if (fields.firstName !== undefined || fields.lastName !== undefined) {
    // The index covers both names: when one changes, the other is opened from the stored row.
    let { firstName, lastName } = fields;
    if (firstName === undefined && stored) firstName = services.subjects.decryptWith(key, contactId, 'contact.firstName', stored.firstNameEnc);
    if (lastName === undefined && stored) lastName = services.subjects.decryptWith(key, contactId, 'contact.lastName', stored.lastNameEnc);
    columns.nameIndexes = services.blindIndex.ofNameTokens(firstName, lastName);
  }
  return columns;
}

/** Decrypts every personal field; null when the subject's key was destroyed (erased). */
export async function decryptContact(services: Services, contact: Contact): Promise<ContactPersonalData | null> {
  const key = await services.subjects.loadKey(contact.id);
  if (!key) return null;
  const data = {} as ContactPersonalData;
  for (const field of PERSONAL_FIELDS) {
    const sealed = contact[`${field}Enc`];
    data[field] = sealed ? services.subjects.decryptWith(key, contact.id, `contact.${field}`, sealed) : null;
  }
  return data;
}
