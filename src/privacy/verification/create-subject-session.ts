/**
 * Step 2: the code is exchanged for subject sessions. Only the newest code of the address
 * counts; each try uses up one of the 5 attempts of this source address (and one of the code's
 * 25 in all) before the (constant-time, argon2id) check, so a stranger guessing from elsewhere
 * cannot use up the holder's code;
 * a used code is marked in the same statement that checks it was unused, so it works once even
 * under concurrent tries. Every failure — no code, wrong, expired, used, out of attempts —
 * gives the same answer after the same work (a hash verification).
 *
 * One address may belong to several contacts (one per customer organisation). Proving control
 * of the address proves it for each of them, so one session is issued per contact, each
 * limited to its own contact: `token` is the first, `sessions` lists them all with the
 * organisation's name so the privacy page can let the person choose.
 */
import type { Services } from '../../services';
import { dummyPasswordHash, verifyPassword } from '../../staff/passwords';
import { CODE_TTL_MS, MAX_ATTEMPTS, MAX_TOTAL_ATTEMPTS, normaliseCode } from './request-verification';

export const SUBJECT_SESSION_SECONDS = 15 * 60;
/** per (address, source) pair, not per address alone: a stranger's wrong guesses must not lock the holder out */
export const SESSION_PER_ADDRESS_AND_CLIENT = { points: 10, durationSeconds: 900 };
export const SESSION_PER_CLIENT = { points: 30, durationSeconds: 900 };
/** each source gets MAX_ATTEMPTS tries of one code (the code lives CODE_TTL_MS) */
const CODE_TRIES_PER_SOURCE = { points: MAX_ATTEMPTS, durationSeconds: CODE_TTL_MS / 1000 };

export interface SubjectSession { contactId: string; organisation: string; token: string; expiresAt: string }

export async function createSubjectSession(services: Services, email: string, codeInput: string, client: string): Promise<SubjectSession[] | null> {
  const emailIndex = services.blindIndex.of('email', email);
  await services.rateLimits.consume('privacy-session-client', SESSION_PER_CLIENT, client);
  await services.rateLimits.consume('privacy-session-pair', SESSION_PER_ADDRESS_AND_CLIENT, `${emailIndex}:${client}`);
  const now = services.now();
  const code = await services.prisma.verificationCode.findFirst({ where: { emailIndex }, orderBy: { createdAt: 'desc' } });
  const usable = code && !code.usedAt && code.expiresAt > now && code.attempts < MAX_TOTAL_ATTEMPTS
    && await services.rateLimits.tryConsume('privacy-code-source', CODE_TRIES_PER_SOURCE, `${code.id}:${client}`);
  const claimed = usable
    ? (await services.prisma.verificationCode.updateMany({ where: { id: code.id, usedAt: null, attempts: { lt: MAX_TOTAL_ATTEMPTS } }, data: { attempts: { increment: 1 } } })).count === 1
    : false;
  const matches = await verifyPassword(claimed ? code!.codeHash : await dummyPasswordHash(), normaliseCode(codeInput));
  if (!claimed || !matches) return fail(services);
  const used = await services.prisma.verificationCode.updateMany({ where: { id: code!.id, usedAt: null }, data: { usedAt: now } });
  if (used.count !== 1) return fail(services);
  const contacts = await services.prisma.contact.findMany({ where: { emailIndex }, select: { id: true, customer: { select: { name: true } } }, orderBy: { createdAt: 'asc' } });
  if (contacts.length === 0) return fail(services);
  const sessions: SubjectSession[] = [];
  for (const contact of contacts) {
    const { token, expiresAt } = await services.sessions.issueSubject(contact.id, SUBJECT_SESSION_SECONDS, now);
    await services.audit.record({ actor: { type: 'subject', id: contact.id }, action: 'subject.session', subjectId: contact.id, resource: { type: 'contact', id: contact.id } });
    sessions.push({ contactId: contact.id, organisation: contact.customer.name, token, expiresAt: expiresAt.toISOString() });
  }
  services.metrics.counter('nomina_privacy_sessions_total', 'Subject sessions by outcome', ['outcome']).inc({ outcome: 'issued' });
  return sessions;
}

function fail(services: Services): null {
  services.metrics.counter('nomina_privacy_sessions_total', 'Subject sessions by outcome', ['outcome']).inc({ outcome: 'refused' });
  return null;
}
