import { defineRoute, publicAccess, staffOnly } from '../http/route';
import { licenceSigner } from './licence-signer';
import { rotateSigningKey } from './rotate-signing-key';
import { z } from 'zod';

const PublicJwk = z.object({ kid: z.string(), kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string(), alg: z.literal('EdDSA'), use: z.literal('sig') });

// Public and cacheable: clients refetch after a rotation because they meet an unknown kid.
const KEY_SET_CACHE = { 'Cache-Control': 'public, max-age=300' };

export const signingRoutes = [
  defineRoute({
    method: 'get', path: '/.well-known/jwks.json', tag: 'signing', access: publicAccess,
    response: { status: 200, description: 'the key set (cacheable for 5 minutes)', schema: z.object({ keys: z.array(PublicJwk) }) },
    summary: 'Public keys (JWKS) that verify licence tokens, including retired keys whose tokens may still be valid',
    async handler({ services }) {
      return { body: await licenceSigner(services).jwks(), headers: KEY_SET_CACHE };
    },
  }),
  defineRoute({
    method: 'get', path: '/.well-known/jwks.signed', tag: 'signing', access: publicAccess,
    response: { status: 200, description: 'a General JWS (RFC 7515 §7.2.1)', schema: z.object({ payload: z.string(), signatures: z.array(z.object({ protected: z.string(), signature: z.string() }).loose()) }) },
    summary: 'The same key set as a General JWS (payload {iss, iat, keys}) signed by every published key (typ nomina-jwks+jwt)',
    async handler({ services }) {
      return { body: await licenceSigner(services).signedKeySet(), headers: KEY_SET_CACHE };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/signing-keys/actions/rotate', tag: 'signing', access: staffOnly('admin'),
    response: { status: 200, description: 'the new key id and the keys retired', schema: z.object({ kid: z.string(), retired: z.array(z.string()) }) },
    summary: 'Rotate the licence-token signing key: a new key signs; the previous ones verify until their tokens expire',
    async handler({ services, staff, requestId }) {
      return { body: await rotateSigningKey(services, staff.actor, requestId) };
    },
  }),
];
