/** API keys for the vendor's systems, managed by admins. Keys never manage keys (no scope opens these routes). */
import { IdParams, listOf } from '../http/common-schemas';
import { defineRoute, staffOnly } from '../http/route';
import { ApiKeyListQuery, ApiKeyView, CreateApiKeyBody } from './api-keys.schemas';
import { createApiKey } from './create-api-key';
import { presentApiKey } from './present-api-key';
import { revokeApiKey } from './revoke-api-key';

// A key is shown once: never let a cache keep it.
const NO_STORE = { 'Cache-Control': 'no-store' };

export const apiKeyRoutes = [
  defineRoute({
    method: 'post', path: '/v1/api-keys', tag: 'integrations', access: staffOnly('admin'), body: CreateApiKeyBody,
    summary: 'Create an API key with scopes and an optional expiry; the answer carries the key (nmk_…), shown this once',
    response: {
      status: 201, description: 'created; `key` is the full key', schema: ApiKeyView,
      example: { id: '6a1f0c2e-4b3d-4e5f-8a9b-0c1d2e3f4a5b', name: 'web shop', key: 'nmk_Zq3…(43 characters)', scopes: ['customers:write', 'catalogue:read', 'licences:write'], rateLimitPerMinute: 600, expiresAt: null, revokedAt: null, lastUsedAt: null, createdAt: '2026-12-01T09:00:00.000Z' },
    },
    example: { name: 'web shop', scopes: ['customers:write', 'catalogue:read', 'licences:write'], expiresAt: '2027-12-31T00:00:00Z' },
    async handler({ services, body, staff, requestId }) {
      const { apiKey, key } = await createApiKey(services, body, staff.id, staff.actor, requestId);
      return { status: 201, headers: NO_STORE, body: { ...presentApiKey(apiKey), key } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/api-keys', tag: 'integrations', access: staffOnly('admin'), query: ApiKeyListQuery,
    summary: 'List API keys (masked) with scopes, expiry and when each was last used',
    response: { status: 200, description: 'the keys', schema: listOf(ApiKeyView) },
    async handler({ services, query }) {
      const keys = await services.prisma.apiKey.findMany({ where: query.includeRevoked === 'true' ? {} : { revokedAt: null }, orderBy: { createdAt: 'desc' }, take: 500 });
      return { body: { items: keys.map(presentApiKey) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/api-keys/:id/actions/revoke', tag: 'integrations', access: staffOnly('admin'), params: IdParams,
    summary: 'Revoke an API key: its next request is refused',
    response: { status: 200, description: 'the revoked key', schema: ApiKeyView },
    async handler({ services, params, staff, requestId }) {
      return { body: presentApiKey(await revokeApiKey(services, params.id, staff.actor, requestId)) };
    },
  }),
];
