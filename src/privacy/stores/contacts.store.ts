import { decryptContact } from '../../contacts/contact-crypto';
import { fromArray, iso, type SubjectDataStore } from '../subject-data';

/** The contact row itself: every personal field, objections and restriction. Erased last but one. */
export const contactsStore: SubjectDataStore = {
  name: 'contact', category: 'contact_data', models: ['Contact'],
  export: (services, scope) => fromArray(async () => {
    const contact = await services.prisma.contact.findUnique({ where: { id: scope.contactId }, include: { customer: { select: { name: true } } } });
    if (!contact) return [];
    const personal = await decryptContact(services, contact);
    return [{
      id: contact.id, organisation: contact.customer.name, roles: contact.roles, ...(personal ?? {}),
      objections: { telemetry: iso(contact.telemetryObjectedAt), directMarketing: iso(contact.marketingObjectedAt), fraudProfiling: iso(contact.profilingObjectedAt) },
      restrictedAt: iso(contact.restrictedAt), createdAt: iso(contact.createdAt), updatedAt: iso(contact.updatedAt),
    }];
  }),
  async erase(_services, scope, tx) {
    return (await tx.contact.deleteMany({ where: { id: scope.contactId } })).count;
  },
  count: (services, scope) => services.prisma.contact.count({ where: { id: scope.contactId } }),
};
