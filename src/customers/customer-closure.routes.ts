import { z } from 'zod';
import { IdParams } from '../http/common-schemas';
import { defineRoute, staffOnly } from '../http/route';
import { closeCustomer } from './close-customer';
import { streamCustomerExport } from './export-customer';

const CloseBody = z.strictObject({ exportId: z.uuid() });
const CLOSERS = ['privacy_officer', 'admin'] as const;

export const customerClosureRoutes = [
  defineRoute({
    method: 'post', path: '/v1/customers/:id/exports', tag: 'customers', access: staffOnly(...CLOSERS), params: IdParams,
    summary: 'Export all of a customer’s data (format nomina.customer-export v1: organisation, billing records, and each contact’s full '
      + 'subject export with licences, devices, validation history and usage); the export id is in X-Export-Id and in the document',
    response: { status: 200, description: 'the export document (a download)' },
    async handler({ services, params, staff, requestId, res }) {
      await streamCustomerExport(services, params.id, staff.id, requestId, res);
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/customers/:id/actions/close', tag: 'customers', access: staffOnly(...CLOSERS), params: IdParams, body: CloseBody,
    summary: 'At the end of the agreement, after a completed export (exportId, at most 7 days old): erase every contact of the customer '
      + '(each with its own erasure receipt) and answer with a signed closure receipt; billing records are kept for the VAT Code',
    async handler({ services, params, body, staff, requestId }) {
      return { body: await closeCustomer(services, params.id, body.exportId, staff.id, requestId) };
    },
  }),
];
