import type { Actor } from '../audit/audit-trail';
import { AppError } from '../http/problem';
import type { Services } from '../services';
import { generateApiKey } from './api-key-format';
import type { CreateApiKeyBody } from './api-keys.schemas';

/** Creates a key for one of the vendor's systems; the clear key is returned here and nowhere else. */
export async function createApiKey(services: Services, input: CreateApiKeyBody, createdById: string, actor: Actor, requestId: string) {
  const now = services.now();
  if (input.expiresAt && input.expiresAt <= now) {
    throw new AppError('VALIDATION_FAILED', 'expiresAt must be in the future', { errors: [{ pointer: '/expiresAt', detail: 'must be in the future' }] });
  }
  const issued = generateApiKey(services.config.secrets.keyPepper);
  return services.prisma.$transaction(async (tx) => {
    const apiKey = await tx.apiKey.create({
      data: {
        name: input.name, keyDigest: issued.digest, keyLast4: issued.last4, scopes: [...new Set(input.scopes)],
        rateLimitPerMinute: input.rateLimitPerMinute, expiresAt: input.expiresAt ?? null, createdById,
      },
    });
    await services.audit.record({ actor, action: 'api_key.create', resource: { type: 'api_key', id: apiKey.id }, requestId, details: { scopes: apiKey.scopes, expiresAt: apiKey.expiresAt?.toISOString() ?? null } }, tx);
    return { apiKey, key: issued.key };
  });
}
