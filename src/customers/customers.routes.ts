import { defineRoute, orApiKey, staffOnly } from '../http/route';
import { IdParams, page, pageOf } from '../http/common-schemas';
import { AppError, notFound } from '../http/problem';
import { CreateCustomerBody, CustomerListQuery, CustomerView, presentCustomer, UpdateCustomerBody } from './customers.schemas';
import { likeLiteral } from '../db/like-literal';

const READERS = ['support', 'admin', 'privacy_officer'] as const;
const WRITERS = ['support', 'admin'] as const;

export const customerRoutes = [
  defineRoute({
    method: 'post', path: '/v1/customers', tag: 'customers', access: orApiKey(staffOnly(...WRITERS), 'customers:write'), body: CreateCustomerBody,
    response: { status: 201, description: 'the customer', schema: CustomerView, example: { id: '8d6f7a52-3c1b-4e9d-a0f2-7b5c4d3e2f10', name: 'Contoso NV', country: 'BE', vatNumber: 'BE0123456789', agreementStartsAt: '2026-01-01T00:00:00.000Z', agreementEndsAt: null, createdAt: '2026-12-01T09:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z' } },
    example: { name: 'Contoso NV', country: 'BE', vatNumber: 'BE0123456789', agreementStartsAt: '2026-01-01T00:00:00Z' },
    summary: 'Create a customer (the licensee organisation)',
    async handler({ services, body, staff, requestId }) {
      const customer = await services.prisma.customer.create({
        data: { ...body, nameSearch: body.name.toLowerCase(), agreementEndsAt: body.agreementEndsAt ?? null },
      });
      await services.audit.record({ actor: staff.actor, action: 'customer.create', resource: { type: 'customer', id: customer.id }, requestId });
      return { status: 201, body: presentCustomer(customer) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/customers', tag: 'customers', access: orApiKey(staffOnly(...READERS), 'customers:read'), query: CustomerListQuery,
    response: { status: 200, description: 'a page of customers; pass nextAfter as `after` for the next', schema: pageOf(CustomerView) },
    summary: 'List customers; `name` filters by organisation name (contains, case-insensitive)',
    async handler({ services, query }) {
      const customers = await services.prisma.customer.findMany({
        where: { nameSearch: query.name ? { contains: likeLiteral(query.name.toLowerCase()) } : undefined, id: query.after ? { gt: query.after } : undefined },
        orderBy: { id: 'asc' },
        take: query.limit,
      });
      return { body: page(customers.map(presentCustomer), query.limit) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/customers/:id', tag: 'customers', access: orApiKey(staffOnly(...READERS), 'customers:read'), params: IdParams,
    response: { status: 200, description: 'the customer', schema: CustomerView },
    summary: 'Get a customer',
    async handler({ services, params }) {
      const customer = await services.prisma.customer.findUnique({ where: { id: params.id } });
      if (!customer) throw notFound('customer');
      return { body: presentCustomer(customer) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/customers/:id', tag: 'customers', access: orApiKey(staffOnly(...WRITERS), 'customers:write'), params: IdParams, body: UpdateCustomerBody,
    response: { status: 200, description: 'the updated customer', schema: CustomerView },
    summary: 'Update a customer, e.g. set agreementEndsAt when the agreement ends (starts the retention clock)',
    async handler({ services, params, body, staff, requestId }) {
      const existing = await services.prisma.customer.findUnique({ where: { id: params.id } });
      if (!existing) throw notFound('customer');
      const startsAt = body.agreementStartsAt ?? existing.agreementStartsAt;
      const endsAt = body.agreementEndsAt === undefined ? existing.agreementEndsAt : body.agreementEndsAt;
      if (endsAt && endsAt < startsAt) {
        throw new AppError('VALIDATION_FAILED', 'agreementEndsAt is before agreementStartsAt', { errors: [{ pointer: '/agreementEndsAt', detail: 'must not be before agreementStartsAt' }] });
      }
      const customer = await services.prisma.customer.update({
        where: { id: params.id },
        data: { ...body, ...(body.name ? { nameSearch: body.name.toLowerCase() } : {}) },
      });
      await services.audit.record({ actor: staff.actor, action: 'customer.update', resource: { type: 'customer', id: customer.id }, requestId, details: { fields: Object.keys(body) } });
      return { body: presentCustomer(customer) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/customers/:id', tag: 'customers', access: staffOnly('admin'), params: IdParams,
    response: { status: 204, description: 'deleted' }, problems: ['CONFLICT'],
    summary: 'Delete a customer that has no contacts and no licences (otherwise 409: erase its contacts first)',
    async handler({ services, params, staff, requestId }) {
      const customer = await services.prisma.customer.findUnique({ where: { id: params.id }, include: { _count: { select: { contacts: true, licences: true, billingRecords: true } } } });
      if (!customer) throw notFound('customer');
      if (customer._count.contacts + customer._count.licences + customer._count.billingRecords > 0) {
        throw new AppError('CONFLICT', 'the customer still has contacts, licences or billing records');
      }
      await services.prisma.customer.delete({ where: { id: params.id } });
      await services.audit.record({ actor: staff.actor, action: 'customer.delete', resource: { type: 'customer', id: params.id }, requestId });
      return { status: 204 };
    },
  }),
];
