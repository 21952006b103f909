import type { ApiKey } from '../generated/prisma/client';
import { maskedApiKey } from './api-key-format';

/** What an admin sees of a key: never its digest, and the key itself only once, at creation. */
export function presentApiKey(k: ApiKey) {
  return {
    id: k.id, name: k.name, key: maskedApiKey(k.keyLast4), scopes: k.scopes, rateLimitPerMinute: k.rateLimitPerMinute,
    expiresAt: k.expiresAt?.toISOString() ?? null, revokedAt: k.revokedAt?.toISOString() ?? null,
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null, createdAt: k.createdAt.toISOString(),
  };
}
