/**
 * A licence token says what the licence was when it was signed; it lives for the whole offline
 * grace (72 h by default). A licence suspended or revoked since must stop working at once on
 * every route that takes the token (release, telemetry), not when the token expires — so the
 * pipeline checks the licence's current state here, once, for every `licence` route.
 * One primary-key lookup; no personal data is read.
 */
import { AppError } from '../http/problem';
import type { Services } from '../services';

export async function checkLicenceUsable(services: Services, licenceId: string): Promise<void> {
  const licence = await services.prisma.licence.findUnique({ where: { id: licenceId }, select: { status: true } });
  if (!licence) throw new AppError('UNAUTHENTICATED', 'the licence of this token no longer exists');
  if (licence.status !== 'active') throw new AppError('LICENCE_NOT_USABLE', `the licence is ${licence.status}`);
}
