/**
 * Factories that go through the same use cases as the API, with random unique fields, so each
 * test builds its own world: buildCustomer(h), buildContact(h, { customerId }), …
 */
import { randomUUID } from 'node:crypto';
import { createContact } from '../../src/contacts/create-contact';
import type { CreateContactBody } from '../../src/contacts/contacts.schemas';
import type { Harness } from './harness';

const unique = () => randomUUID().slice(0, 8);

export async function buildCustomer(h: Harness, overrides: Partial<{ name: string; agreementEndsAt: Date | null }> = {}) {
  const name = overrides.name ?? `Gemeente ${unique()}`;
  return h.services.prisma.customer.create({
    data: { name, nameSearch: name.toLowerCase(), country: 'BE', agreementStartsAt: new Date('2025-01-01'), agreementEndsAt: overrides.agreementEndsAt ?? null },
  });
}

export async function buildContact(h: Harness, overrides: Partial<CreateContactBody> = {}) {
  const customerId = overrides.customerId ?? (await buildCustomer(h)).id;
  const id = unique();
  return createContact(h.services, {
    customerId, firstName: 'Jan', lastName: `Peeters-${id}`, email: `jan.${id}@gemeente.test`, roles: ['licence_holder'],
    title: null, jobTitle: 'Aankoper', department: null, address: 'Grote Markt 1, 1000 Brussel', phone: '+32 2 123 45 67', fax: null,
    ...overrides,
  }, { type: 'system', id: 'test' });
}

export async function buildProduct(h: Harness, overrides: Partial<{ code: string; name: string }> = {}) {
  const code = overrides.code ?? `P${unique().replace(/[^A-Z0-9]/gi, '').toUpperCase().slice(0, 6)}`;
  return h.services.prisma.product.create({ data: { code, name: overrides.name ?? `Product ${code}` } });
}

export async function buildPolicy(h: Harness, overrides: Partial<{ productId: string; maxMachines: number; maxUsers: number; name: string }> = {}) {
  const productId = overrides.productId ?? (await buildProduct(h)).id;
  return h.services.prisma.policy.create({
    data: { productId, name: overrides.name ?? `Policy ${unique()}`, maxMachines: overrides.maxMachines ?? 2, maxUsers: overrides.maxUsers ?? 1, entitlements: ['core'] },
  });
}
