import { randomUUID } from 'node:crypto';
import type { Services } from '../services';
import type { Actor } from '../audit/audit-trail';
import { notFound } from '../http/problem';
import { customerClosed } from '../customers/customer-closed';
import { encryptContactFields } from './contact-crypto';
import type { CreateContactBody } from './contacts.schemas';

/** Creates a contact with its data key and encrypted fields, and the audit entry, in one transaction. */
export async function createContact(services: Services, input: CreateContactBody, actor: Actor, requestId?: string) {
  const { customerId, roles, ...fields } = input;
  return services.prisma.$transaction(async (tx) => {
    const customer = await tx.customer.findUnique({ where: { id: customerId }, select: { id: true, closedAt: true } });
    if (!customer) throw notFound('customer');
    // A closed customer's data was handed back and erased (close-customer.ts): nothing new is
    // collected under it. A returning organisation is a new customer.
    if (customer.closedAt) throw customerClosed();
    // The id is chosen here: it names the data key and is bound into every ciphertext.
    const id = randomUUID();
    const columns = await encryptContactFields(services, id, fields);
    const contact = await tx.contact.create({
      data: { id, customerId, roles, ...columns, firstNameEnc: columns.firstNameEnc!, lastNameEnc: columns.lastNameEnc!, emailEnc: columns.emailEnc!, emailIndex: columns.emailIndex! },
    });
    await services.audit.record({ actor, action: 'contact.create', subjectId: id, resource: { type: 'contact', id }, requestId }, tx);
    return contact;
  });
}
