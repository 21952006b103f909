import { defineRoute, publicAccess, staffOnly } from '../http/route';
import { licenceSigner } from './licence-signer';
import { rotateSigningKey } from './rotate-signing-key';

// Public and cacheable: clients refetch after a rotation because they meet an unknown kid.
const KEY_SET_CACHE = { 'Cache-Control': 'public, max-age=300' };

export const signingRoutes = [
  defineRoute({
    method: 'get', path: '/.well-known/jwks.json', tag: 'signing', access: publicAccess,
    summary: 'Public keys (JWKS) that verify licence tokens, including retired keys whose tokens may still be valid',
    async handler({ services }) {
      return { body: await licenceSigner(services).jwks(), headers: KEY_SET_CACHE };
    },
  }),
  defineRoute({
    method: 'get', path: '/.well-known/jwks.signed', tag: 'signing', access: publicAccess,
    summary: 'The same key set as a General JWS (payload {iss, iat, keys}) signed by every published key (typ nomina-jwks+jwt)',
    async handler({ services }) {
      return { body: await licenceSigner(services).signedKeySet(), headers: KEY_SET_CACHE };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/signing-keys/actions/rotate', tag: 'signing', access: staffOnly('admin'),
    summary: 'Rotate the licence-token signing key: a new key signs; the previous ones verify until their tokens expire',
    async handler({ services, staff, requestId }) {
      return { body: await rotateSigningKey(services, { type: 'staff', id: staff.id }, requestId) };
    },
  }),
];
