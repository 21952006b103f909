/**
 * The licence key format: the single definition shared by the SDK and the server
 * (the server imports this very file), so it has no dependencies and no I/O.
 *
 *   <PREFIX>-XXXXX-XXXXX-XXXXX-XXXXX-XXXXC
 *
 * PREFIX is the product code (2–8 of A–Z0–9). The 25-character tail is 24 random Crockford
 * base32 characters (120 bits) and one check character over a weighted sum mod 37. Because 37 is
 * prime and the weights 1..25 are distinct and non-zero mod 37, every single-character
 * substitution and every adjacent transposition in the tail changes the sum and is detected.
 */

export const KEY_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** Crockford's check symbols: the 32 above plus five more, for values 32..36. */
export const CHECK_ALPHABET = `${KEY_ALPHABET}*~$=U`;
export const KEY_BODY_LENGTH = 24;
export const KEY_TAIL_LENGTH = KEY_BODY_LENGTH + 1;
export const KEY_RANDOM_BYTES = 15; // 15 bytes = 120 bits = exactly 24 five-bit characters
const GROUP_LENGTH = 5;
const CHECK_MODULUS = 37;
const CHECK_WEIGHT = KEY_TAIL_LENGTH; // weight of the check character
const PREFIX_PATTERN = /^[A-Z0-9]{2,8}$/;
// Bounds the work done on hostile input (the server parses untrusted strings with this).
const MAX_INPUT_LENGTH = 128;

export type KeyFormatFailureReason = 'EMPTY' | 'BAD_LENGTH' | 'BAD_CHARACTER' | 'BAD_PREFIX' | 'BAD_CHECK';

export interface ParsedKey {
  ok: true;
  prefix: string;
  body: string;
  check: string;
  /** PREFIX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXC: the form to hash, store the last 4 of, and display. */
  canonical: string;
}

export interface KeyFormatFailure {
  ok: false;
  reason: KeyFormatFailureReason;
  message: string;
}

export type KeyParseResult = ParsedKey | KeyFormatFailure;

function modularInverse(value: number, modulus: number): number {
  for (let candidate = 1; candidate < modulus; candidate++) {
    if ((value * candidate) % modulus === 1) return candidate;
  }
  throw new Error(`${value} has no inverse mod ${modulus}`);
}
const INVERSE_OF_CHECK_WEIGHT = modularInverse(CHECK_WEIGHT, CHECK_MODULUS);

/** The check character for a 24-character body: the c with Σ i·v_i + 25·c ≡ 0 (mod 37). */
export function computeCheckCharacter(body: string): string {
  let weightedSum = 0;
  for (let i = 0; i < body.length; i++) {
    const value = KEY_ALPHABET.indexOf(body.charAt(i));
    if (value < 0) throw new RangeError(`not a key character: ${body.charAt(i)}`);
    weightedSum += (i + 1) * value;
  }
  const checkValue = ((CHECK_MODULUS - (weightedSum % CHECK_MODULUS)) * INVERSE_OF_CHECK_WEIGHT) % CHECK_MODULUS;
  return CHECK_ALPHABET.charAt(checkValue);
}

function formatCanonical(prefix: string, tail: string): string {
  const groups: string[] = [];
  for (let i = 0; i < tail.length; i += GROUP_LENGTH) groups.push(tail.slice(i, i + GROUP_LENGTH));
  return `${prefix}-${groups.join('-')}`;
}

// Crockford decoding: O reads as 0, I and L as 1. Only in the tail: a product code may contain them.
function mapLookalikes(tail: string): string {
  return tail.replace(/O/g, '0').replace(/[IL]/g, '1');
}

function fail(reason: KeyFormatFailureReason, message: string): KeyFormatFailure {
  return { ok: false, reason, message };
}

/**
 * Parses what a person typed or pasted. The prefix is whatever precedes the last 25 significant
 * characters, so a key typed without dashes, in lower case or with spaces still parses.
 */
export function normaliseKey(input: string): KeyParseResult {
  const compact = String(input ?? '').trim().toUpperCase().replace(/[\s_-]+/g, '');
  if (compact.length === 0) return fail('EMPTY', 'No licence key was given.');
  if (compact.length > MAX_INPUT_LENGTH || compact.length < KEY_TAIL_LENGTH) {
    return fail('BAD_LENGTH', `A licence key has a product code and 25 characters; this one has ${compact.length} characters in all.`);
  }
  const prefix = compact.slice(0, compact.length - KEY_TAIL_LENGTH);
  if (!PREFIX_PATTERN.test(prefix)) {
    return fail('BAD_PREFIX', 'A licence key starts with its product code (2 to 8 letters or digits), e.g. "ACME-…".');
  }
  const tail = mapLookalikes(compact.slice(prefix.length));
  const body = tail.slice(0, KEY_BODY_LENGTH);
  const check = tail.slice(KEY_BODY_LENGTH);
  for (const character of body) {
    if (!KEY_ALPHABET.includes(character)) {
      return fail('BAD_CHARACTER', `"${character}" cannot appear in a licence key; check for a typo.`);
    }
  }
  if (!CHECK_ALPHABET.includes(check)) {
    return fail('BAD_CHARACTER', `"${check}" cannot be the last character of a licence key; check for a typo.`);
  }
  if (computeCheckCharacter(body) !== check) {
    return fail('BAD_CHECK', 'This licence key contains a typo (its check character does not match); please re-type it.');
  }
  return { ok: true, prefix, body, check, canonical: formatCanonical(prefix, tail) };
}

/** Encodes 15 random bytes as 24 base32 characters, 5 bits at a time: no rejection, no bias. */
function encodeBase32(bytes: Uint8Array): string {
  let output = '';
  let buffer = 0;
  let bitsInBuffer = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff; // at most 12 live bits are ever needed
    bitsInBuffer += 8;
    while (bitsInBuffer >= 5) {
      bitsInBuffer -= 5;
      output += KEY_ALPHABET.charAt((buffer >> bitsInBuffer) & 0x1f);
    }
  }
  return output;
}

/**
 * A new canonical key. `randomBytes` must be a CSPRNG (node:crypto randomBytes on the server);
 * it is a parameter so this file stays dependency-free and tests can be deterministic.
 */
export function generateKey(prefix: string, randomBytes: (length: number) => Uint8Array): string {
  if (!PREFIX_PATTERN.test(prefix)) throw new RangeError('product prefix must be 2–8 of A–Z0–9');
  const bytes = randomBytes(KEY_RANDOM_BYTES);
  if (bytes.length !== KEY_RANDOM_BYTES) throw new RangeError(`expected ${KEY_RANDOM_BYTES} random bytes`);
  const body = encodeBase32(bytes);
  return formatCanonical(prefix, body + computeCheckCharacter(body));
}

export function isWellFormedKey(input: string): boolean {
  return normaliseKey(input).ok;
}

/** The last 4 characters of the canonical key, for display next to a masked key. */
export function keyLast4(key: string): string {
  const parsed = normaliseKey(key);
  if (!parsed.ok) throw new RangeError(`not a well-formed key: ${parsed.reason}`);
  return parsed.canonical.slice(-4);
}
