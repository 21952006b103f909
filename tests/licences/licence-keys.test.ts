import { randomBytes } from 'node:crypto';
import { generateKey, normaliseKey } from '../../client-sdk/src/key-format';
import { issueKey, keyDigest, keyLookup } from '../../src/licences/licence-keys';

const pepper = randomBytes(32);

describe('licence key digests on the server', () => {
  it('issues canonical keys with the product prefix, ≥120 bits, and stores only digest and last 4', () => {
    const issued = issueKey(pepper, 'ACME');
    expect(issued.key).toMatch(/^ACME(-[0-9A-Z*~$=]{5}){5}$/);
    const parsed = normaliseKey(issued.key);
    expect(parsed.ok && parsed.canonical).toBe(issued.key);
    expect(issued.last4).toBe(issued.key.slice(-4));
    expect(issued.digest).toBe(keyDigest(pepper, issued.key));
    expect(issued.digest).not.toContain(issued.key.slice(5, 10));
  });

  it('gives every way a person may type a key the digest of its canonical form, as the SDK normalises it', () => {
    const key = generateKey('TND', (n) => randomBytes(n));
    const tail = key.slice(4);
    const variants = [key, key.toLowerCase(), key.replace(/-/g, ''), ` ${key.replace(/-/g, ' ')} `, `TND${tail.replace(/0/g, 'O').replace(/1/g, 'I')}`, `tnd-${tail.replace(/1/g, 'l').toLowerCase()}`];
    const digests = new Set(variants.map((v) => keyLookup(pepper, v).digest));
    expect(digests).toEqual(new Set([keyDigest(pepper, key)]));
    for (const v of variants) expect(keyLookup(pepper, v).wellFormed).toBe(true);
  });

  it('gives a malformed key a digest too (same work), which no canonical key can have', () => {
    const key = generateKey('TND', (n) => randomBytes(n));
    const typo = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    const lookup = keyLookup(pepper, typo);
    expect(lookup.wellFormed).toBe(false);
    expect(lookup.digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(lookup.digest).not.toBe(keyDigest(pepper, typo));
    expect(keyLookup(pepper, '').digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keys digests with the pepper: another pepper, another digest', () => {
    const key = generateKey('TND', (n) => randomBytes(n));
    expect(keyDigest(pepper, key)).not.toBe(keyDigest(randomBytes(32), key));
  });
});
