import { defineRoute, orApiKey, staffOnly } from '../http/route';
import { IdParams, page, pageOf } from '../http/common-schemas';
import { notFound } from '../http/problem';
import { viewFor } from '../staff/personal-data-view';
import { encryptContactFields } from './contact-crypto';
import { ContactListQuery, CreateContactBody, UpdateContactBody } from './contacts.schemas';
import { createContact } from './create-contact';
import { ContactView, presentContact } from './present-contact';
import { assertProcessingAllowed, assertViewAllowed } from '../privacy/restriction/processing-restriction';

const READERS = ['support', 'admin', 'privacy_officer'] as const;

export const contactRoutes = [
  defineRoute({
    method: 'post', path: '/v1/contacts', tag: 'contacts', access: orApiKey(staffOnly('support', 'admin'), 'customers:write'), body: CreateContactBody,
    response: { status: 201, description: 'the contact, unmasked for its creator', schema: ContactView, example: { id: '3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c', customerId: '8d6f7a52-3c1b-4e9d-a0f2-7b5c4d3e2f10', roles: ['licence_holder'], title: null, firstName: 'Jan', lastName: 'Peeters', jobTitle: 'Engineer', department: null, address: null, phone: null, fax: null, email: 'jan.peeters@contoso.example', view: 'full', erased: false, objections: { telemetry: null, directMarketing: null, fraudProfiling: null }, restrictedAt: null, createdAt: '2026-12-01T09:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z' } },
    example: { customerId: '8d6f7a52-3c1b-4e9d-a0f2-7b5c4d3e2f10', firstName: 'Jan', lastName: 'Peeters', jobTitle: 'Engineer', email: 'jan.peeters@contoso.example', roles: ['licence_holder'] },
    problems: ['CONFLICT'],
    summary: 'Create a contact (a person at a customer); personal fields are encrypted at rest (409 CONFLICT for a closed customer)',
    async handler({ services, body, staff, requestId }) {
      const contact = await createContact(services, body, staff.actor, requestId);
      return { status: 201, body: await presentContact(services, contact, viewFor(staff, 'creation', 'one')) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/contacts', tag: 'contacts', access: orApiKey(staffOnly(...READERS), 'customers:read'), query: ContactListQuery,
    response: { status: 200, description: 'a page of contacts, masked for support', schema: pageOf(ContactView) }, readsPersonalData: true,
    summary: "List a customer's contacts (masked for support); each contact read is audited",
    async handler({ services, query, staff, purpose, requestId }) {
      const contacts = await services.prisma.contact.findMany({
        where: { customerId: query.customerId, id: query.after ? { gt: query.after } : undefined },
        orderBy: { id: 'asc' },
        take: query.limit,
      });
      const view = viewFor(staff, purpose, 'list');
      for (const contact of contacts) {
        await services.audit.record({ actor: staff.actor, action: 'contact.list', subjectId: contact.id, resource: { type: 'contact', id: contact.id }, purpose, requestId, details: { view } });
      }
      const items = await Promise.all(contacts.map((c) => presentContact(services, c, view)));
      return { body: page(items, query.limit) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/contacts/:id', tag: 'contacts', access: orApiKey(staffOnly(...READERS), 'customers:read'), params: IdParams,
    response: { status: 200, description: 'the contact (masked or full, see `view`)', schema: ContactView }, readsPersonalData: true, problems: ['PROCESSING_RESTRICTED'],
    summary: 'Get one contact; support sees it unmasked only with an X-Purpose header (audited with the purpose)',
    async handler({ services, params, staff, purpose, requestId }) {
      const contact = await services.prisma.contact.findUnique({ where: { id: params.id } });
      if (!contact) throw notFound('contact');
      const view = viewFor(staff, purpose, 'one');
      await assertViewAllowed(services, staff, contact.id, view);
      await services.audit.record({ actor: staff.actor, action: 'contact.read', subjectId: contact.id, resource: { type: 'contact', id: contact.id }, purpose, requestId, details: { view } });
      return { body: await presentContact(services, contact, view) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/contacts/:id', tag: 'contacts', access: orApiKey(staffOnly(...READERS), 'customers:write'), params: IdParams, body: UpdateContactBody,
    response: { status: 200, description: 'the corrected contact', schema: ContactView }, readsPersonalData: true, problems: ['PROCESSING_RESTRICTED'],
    summary: "Correct a contact's data (audited with the names of the changed fields, never their values)",
    async handler({ services, params, body, staff, purpose, requestId }) {
      const { roles, ...fields } = body;
      const updated = await services.prisma.$transaction(async (tx) => {
        const contact = await tx.contact.findUnique({ where: { id: params.id }, select: { id: true, firstNameEnc: true, lastNameEnc: true } });
        if (!contact) throw notFound('contact');
        await assertProcessingAllowed(services, tx, staff, contact.id, 'change');
        const columns = await encryptContactFields(services, contact.id, fields, contact);
        const row = await tx.contact.update({ where: { id: contact.id }, data: { ...(columns as Record<string, string>), ...(roles ? { roles } : {}) } });
        await services.audit.record({ actor: staff.actor, action: 'contact.update', subjectId: contact.id, resource: { type: 'contact', id: contact.id }, purpose, requestId, details: { fields: Object.keys(body) } }, tx);
        return row;
      });
      return { body: await presentContact(services, updated, viewFor(staff, purpose, 'one')) };
    },
  }),
];
