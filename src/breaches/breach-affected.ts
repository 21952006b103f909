/**
 * Which data subjects and customer organisations a breach affects. Staff name them by id (the
 * breach register itself holds no personal data); a customer is affected when one of its
 * contacts is, so the customers of affected subjects are added. Unknown ids are refused with a
 * pointer to the offending entry, before anything is written.
 */
import type { Tx } from '../audit/audit-trail';
import { AppError } from '../http/problem';

export interface AffectedInput { affectedSubjectIds?: string[]; affectedCustomerIds?: string[] }

export async function addAffected(tx: Tx, breachId: string, input: AffectedInput): Promise<void> {
  const subjectIds = [...new Set(input.affectedSubjectIds ?? [])];
  const customerIds = [...new Set(input.affectedCustomerIds ?? [])];
  const contacts = await tx.contact.findMany({ where: { id: { in: subjectIds } }, select: { id: true, customerId: true } });
  const customers = await tx.customer.findMany({ where: { id: { in: customerIds } }, select: { id: true } });
  const knownContacts = new Set(contacts.map((c) => c.id));
  const knownCustomers = new Set(customers.map((c) => c.id));
  const errors = [
    ...(input.affectedSubjectIds ?? []).flatMap((id, i) => (knownContacts.has(id) ? [] : [{ pointer: `/affectedSubjectIds/${i}`, detail: 'no such contact' }])),
    ...(input.affectedCustomerIds ?? []).flatMap((id, i) => (knownCustomers.has(id) ? [] : [{ pointer: `/affectedCustomerIds/${i}`, detail: 'no such customer' }])),
  ];
  if (errors.length > 0) throw new AppError('UNPROCESSABLE', 'unknown affected subjects or customers', { errors });
  const allCustomers = new Set([...customerIds, ...contacts.map((c) => c.customerId)]);
  if (contacts.length > 0) await tx.breachAffectedSubject.createMany({ data: contacts.map((c) => ({ breachId, contactId: c.id })), skipDuplicates: true });
  if (allCustomers.size > 0) await tx.breachAffectedCustomer.createMany({ data: [...allCustomers].map((customerId) => ({ breachId, customerId })), skipDuplicates: true });
}
