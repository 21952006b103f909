import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { importPublicEd25519, verifyCompactJws, verifyGeneralJws, type GeneralJws, type KeyResolver, type PublicJwk } from './jws.js';
import { readJsonFile, writeFileAtomic } from './storage.js';

export type { PublicJwk };

/** Protected-header `typ` of a signed key set, so no other signed object can pass for one. */
export const SIGNED_JWKS_TYPE = 'nomina-jwks+jwt';
const LEARNT_KEYS_FILE = 'trusted-keys.json';
const MAX_CHAIN_LENGTH = 20;

/** A key-set document: compact JWS, or General JWS JSON with one signature per server key. */
export type SignedJwks = string | GeneralJws;

export type LearnOutcome = 'LEARNT' | 'STALE' | 'UNTRUSTED' | 'MALFORMED';

/**
 * Keys the SDK trusts: those pinned in the app (always trusted) plus those learnt from a key-set
 * document signed by an already trusted key. The transport is never trusted: the persisted file
 * holds the signed documents themselves and is re-verified from the pinned keys on every load,
 * so editing it cannot smuggle a key in.
 */
export class TrustedKeyStore {
  private readonly pinned = new Map<string, KeyObject>();
  private learnt = new Map<string, KeyObject>();
  private chain: SignedJwks[] = [];
  private learntIssuedAt = 0;

  private constructor(private readonly storageFile: string | null) {}

  static async open(pinnedKeys: readonly PublicJwk[], storageDir: string | null): Promise<TrustedKeyStore> {
    const store = new TrustedKeyStore(storageDir ? path.join(storageDir, LEARNT_KEYS_FILE) : null);
    for (const jwk of pinnedKeys) {
      const [kid, key] = importPublicEd25519(jwk);
      store.pinned.set(kid, key);
    }
    if (store.pinned.size === 0) throw new TypeError('publicKeys must contain at least one pinned Ed25519 key');
    const saved = store.storageFile ? readJsonFile(store.storageFile) : undefined;
    const savedChain = (saved as { chain?: unknown } | undefined)?.chain;
    for (const document of Array.isArray(savedChain) ? savedChain : []) await store.learn(document as SignedJwks, false);
    return store;
  }

  getKey(kid: string | undefined): KeyObject | undefined {
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
    const resolveKey: KeyResolver = (header) => (header.typ === SIGNED_JWKS_TYPE && typeof header.kid === 'string' ? this.getKey(header.kid) : undefined);
    const result = typeof document === 'string' ? verifyCompactJws(document, resolveKey) : verifyGeneralJws(document, resolveKey);
    if (!result.ok) return 'UNTRUSTED';
    const signedByPinnedKey = [...this.pinned.values()].includes(result.key);
    const payload = parseJson(result.payload) as { iss?: unknown; iat?: unknown; keys?: unknown } | undefined;
    if (!payload || payload.iss !== 'nomina' || typeof payload.iat !== 'number' || !Array.isArray(payload.keys)) return 'MALFORMED';
    // Only a newer document counts: replaying an old one cannot resurrect a retired key.
    if (payload.iat <= this.learntIssuedAt) return 'STALE';
    const learnt = new Map<string, KeyObject>();
    try {
      for (const jwk of payload.keys) learnt.set(...importPublicEd25519(jwk));
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
