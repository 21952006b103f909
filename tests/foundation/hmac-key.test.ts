import { createHmac, randomBytes } from 'node:crypto';
import { hmacKey } from '../../src/crypto/hmac-key';
import { BlindIndex } from '../../src/crypto/blind-index';
import { keyDigest } from '../../src/licences/licence-keys';
import { networkHash } from '../../src/validation/network-hash';

const raw = (secret: Buffer, text: string) => createHmac('sha256', secret).update(text).digest('base64url');

describe('HMACs keyed by a KeyObject made once per secret', () => {
  it('give the digests the raw secret gives (blind indexes, key digests, network hashes)', () => {
    const secret = randomBytes(32);
    expect(hmacKey(secret)).toBe(hmacKey(secret));
    expect(new BlindIndex(secret).of('pc_name', ' laptop-42 ')).toBe(raw(secret, 'pc_name\0LAPTOP-42'));
    expect(keyDigest(secret, 'ACME-7KQ2M-XH4TB')).toBe(raw(secret, 'ACME-7KQ2M-XH4TB'));
    expect(networkHash(secret, '10.1.2.3')).toBe(raw(secret, 'network\x0010.1.2.0/24'));
    expect(keyDigest(randomBytes(32), 'ACME-7KQ2M-XH4TB')).not.toBe(keyDigest(secret, 'ACME-7KQ2M-XH4TB'));
  });
});
