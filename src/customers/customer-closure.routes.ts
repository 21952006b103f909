import { z } from 'zod';
import { IdParams, Instant } from '../http/common-schemas';
import { defineRoute, staffOnly } from '../http/route';
import { closeCustomer } from './close-customer';
import { streamCustomerExport } from './export-customer';

const CloseBody = z.strictObject({ exportId: z.uuid() });
const CLOSERS = ['privacy_officer', 'admin'] as const;

const CustomerExportView = z.object({
  format: z.literal('nomina.customer-export'), version: z.literal(1), exportId: z.uuid(), generatedAt: Instant,
  customer: z.object({ id: z.uuid(), name: z.string(), vatNumber: z.string().nullable(), country: z.string(), agreementStartsAt: Instant, agreementEndsAt: Instant.nullable() }),
  billingRecords: z.array(z.object({ licenceId: z.uuid(), productCode: z.string(), issuedAt: Instant, validFrom: Instant, validUntil: Instant.nullable() })),
  subjects: z.array(z.unknown()).describe('one subject export (format nomina.subject-export, GET /v1/privacy/export-schema) per contact'),
});
const ClosureView = z.object({
  alreadyClosed: z.boolean(), closedAt: Instant,
  receipt: z.string().nullable().describe('compact JWS, typ nomina-customer-closure-receipt+jwt, verifiable with /.well-known/jwks.json'),
  subjectsErased: z.number().int().optional(), billingRecordsKept: z.number().int().optional(),
});

export const customerClosureRoutes = [
  defineRoute({
    method: 'post', path: '/v1/customers/:id/exports', tag: 'customers', access: staffOnly(...CLOSERS), params: IdParams,
    summary: 'Export all of a customer’s data (format nomina.customer-export v1: organisation, billing records, and each contact’s full '
      + 'subject export with licences, devices, validation history and usage); the export id is in X-Export-Id and in the document',
    response: { status: 200, description: 'the export document (Content-Disposition: attachment; its id also in X-Export-Id)', schema: CustomerExportView },
    readsPersonalData: true,
    async handler({ services, params, staff, requestId, res }) {
      await streamCustomerExport(services, params.id, staff.id, requestId, res);
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/customers/:id/actions/close', tag: 'customers', access: staffOnly(...CLOSERS), params: IdParams, body: CloseBody,
    summary: 'At the end of the agreement, after a completed export (exportId, at most 7 days old): erase every contact of the customer '
      + '(each with its own erasure receipt) and answer with a signed closure receipt; billing records are kept for the VAT Code',
    response: { status: 200, description: 'the signed closure receipt (or the earlier one, if already closed)', schema: ClosureView },
    problems: ['UNPROCESSABLE', 'CONFLICT'],
    async handler({ services, params, body, staff, requestId }) {
      return { body: await closeCustomer(services, params.id, body.exportId, staff.id, requestId) };
    },
  }),
];
