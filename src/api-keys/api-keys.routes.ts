/** API keys for the vendor's systems, managed by admins. Keys never manage keys (no scope opens these routes). */
import { IdParams } from '../http/common-schemas';
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
    response: { status: 201, description: 'created; `key` is the full key', schema: ApiKeyView },
    async handler({ services, body, staff, requestId }) {
      const { apiKey, key } = await createApiKey(services, body, staff.id, staff.actor, requestId);
      return { status: 201, headers: NO_STORE, body: { ...presentApiKey(apiKey), key } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/api-keys', tag: 'integrations', access: staffOnly('admin'), query: ApiKeyListQuery,
    summary: 'List API keys (masked) with scopes, expiry and when each was last used',
    async handler({ services, query }) {
      const keys = await services.prisma.apiKey.findMany({ where: query.includeRevoked === 'true' ? {} : { revokedAt: null }, orderBy: { createdAt: 'desc' }, take: 500 });
      return { body: { items: keys.map(presentApiKey) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/api-keys/:id/actions/revoke', tag: 'integrations', access: staffOnly('admin'), params: IdParams,
    summary: 'Revoke an API key: its next request is refused',
    async handler({ services, params, staff, requestId }) {
      return { body: presentApiKey(await revokeApiKey(services, params.id, staff.actor, requestId)) };
    },
  }),
];
