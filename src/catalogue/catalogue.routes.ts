import { defineRoute, staffOnly } from '../http/route';
import { IdParams } from '../http/common-schemas';
import { notFound } from '../http/problem';
import { presentPolicy, presentProduct } from './catalogue.presenters';
import { CreatePolicyBody, CreateProductBody, PolicyListQuery, UpdatePolicyBody, UpdateProductBody } from './catalogue.schemas';

const READERS = ['support', 'admin', 'privacy_officer'] as const;

export const catalogueRoutes = [
  defineRoute({
    method: 'post', path: '/v1/products', tag: 'catalogue', access: staffOnly('admin'), body: CreateProductBody,
    summary: 'Create a product; its code prefixes licence keys', response: { status: 201, description: 'created' },
    async handler({ services, body, staff, requestId }) {
      const product = await services.prisma.product.create({ data: body });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'product.create', resource: { type: 'product', id: product.id }, requestId });
      return { status: 201, body: presentProduct(product) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/products', tag: 'catalogue', access: staffOnly(...READERS), summary: 'List products',
    async handler({ services }) {
      const products = await services.prisma.product.findMany({ orderBy: { code: 'asc' } });
      return { body: { items: products.map(presentProduct) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/products/:id', tag: 'catalogue', access: staffOnly(...READERS), params: IdParams, summary: 'Get a product',
    async handler({ services, params }) {
      const product = await services.prisma.product.findUnique({ where: { id: params.id } });
      if (!product) throw notFound('product');
      return { body: presentProduct(product) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/products/:id', tag: 'catalogue', access: staffOnly('admin'), params: IdParams, body: UpdateProductBody,
    summary: "Rename a product (its code is fixed: keys carry it)",
    async handler({ services, params, body, staff, requestId }) {
      const product = await services.prisma.product.update({ where: { id: params.id }, data: body });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'product.update', resource: { type: 'product', id: product.id }, requestId });
      return { body: presentProduct(product) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/policies', tag: 'catalogue', access: staffOnly('admin'), body: CreatePolicyBody,
    summary: 'Create a licence policy', response: { status: 201, description: 'created' },
    async handler({ services, body, staff, requestId }) {
      const product = await services.prisma.product.findUnique({ where: { id: body.productId }, select: { id: true } });
      if (!product) throw notFound('product');
      const policy = await services.prisma.policy.create({ data: body });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'policy.create', resource: { type: 'policy', id: policy.id }, requestId });
      return { status: 201, body: presentPolicy(policy) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies', tag: 'catalogue', access: staffOnly(...READERS), query: PolicyListQuery, summary: 'List policies',
    async handler({ services, query }) {
      const policies = await services.prisma.policy.findMany({ where: { productId: query.productId }, orderBy: { createdAt: 'asc' } });
      return { body: { items: policies.map(presentPolicy) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:id', tag: 'catalogue', access: staffOnly(...READERS), params: IdParams, summary: 'Get a policy',
    async handler({ services, params }) {
      const policy = await services.prisma.policy.findUnique({ where: { id: params.id } });
      if (!policy) throw notFound('policy');
      return { body: presentPolicy(policy) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/policies/:id', tag: 'catalogue', access: staffOnly('admin'), params: IdParams, body: UpdatePolicyBody,
    summary: 'Change a policy; applies to its licences from their next validation',
    async handler({ services, params, body, staff, requestId }) {
      const policy = await services.prisma.policy.update({ where: { id: params.id }, data: body });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'policy.update', resource: { type: 'policy', id: policy.id }, requestId, details: { fields: Object.keys(body) } });
      return { body: presentPolicy(policy) };
    },
  }),
];
