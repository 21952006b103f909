/**
 * First-run setup, for a service that has no staff user yet (Jenkins' and Grafana's way): at start
 * the service prints a one-time setup code, and whoever can read the service's own output exchanges
 * it once for the first admin (POST /v1/setup). No restart, no stopped service, no password in an
 * environment variable.
 *
 * Only the code's argon2id hash is stored, it expires, and every code is deleted once an admin
 * exists. Both issuing and using a code run under one advisory lock with a fresh "no staff user
 * yet" check, so two instances starting together, or two setup calls racing, still make one admin.
 */
import { randomBytes } from 'node:crypto';
import { hash, verify, Algorithm } from '@node-rs/argon2';
import type { Tx } from '../audit/audit-trail';
import { AppError } from '../http/problem';
import type { Services } from '../services';
import { createStaffUser } from './create-staff-user';

export const SETUP_LOCK = 4_242_016;
export const SETUP_CODE_TTL_MINUTES = 60;
const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U to misread

/** 20 characters of base32 (100 bits) in groups of five: `7KQ2M-…`. */
export function newSetupCode(): string {
  const bytes = randomBytes(20);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]).join('');
  return chars.match(/.{5}/g)!.join('-');
}

/** How a typed code compares: case, dashes, spaces and the usual look-alikes do not matter. */
export function normaliseSetupCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

async function lockSetup(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', SETUP_LOCK);
}

/** A new setup code while no staff user exists; null once one does. */
export async function issueSetupCode(services: Services): Promise<{ code: string; expiresAt: Date } | null> {
  const code = newSetupCode();
  const codeHash = await hash(normaliseSetupCode(code), OPTIONS);
  const now = services.now();
  const expiresAt = new Date(now.getTime() + SETUP_CODE_TTL_MINUTES * 60_000);
  const issued = await services.prisma.$transaction(async (tx) => {
    await lockSetup(tx);
    if ((await tx.staffUser.count()) > 0) return false;
    await tx.setupCode.deleteMany({ where: { expiresAt: { lte: now } } });
    await tx.setupCode.create({ data: { codeHash, expiresAt } });
    return true;
  });
  return issued ? { code, expiresAt } : null;
}

export interface SetupInput { code: string; email: string; password: string }

/** Creates the first admin from a valid setup code; every code is dead afterwards. */
export async function completeSetup(services: Services, input: SetupInput, requestId: string) {
  const alreadyDone = () => new AppError('CONFLICT', 'setup is already done: sign in with POST /v1/staff/sessions');
  if ((await services.prisma.staffUser.count()) > 0) throw alreadyDone();
  const now = services.now();
  const candidates = await services.prisma.setupCode.findMany({ where: { expiresAt: { gt: now } }, select: { id: true, codeHash: true } });
  const typed = normaliseSetupCode(input.code);
  let matched: string | undefined;
  // argon2 verification before the transaction: the lock is held for the writes only.
  for (const candidate of candidates) {
    if (await verify(candidate.codeHash, typed).catch(() => false)) matched = candidate.id;
  }
  if (!matched) throw new AppError('INVALID_CODE', 'the setup code is wrong or has expired; restart the service to get a new one');
  return services.prisma.$transaction(async (tx) => {
    await lockSetup(tx);
    if ((await tx.staffUser.count()) > 0) throw alreadyDone();
    const { count } = await tx.setupCode.deleteMany({ where: { id: matched, expiresAt: { gt: now } } });
    if (count === 0) throw new AppError('INVALID_CODE', 'the setup code is wrong or has expired; restart the service to get a new one');
    await tx.setupCode.deleteMany({});
    const user = await createStaffUser(tx, { email: input.email, password: input.password, roles: ['admin'] });
    await services.audit.record({ actor: { type: 'system', id: 'setup' }, action: 'staff.create', resource: { type: 'staff', id: user.id }, requestId, details: { roles: ['admin'], via: 'first-run setup' } }, tx);
    return user;
  });
}
