import type { Actor } from '../audit/audit-trail';
import { AppError, notFound } from '../http/problem';
import type { Services } from '../services';
import { issueKey } from './licence-keys';
import { LICENCE_INCLUDE } from './present-licence';

/** Replaces the key (e.g. it leaked): the old one answers NOT_FOUND at once; devices stay bound. */
export async function rotateLicenceKey(services: Services, licenceId: string, reason: string | null, actor: Actor, requestId?: string, purpose?: string | null) {
  return services.prisma.$transaction(async (tx) => {
    const licence = await tx.licence.findUnique({ where: { id: licenceId }, select: { id: true, status: true, holderId: true, product: { select: { code: true } } } });
    if (!licence) throw notFound('licence');
    if (licence.status === 'revoked') throw new AppError('CONFLICT', 'a revoked licence keeps its key');
    const issued = issueKey(services.config.secrets.keyPepper, licence.product.code);
    const updated = await tx.licence.update({ where: { id: licenceId }, data: { keyDigest: issued.digest, keyLast4: issued.last4 }, include: LICENCE_INCLUDE });
    await services.audit.record({ actor, action: 'licence.rotate_key', subjectId: licence.holderId, resource: { type: 'licence', id: licenceId }, purpose, requestId, details: { reason } }, tx);
    return { licence: updated, key: issued.key };
  });
}
