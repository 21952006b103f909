import { defineRoute, orApiKey, staffOnly } from '../http/route';
import { IdParams, listOf } from '../http/common-schemas';
import { notFound } from '../http/problem';
import { PolicyView, presentPolicy, presentProduct, ProductView } from './catalogue.presenters';
import { CreatePolicyBody, CreateProductBody, PolicyListQuery, UpdatePolicyBody, UpdateProductBody } from './catalogue.schemas';

const POLICY_EXAMPLE = {
  id: '5f3e2d1c-0b9a-4876-9543-210fedcba987', productId: '0b7c1c3e-5d2a-4f4e-9a51-2f0a3f6d9e10', name: 'Named user, two PCs', durationDays: 365,
  maxMachines: 2, maxUsers: 1, offlineGraceHours: 72, transfersPer30Days: 3, expiringSoonDays: 14, entitlements: ['export-pdf'], telemetry: 'on', offlineLicenceDays: 30,
  fraud: { windowHours: 24, deviceFanoutThreshold: null, accountFanoutThreshold: null, churnThreshold: 6, clockDriftToleranceMinutes: 60, overlapWindowMinutes: 10 },
  createdAt: '2026-12-01T09:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z',
};

const READERS = ['support', 'admin', 'privacy_officer'] as const;

export const catalogueRoutes = [
  defineRoute({
    method: 'post', path: '/v1/products', tag: 'catalogue', access: staffOnly('admin'), body: CreateProductBody,
    response: { status: 201, description: 'the product', schema: ProductView, example: { id: '0b7c1c3e-5d2a-4f4e-9a51-2f0a3f6d9e10', code: 'ACME', name: 'Acme Studio', createdAt: '2026-12-01T09:00:00.000Z', updatedAt: '2026-12-01T09:00:00.000Z' } },
    example: { code: 'ACME', name: 'Acme Studio' },
    summary: 'Create a product; its code prefixes licence keys',
    async handler({ services, body, staff, requestId }) {
      const product = await services.prisma.product.create({ data: body });
      await services.audit.record({ actor: staff.actor, action: 'product.create', resource: { type: 'product', id: product.id }, requestId });
      return { status: 201, body: presentProduct(product) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/products', tag: 'catalogue', access: orApiKey(staffOnly(...READERS), 'catalogue:read'), summary: 'List products',
    response: { status: 200, description: 'every product', schema: listOf(ProductView) },
    async handler({ services }) {
      const products = await services.prisma.product.findMany({ orderBy: { code: 'asc' } });
      return { body: { items: products.map(presentProduct) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/products/:id', tag: 'catalogue', access: orApiKey(staffOnly(...READERS), 'catalogue:read'), params: IdParams, summary: 'Get a product',
    response: { status: 200, description: 'the product', schema: ProductView },
    async handler({ services, params }) {
      const product = await services.prisma.product.findUnique({ where: { id: params.id } });
      if (!product) throw notFound('product');
      return { body: presentProduct(product) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/products/:id', tag: 'catalogue', access: staffOnly('admin'), params: IdParams, body: UpdateProductBody,
    response: { status: 200, description: 'the renamed product', schema: ProductView },
    summary: "Rename a product (its code is fixed: keys carry it)",
    async handler({ services, params, body, staff, requestId }) {
      const product = await services.prisma.product.update({ where: { id: params.id }, data: body });
      await services.audit.record({ actor: staff.actor, action: 'product.update', resource: { type: 'product', id: product.id }, requestId });
      return { body: presentProduct(product) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/policies', tag: 'catalogue', access: staffOnly('admin'), body: CreatePolicyBody,
    response: { status: 201, description: 'the policy, defaults filled in', schema: PolicyView, example: POLICY_EXAMPLE },
    example: { productId: '0b7c1c3e-5d2a-4f4e-9a51-2f0a3f6d9e10', name: 'Named user, two PCs', maxMachines: 2, maxUsers: 1, durationDays: 365, entitlements: ['export-pdf'] },
    summary: 'Create a licence policy',
    async handler({ services, body, staff, requestId }) {
      const product = await services.prisma.product.findUnique({ where: { id: body.productId }, select: { id: true } });
      if (!product) throw notFound('product');
      const policy = await services.prisma.policy.create({ data: body });
      await services.audit.record({ actor: staff.actor, action: 'policy.create', resource: { type: 'policy', id: policy.id }, requestId });
      return { status: 201, body: presentPolicy(policy) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies', tag: 'catalogue', access: orApiKey(staffOnly(...READERS), 'catalogue:read'), query: PolicyListQuery, summary: 'List policies',
    response: { status: 200, description: 'the policies (of one product with productId)', schema: listOf(PolicyView) },
    async handler({ services, query }) {
      const policies = await services.prisma.policy.findMany({ where: { productId: query.productId }, orderBy: { createdAt: 'asc' } });
      return { body: { items: policies.map(presentPolicy) } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/policies/:id', tag: 'catalogue', access: orApiKey(staffOnly(...READERS), 'catalogue:read'), params: IdParams, summary: 'Get a policy',
    response: { status: 200, description: 'the policy', schema: PolicyView },
    async handler({ services, params }) {
      const policy = await services.prisma.policy.findUnique({ where: { id: params.id } });
      if (!policy) throw notFound('policy');
      return { body: presentPolicy(policy) };
    },
  }),
  defineRoute({
    method: 'patch', path: '/v1/policies/:id', tag: 'catalogue', access: staffOnly('admin'), params: IdParams, body: UpdatePolicyBody,
    response: { status: 200, description: 'the changed policy', schema: PolicyView },
    summary: 'Change a policy; applies to its licences from their next validation',
    async handler({ services, params, body, staff, requestId }) {
      const policy = await services.prisma.policy.update({ where: { id: params.id }, data: body });
      await services.audit.record({ actor: staff.actor, action: 'policy.update', resource: { type: 'policy', id: policy.id }, requestId, details: { fields: Object.keys(body) } });
      return { body: presentPolicy(policy) };
    },
  }),
];
