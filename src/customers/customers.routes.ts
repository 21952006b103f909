import { defineRoute, staffOnly } from '../http/route';
import { IdParams, page } from '../http/common-schemas';
import { AppError, notFound } from '../http/problem';
import { CreateCustomerBody, CustomerListQuery, presentCustomer, UpdateCustomerBody } from './customers.schemas';

const READERS = ['support', 'admin', 'privacy_officer'] as const;
const WRITERS = ['support', 'admin'] as const;

export const customerRoutes = [
  defineRoute({
    method: 'post', path: '/v1/customers', tag: 'customers', access: staffOnly(...WRITERS), body: CreateCustomerBody,
    summary: 'Create a customer (the licensee organisation)', response: { status: 201, description: 'created' },
    async handler({ services, body, staff, requestId }) {
      const customer = await services.prisma.customer.create({
        data: { ...body, nameSearch: body.name.toLowerCase(), agreementEndsAt: body.agreementEndsAt ?? null },
      });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'customer.create', resource: { type: 'customer', id: customer.id }, requestId });
      return { status: 201, body: presentCustomer(customer) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/customers', tag: 'customers', access: staffOnly(...READERS), query: CustomerListQuery,
    summary: 'List customers; `name` filters by organisation name (contains, case-insensitive)',
    async handler({ services, query }) {
      const customers = await services.prisma.customer.findMany({
        where: { nameSearch: query.name ? { contains: query.name.toLowerCase() } : undefined, id: query.after ? { gt: query.after } : undefined },
        orderBy: { id: 'asc' },
        take: query.limit,
      });
      return { body: page(customers.map(presentCustomer), query.limit) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/customers/:id', tag: 'customers', access: staffOnly(...READERS), params: IdParams,
    summary: 'Get a customer',
    async handler({ services, params }) {
      const customer = await services.prisma.customer.findUnique({ where: { id: params.id } });
      if (!customer) throw notFound('customer');
      return { body: presentCustomer(customer) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/customers/:id', tag: 'customers', access: staffOnly(...WRITERS), params: IdParams, body: UpdateCustomerBody,
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
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'customer.update', resource: { type: 'customer', id: customer.id }, requestId, details: { fields: Object.keys(body) } });
      return { body: presentCustomer(customer) };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/customers/:id', tag: 'customers', access: staffOnly('admin'), params: IdParams,
    summary: 'Delete a customer that has no contacts and no licences (otherwise 409: erase its contacts first)',
    response: { status: 204, description: 'deleted' },
    async handler({ services, params, staff, requestId }) {
      const customer = await services.prisma.customer.findUnique({ where: { id: params.id }, include: { _count: { select: { contacts: true, licences: true, billingRecords: true } } } });
      if (!customer) throw notFound('customer');
      if (customer._count.contacts + customer._count.licences + customer._count.billingRecords > 0) {
        throw new AppError('CONFLICT', 'the customer still has contacts, licences or billing records');
      }
      await services.prisma.customer.delete({ where: { id: params.id } });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'customer.delete', resource: { type: 'customer', id: params.id }, requestId });
      return { status: 204 };
    },
  }),
];
