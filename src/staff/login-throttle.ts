/**
 * Login throttling that an attacker cannot turn against the person. Counting failures per account
 * alone lets anyone who knows a staff e-mail keep that person locked out with five bad guesses. So:
 *
 * - per source address: many attempts on many accounts (credential stuffing);
 * - per account *and* source: guessing one password from one place — the owner, elsewhere, is unaffected;
 * - per account, generous: guessing one password from many places (a botnet). When that trips, the
 *   account is locked for everyone until the window passes or an admin unlocks it.
 *
 * An admin's unlock stamps `loginUnlockedAt`; it is part of every account key, so all counters from
 * before the unlock stop counting at once, on every instance (Redis or not).
 */
import { createHash } from 'node:crypto';
import type { Services } from '../services';

const PER_ADDRESS = { points: 20, durationSeconds: 60 };
const PER_ACCOUNT_AND_SOURCE = { points: 5, durationSeconds: 300 };
const PER_ACCOUNT = { points: 50, durationSeconds: 3600 };

export interface LoginAttempt { email: string; source: string; unlockedAt: Date | null }

function keys(attempt: LoginAttempt) {
  const epoch = attempt.unlockedAt?.getTime() ?? 0;
  const account = createHash('sha256').update(`${attempt.email}\0${epoch}`).digest('hex');
  const accountAndSource = createHash('sha256').update(`${account}\0${attempt.source}`).digest('hex');
  return { account, accountAndSource };
}

/** Counts one attempt; throws RATE_LIMITED (429 with Retry-After) when any limit is reached. */
export async function consumeLoginAttempt(services: Services, attempt: LoginAttempt): Promise<void> {
  const { account, accountAndSource } = keys(attempt);
  await services.rateLimits.consume('login-ip', PER_ADDRESS, attempt.source);
  await services.rateLimits.consume('login-account-source', PER_ACCOUNT_AND_SOURCE, accountAndSource);
  await services.rateLimits.consume('login-account', PER_ACCOUNT, account);
}

/** A successful sign-in forgets the failures of that account from that source. */
export async function forgetLoginFailures(services: Services, attempt: LoginAttempt): Promise<void> {
  const { accountAndSource } = keys(attempt);
  await services.rateLimits.reset('login-account-source', PER_ACCOUNT_AND_SOURCE, accountAndSource);
}
