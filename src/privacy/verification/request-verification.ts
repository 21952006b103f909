/**
 * Step 1 of identity verification (docs/architecture.md §7): a one-time code sent to the e-mail address on
 * record. Whether or not the address belongs to anyone, the caller sees the same answer after
 * the same work — a lookup, an argon2id hash, an insert — and the mail leaves in the background,
 * so neither the answer nor its timing tells whether the address exists. Codes are also stored
 * for unknown addresses (nobody receives them, so nobody can use them).
 */
import { randomInt } from 'node:crypto';
import { mailerFor, sendInBackground } from '../../mail/mailer';
import { DEFAULT_RETENTION } from '../../retention/retention-policy';
import type { Services } from '../../services';
import { hashPassword } from '../../staff/passwords';

export const CODE_TTL_MS = 10 * 60_000;
/** tries of one code from one source address */
export const MAX_ATTEMPTS = 5;
/**
 * tries of one code from all sources together: the brute-force bound (25 in 10^8). Higher than
 * MAX_ATTEMPTS so that a stranger's wrong guesses from one address do not use up the code the
 * holder is about to type.
 */
export const MAX_TOTAL_ATTEMPTS = 25;
export const CODE_DIGITS = 8;
/** codes are deleted this long after creation (retention of the identity_verification category; the retention run uses the same period) */
export const CODE_RETENTION_MS = DEFAULT_RETENTION.verificationCodeHours * 3_600_000;

/**
 * Limits are per source (a client spraying addresses) and per (address, source) pair with a short
 * window. There is deliberately no limit on the address alone: anyone who knows an address could
 * spend it and lock the real holder out (it used to be 5 an hour). The pair limit bounds what one
 * source can send to one inbox; the source limit bounds the rest.
 */
export const VERIFICATION_PER_CLIENT = { points: 20, durationSeconds: 3600 };
export const VERIFICATION_PER_ADDRESS_AND_CLIENT = { points: 3, durationSeconds: 600 };

export function newCode(): string {
  return String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
}

/** What people type: "1234 5678", "1234-5678". */
export function normaliseCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export async function requestVerification(services: Services, email: string, client: string): Promise<void> {
  const emailIndex = services.blindIndex.of('email', email);
  await services.rateLimits.consume('privacy-verification-client', VERIFICATION_PER_CLIENT, client);
  await services.rateLimits.consume('privacy-verification-pair', VERIFICATION_PER_ADDRESS_AND_CLIENT, `${emailIndex}:${client}`);
  const now = services.now();
  const known = await services.prisma.contact.count({ where: { emailIndex } });
  const code = newCode();
  const codeHash = await hashPassword(code);
  await services.prisma.$transaction([
    services.prisma.verificationCode.deleteMany({ where: { emailIndex, createdAt: { lt: new Date(now.getTime() - CODE_RETENTION_MS) } } }),
    services.prisma.verificationCode.create({ data: { emailIndex, codeHash, expiresAt: new Date(now.getTime() + CODE_TTL_MS), createdAt: now } }),
  ]);
  services.metrics.counter('nomina_privacy_verification_requests_total', 'Verification codes requested (known and unknown addresses alike)').inc();
  if (known > 0) {
    mailerFor(services); // built now, not on the background path
    sendInBackground(services, {
      kind: 'verification_code',
      to: email,
      subject: 'Your Nomina verification code / Uw verificatiecode',
      text: verificationMailText(code, privacyPageLink(services.config.publicBaseUrl, email, code)),
    });
  }
}

/**
 * The link that opens the privacy page with the code filled in. The code and address ride in the
 * URL fragment (after #), which browsers never send to a server: they cannot end up in access
 * logs or proxies, as a query string would.
 */
export function privacyPageLink(publicBaseUrl: string, email: string, code: string): string {
  return `${publicBaseUrl}/privacy#${new URLSearchParams({ code, email }).toString()}`;
}

function verificationMailText(code: string, link: string): string {
  const grouped = `${code.slice(0, 4)} ${code.slice(4)}`;
  const minutes = CODE_TTL_MS / 60_000;
  return [
    `Your verification code is: ${grouped}`,
    '',
    'Open your privacy page with this link (the code is filled in for you):',
    link,
    '',
    `It is valid for ${minutes} minutes and can be tried ${MAX_ATTEMPTS} times.`,
    'If you did not ask for it, ignore this message: nothing is shown or changed without the code.',
    '',
    '---',
    '',
    `Uw verificatiecode is: ${grouped}`,
    '',
    'Open uw privacypagina met deze link (de code is al ingevuld):',
    link,
    '',
    `De code is ${minutes} minuten geldig en u kunt hem ${MAX_ATTEMPTS} keer proberen.`,
    'Hebt u hier niet om gevraagd? Negeer dan dit bericht: zonder de code wordt niets getoond of gewijzigd.',
  ].join('\n');
}
