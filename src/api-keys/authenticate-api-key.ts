/**
 * Authenticates a request made with an API key: looked up by digest on every request (so a
 * revocation works on the very next one), then the route's scopes, then the key's own rate limit.
 * The route table decides what a key may reach (`orApiKey`); a route without scopes refuses keys.
 */
import type { Request } from 'express';
import type { Access, StaffPrincipal } from '../http/route';
import { AppError } from '../http/problem';
import type { Services } from '../services';
import { apiKeyLookup } from './api-key-format';
import type { ApiScope } from './api-key-scopes';

/** lastUsedAt is written at most once a minute per key: one write per request would be a hot row. */
const LAST_USED_GRANULARITY_MS = 60_000;

export async function authenticateApiKey(services: Services, req: Request, token: string, access: Extract<Access, { kind: 'staff' }>): Promise<StaffPrincipal> {
  const now = services.now();
  const key = await services.prisma.apiKey.findUnique({
    where: { keyDigest: apiKeyLookup(services.config.secrets.keyPepper, token) },
    select: { id: true, scopes: true, revokedAt: true, expiresAt: true, lastUsedAt: true, rateLimitPerMinute: true },
  });
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt <= now)) throw new AppError('UNAUTHENTICATED', 'the API key is unknown, revoked or expired');
  const scopes = key.scopes as ApiScope[];
  const wanted = access.scopes ?? [];
  if (!wanted.some((scope) => scopes.includes(scope))) {
    throw new AppError('FORBIDDEN', wanted.length ? `this action needs an API key with one of the scopes: ${wanted.join(', ')}` : 'this action is not open to API keys');
  }
  const headers = await services.rateLimits.take('api_key', { points: key.rateLimitPerMinute, durationSeconds: 60 }, key.id);
  for (const [name, value] of Object.entries(headers)) req.res?.setHeader(name, value);
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    await services.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now }, select: { id: true } });
  }
  return { kind: 'api_key', id: key.id, roles: [], scopes, actor: { type: 'api_key', id: key.id } };
}
