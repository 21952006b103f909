import path from 'node:path';
import { compactVerify, generalVerify, importJWK, type CryptoKey, type GeneralJWSInput, type JWK } from 'jose';
import { readJsonFile, writeFileAtomic } from './storage.js';

/** Protected-header `typ` of a signed key set, so no other signed object can pass for one. */
export const SIGNED_JWKS_TYPE = 'nomina-jwks+jwt';
export const SIGNATURE_ALGORITHMS = ['EdDSA', 'Ed25519'];
const LEARNT_KEYS_FILE = 'trusted-keys.json';
const MAX_CHAIN_LENGTH = 20;

export interface PublicJwk extends JWK {
  kid: string;
}

/** A key-set document: compact JWS, or General JWS JSON with one signature per server key. */
export type SignedJwks = string | GeneralJWSInput;

export type LearnOutcome = 'LEARNT' | 'STALE' | 'UNTRUSTED' | 'MALFORMED';

async function importPublicEd25519(jwk: unknown): Promise<[string, CryptoKey]> {
  const candidate = jwk as Partial<PublicJwk> | null;
  if (!candidate || candidate.kty !== 'OKP' || candidate.crv !== 'Ed25519' || typeof candidate.x !== 'string' || typeof candidate.kid !== 'string') {
    throw new TypeError('a trusted key must be a public Ed25519 JWK with a kid');
  }
  if ('d' in candidate) throw new TypeError(`key ${candidate.kid} contains private key material; pin the public key only`);
  const { kty, crv, x, kid } = candidate;
  return [kid, (await importJWK({ kty, crv, x }, 'Ed25519')) as CryptoKey];
}

/**
 * Keys the SDK trusts: those pinned in the app (always trusted) plus those learnt from a key-set
 * document signed by an already trusted key. The transport is never trusted: the persisted file
 * holds the signed documents themselves and is re-verified from the pinned keys on every load,
 * so editing it cannot smuggle a key in.
 */
export class TrustedKeyStore {
  private readonly pinned = new Map<string, CryptoKey>();
  private learnt = new Map<string, CryptoKey>();
  private chain: SignedJwks[] = [];
  private learntIssuedAt = 0;

  private constructor(private readonly storageFile: string | null) {}

  static async open(pinnedKeys: readonly PublicJwk[], storageDir: string | null): Promise<TrustedKeyStore> {
    const store = new TrustedKeyStore(storageDir ? path.join(storageDir, LEARNT_KEYS_FILE) : null);
    for (const jwk of pinnedKeys) {
      const [kid, key] = await importPublicEd25519(jwk);
      store.pinned.set(kid, key);
    }
    if (store.pinned.size === 0) throw new TypeError('publicKeys must contain at least one pinned Ed25519 key');
    const saved = store.storageFile ? readJsonFile(store.storageFile) : undefined;
    const savedChain = (saved as { chain?: unknown } | undefined)?.chain;
    for (const document of Array.isArray(savedChain) ? savedChain : []) await store.learn(document as SignedJwks, false);
    return store;
  }

  getKey(kid: string | undefined): CryptoKey | undefined {
    if (kid === undefined) return undefined;
    return this.pinned.get(kid) ?? this.learnt.get(kid);
  }

  learntKeyIds(): string[] {
    return [...this.learnt.keys()];
  }

  /** Verifies a key-set document and, if newer than the last one, replaces the learnt keys with it. */
  async learnFromSignedJwks(document: SignedJwks): Promise<LearnOutcome> {
    return this.learn(document, true);
  }

  private async learn(document: SignedJwks, persist: boolean): Promise<LearnOutcome> {
    let payloadBytes: Uint8Array;
    let signedByPinnedKey = false;
    try {
      const resolveKey = (header: { kid?: string; typ?: string }) => {
        const key = header.typ === SIGNED_JWKS_TYPE ? this.getKey(header.kid) : undefined;
        if (!key) throw new Error('not signed by a trusted key');
        return key;
      };
      const options = { algorithms: SIGNATURE_ALGORITHMS };
      const result = typeof document === 'string' ? await compactVerify(document, resolveKey, options) : await generalVerify(document, resolveKey, options);
      payloadBytes = result.payload;
      signedByPinnedKey = [...this.pinned.values()].includes(result.key as CryptoKey);
    } catch {
      return 'UNTRUSTED';
    }
    const payload = parseJson(payloadBytes) as { iss?: unknown; iat?: unknown; keys?: unknown } | undefined;
    if (!payload || payload.iss !== 'nomina' || typeof payload.iat !== 'number' || !Array.isArray(payload.keys)) return 'MALFORMED';
    // Only a newer document counts: replaying an old one cannot resurrect a retired key.
    if (payload.iat <= this.learntIssuedAt) return 'STALE';
    const learnt = new Map<string, CryptoKey>();
    try {
      for (const jwk of payload.keys) learnt.set(...(await importPublicEd25519(jwk)));
    } catch {
      return 'MALFORMED';
    }
    this.learnt = learnt;
    this.learntIssuedAt = payload.iat;
    // A document signed by a pinned key is a root of trust by itself; otherwise keep the links to it.
    this.chain = signedByPinnedKey ? [document] : [...this.chain, document].slice(-MAX_CHAIN_LENGTH);
    if (persist && this.storageFile) writeFileAtomic(this.storageFile, JSON.stringify({ chain: this.chain }));
    return 'LEARNT';
  }
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
