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

import { issueLicence } from '../../src/licences/issue-licence';

/**
 * A licence issued through the real use case, with its own product, policy and holder unless
 * given: `const { licence, key, product } = await buildLicence(h, { policy: { maxMachines: 1 } })`.
 * `key` is the clear key, as the holder received it.
 */
export async function buildLicence(h: Harness, overrides: {
  policy?: Partial<{ maxMachines: number; maxUsers: number; offlineGraceHours: number; transfersPer30Days: number; expiringSoonDays: number; durationDays: number | null; entitlements: string[]; telemetry: 'on' | 'off'; offlineLicenceDays: number }>;
  productId?: string; holderId?: string; validFrom?: Date; validUntil?: Date | null;
} = {}) {
  const productId = overrides.productId ?? (await buildProduct(h)).id;
  const product = await h.services.prisma.product.findUniqueOrThrow({ where: { id: productId } });
  const policy = await h.services.prisma.policy.create({ data: { productId, name: `Policy ${unique()}`, entitlements: ['core'], ...overrides.policy } });
  const holderId = overrides.holderId ?? (await buildContact(h)).id;
  const { licence, key } = await issueLicence(h.services, { policyId: policy.id, holderId, validFrom: overrides.validFrom, validUntil: overrides.validUntil }, { type: 'system', id: 'test' });
  return { licence, key, policy, product, holderId };
}
