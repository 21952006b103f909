import type { Actor } from '../audit/audit-trail';
import { notFound } from '../http/problem';
import type { Services } from '../services';

/**
 * Revokes at once: keys are looked up in the database on every request (no cache), so the next
 * request with it is refused. Revoking twice keeps the first time.
 */
export async function revokeApiKey(services: Services, id: string, actor: Actor, requestId: string) {
  const now = services.now();
  return services.prisma.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ revokedAt: Date | null }[]>`SELECT "revokedAt" FROM api_keys WHERE id = ${id}::uuid FOR UPDATE`;
    if (!row) throw notFound('API key');
    const apiKey = row.revokedAt ? await tx.apiKey.findUniqueOrThrow({ where: { id } }) : await tx.apiKey.update({ where: { id }, data: { revokedAt: now } });
    if (!row.revokedAt) await services.audit.record({ actor, action: 'api_key.revoke', resource: { type: 'api_key', id }, requestId }, tx);
    return apiKey;
  });
}
