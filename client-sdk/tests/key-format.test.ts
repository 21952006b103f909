import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  CHECK_ALPHABET,
  KEY_ALPHABET,
  computeCheckCharacter,
  generateKey,
  isWellFormedKey,
  keyLast4,
  normaliseKey,
} from '../src/key-format';

const KEY_SHAPE = /^[A-Z0-9]{2,8}(-[0-9A-HJKMNP-TV-Z]{5}){4}-[0-9A-HJKMNP-TV-Z]{4}[0-9A-HJKMNP-TV-Z*~$=U]$/;

function splitKey(canonical: string): { prefix: string; tail: string } {
  const [prefix, ...groups] = canonical.split('-');
  return { prefix: prefix!, tail: groups.join('') };
}

describe('generateKey', () => {
  it('produces canonical keys with the product prefix, 24 random characters and a check character', () => {
    const key = generateKey('ACME', randomBytes);
    expect(key).toMatch(KEY_SHAPE);
    expect(normaliseKey(key)).toMatchObject({ ok: true, prefix: 'ACME', canonical: key });
  });

  it('uses all 120 random bits: all-zero bytes give all zeros and all-one bytes give all Zs', () => {
    expect(generateKey('AB', (n) => new Uint8Array(n))).toMatch(/^AB-00000-00000-00000-00000-0000/);
    expect(generateKey('AB', (n) => new Uint8Array(n).fill(0xff))).toMatch(/^AB-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ-ZZZZ/);
  });

  it('refuses a malformed product prefix or a short random source', () => {
    expect(() => generateKey('a', randomBytes)).toThrow(RangeError);
    expect(() => generateKey('TOOLONGPR', randomBytes)).toThrow(RangeError);
    expect(() => generateKey('ACME', () => new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('check character', () => {
  const keys = Array.from({ length: 6 }, (_, i) => generateKey(['ACME', 'PX', 'NOMINA42'][i % 3]!, randomBytes));

  it('detects every single-character substitution at every position of the tail', () => {
    for (const key of keys) {
      const { prefix, tail } = splitKey(key);
      for (let position = 0; position < tail.length; position++) {
        const alphabet = position < 24 ? KEY_ALPHABET : CHECK_ALPHABET;
        for (const replacement of alphabet) {
          if (replacement === tail[position]) continue;
          const typo = prefix + tail.slice(0, position) + replacement + tail.slice(position + 1);
          const parsed = normaliseKey(typo);
          expect(parsed).toMatchObject({ ok: false, reason: 'BAD_CHECK' });
        }
      }
    }
  });

  it('detects every adjacent transposition of differing characters, including with the check character', () => {
    for (const key of keys) {
      const { prefix, tail } = splitKey(key);
      for (let position = 0; position < tail.length - 1; position++) {
        if (tail[position] === tail[position + 1]) continue;
        const swapped = tail.slice(0, position) + tail[position + 1] + tail[position] + tail.slice(position + 2);
        expect(normaliseKey(prefix + swapped).ok).toBe(false);
      }
    }
  });

  it('uses the 37-symbol check alphabet, including the five extra symbols', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 3000 && seen.size < 37; i++) seen.add(computeCheckCharacter(generateKey('AB', randomBytes).replace(/-/g, '').slice(2, 26)));
    expect([...seen].sort()).toEqual([...CHECK_ALPHABET].sort());
  });
});

describe('normaliseKey', () => {
  const key = 'ACME-0123A-BCDEF-GHJKM-NPQRS-TVWX' + computeCheckCharacter('0123ABCDEFGHJKMNPQRSTVWX');

  it.each([
    ['lower case', key.toLowerCase()],
    ['no dashes', key.replace(/-/g, '')],
    ['spaces and underscores', ` ${key.replace(/-/g, ' ').replace('ACME ', 'ACME_')}  `],
    ['O typed for 0', key.replace('-0123A', '-O123A')],
    ['I typed for 1', key.replace('-0123A', '-0I23A')],
    ['l typed for 1', key.replace('-0123A', '-0l23A')],
  ])('accepts %s and gives the canonical form', (_label, typed) => {
    expect(normaliseKey(typed)).toEqual({ ok: true, prefix: 'ACME', body: '0123ABCDEFGHJKMNPQRSTVWX', check: key.slice(-1), canonical: key });
  });

  it('keeps O, I and L as they are in the product prefix', () => {
    const body = '0123ABCDEFGHJKMNPQRSTVWX';
    const oil = `OIL-${body}${computeCheckCharacter(body)}`;
    expect(normaliseKey(oil)).toMatchObject({ ok: true, prefix: 'OIL' });
  });

  it.each([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['ACME-1234', 'BAD_LENGTH'],
    ['x'.repeat(200), 'BAD_LENGTH'],
    [key.replace('ACME-', ''), 'BAD_PREFIX'],
    [key.replace('ACME', 'A'), 'BAD_PREFIX'],
    [key.replace('ACME', 'AC#E'), 'BAD_PREFIX'],
    [key.replace('-0123A', '-U123A'), 'BAD_CHARACTER'],
    [key.replace('-0123A', '-0!23A'), 'BAD_CHARACTER'],
    [key.replace('-0123A', '-1023A'), 'BAD_CHECK'],
  ])('rejects %j as %s with a helpful message', (typed, reason) => {
    const parsed = normaliseKey(typed);
    expect(parsed).toMatchObject({ ok: false, reason });
    if (!parsed.ok) expect(parsed.message.length).toBeGreaterThan(10);
  });

  it('isWellFormedKey and keyLast4 agree with normaliseKey', () => {
    expect(isWellFormedKey(key.toLowerCase())).toBe(true);
    expect(isWellFormedKey('ACME-nope')).toBe(false);
    expect(keyLast4(key.replace(/-/g, ''))).toBe(key.slice(-4));
    expect(() => keyLast4('nope')).toThrow(RangeError);
  });
});

describe('properties', () => {
  const prefixArbitrary = fc.stringMatching(/^[A-Z0-9]{2,8}$/);
  const bytesArbitrary = fc.uint8Array({ minLength: 15, maxLength: 15 });

  it('every generated key validates and round-trips through normaliseKey, whatever the typing style', () => {
    fc.assert(
      fc.property(prefixArbitrary, bytesArbitrary, fc.boolean(), fc.boolean(), (prefix, bytes, lower, dashless) => {
        const key = generateKey(prefix, () => bytes);
        let typed = lower ? key.toLowerCase() : key;
        if (dashless) typed = typed.replace(/-/g, '');
        const parsed = normaliseKey(typed);
        return parsed.ok && parsed.canonical === key && parsed.prefix === prefix && isWellFormedKey(key);
      }),
      { numRuns: 500 },
    );
  });
});
