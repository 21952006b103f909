import { z } from 'zod';
import { isoDate, text } from '../http/common-schemas';
import { API_SCOPES } from './api-key-scopes';

export const CreateApiKeyBody = z.strictObject({
  name: text(100),
  scopes: z.array(z.enum(API_SCOPES)).min(1).max(API_SCOPES.length),
  expiresAt: isoDate.optional(),
  /** requests per minute for this key; 429 with Retry-After beyond it */
  rateLimitPerMinute: z.number().int().min(1).max(100_000).default(600),
});
export type CreateApiKeyBody = z.infer<typeof CreateApiKeyBody>;

export const ApiKeyListQuery = z.strictObject({ includeRevoked: z.enum(['true', 'false']).default('false') });

export const ApiKeyView = z.object({
  id: z.uuid(), name: z.string(), key: z.string().describe('masked: nmk_…last4 (the full key only in the creation answer)'),
  scopes: z.array(z.enum(API_SCOPES)), rateLimitPerMinute: z.number().int(),
  expiresAt: z.string().nullable(), revokedAt: z.string().nullable(), lastUsedAt: z.string().nullable(), createdAt: z.string(),
});
