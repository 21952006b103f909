import { z } from 'zod';
import { Instant, isoDate, PageQuery, text } from '../http/common-schemas';

export const CreateCustomerBody = z.strictObject({
  name: text(200),
  country: z.string().regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2 code, e.g. BE'),
  vatNumber: z.string().trim().regex(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/, 'VAT number with its country prefix, e.g. BE0123456789').optional(),
  agreementStartsAt: isoDate,
  agreementEndsAt: isoDate.nullable().optional(),
}).refine((b) => !b.agreementEndsAt || b.agreementEndsAt >= b.agreementStartsAt, { path: ['agreementEndsAt'], message: 'must not be before agreementStartsAt' });

export const UpdateCustomerBody = z.strictObject({
  name: text(200).optional(),
  country: z.string().regex(/^[A-Z]{2}$/).optional(),
  vatNumber: z.string().trim().regex(/^[A-Z]{2}[0-9A-Z+*.]{2,13}$/).nullable().optional(),
  agreementStartsAt: isoDate.optional(),
  agreementEndsAt: isoDate.nullable().optional(),
});

export const CustomerListQuery = PageQuery.extend({ name: z.string().trim().min(1).max(200).optional() });

export type CustomerRow = {
  id: string; name: string; vatNumber: string | null; country: string;
  agreementStartsAt: Date; agreementEndsAt: Date | null; closedAt?: Date | null; createdAt: Date; updatedAt: Date;
};

export function presentCustomer(c: CustomerRow) {
  return {
    id: c.id, name: c.name, country: c.country, vatNumber: c.vatNumber,
    agreementStartsAt: c.agreementStartsAt.toISOString(), agreementEndsAt: c.agreementEndsAt?.toISOString() ?? null,
    closedAt: c.closedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  };
}

export const CustomerView = z.object({
  id: z.uuid(), name: z.string(), country: z.string(), vatNumber: z.string().nullable(),
  agreementStartsAt: Instant, agreementEndsAt: Instant.nullable(), createdAt: Instant, updatedAt: Instant,
});
