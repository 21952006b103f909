/**
 * The Ed25519 keys that sign licence tokens and the key set the SDK trusts (docs/architecture.md §4).
 *
 * - Keys live in `signing_keys`, the private half wrapped by the master keyring. The first key
 *   is created on first use, under an advisory lock so two starting instances make only one.
 * - Loaded keys stay in memory (no unwrap per request) and are re-read at most once a minute,
 *   so a rotation made by another instance or the CLI is picked up within that minute. An
 *   instance publishes every key it may sign with, because both come from the same read.
 * - Rotation: the newest unretired key signs; older keys are retired, but stay published (and
 *   verify) until every token they signed has expired: retiredAt + the longest offline grace (or
 *   licence-file lifetime) of any policy + a margin.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, GeneralSign, type GeneralJWS, type JWK, type JWTPayload } from 'jose';
import type { Keyring } from '../crypto/keyring';
import type { PrismaClient } from '../generated/prisma/client';
import type { Services } from '../services';

export const TOKEN_ISSUER = 'nomina';
export const SIGNED_JWKS_TYPE = 'nomina-jwks+jwt';
const RELOAD_MS = 60_000;
const MIN_FORCED_RELOAD_MS = 5_000;
const SIGNING_KEY_LOCK = 4_242_002;
/** covers the short-lived tokens of refusals and clock skew between instances */
const PUBLICATION_MARGIN_MS = 3600_000;

export interface PublicSigningJwk extends JWK { kid: string; kty: 'OKP'; crv: 'Ed25519'; x: string; alg: 'EdDSA'; use: 'sig' }

interface LoadedKey {
  kid: string;
  /** the token header, encoded once */
  header: string;
  jwk: PublicSigningJwk;
  publicKey: KeyObject;
  privateKey: KeyObject;
  retiredAt: Date | null;
}

export class LicenceSigner {
  /** newest first; the first unretired one signs */
  private keys: LoadedKey[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | null = null;
  private signedJwks: { document: GeneralJWS; at: number } | null = null;

  constructor(private readonly prisma: PrismaClient, private readonly keyring: Keyring, private readonly now: () => Date) {}

  /**
   * Signs a licence token: compact JWS, EdDSA, `kid` and `typ: JWT` in the header. Assembled
   * here with node:crypto rather than jose's SignJWT, which costs 2.5× as much on the validation
   * hot path; the tokens are verified with jose (tests, verify-licence-token.ts). Another `typ`
   * (the licence file's, docs/offline-activation.md §3) keeps a token from passing for a file.
   */
  async sign(claims: JWTPayload, typ = 'JWT'): Promise<string> {
    // The keys are fresh almost always: no promise chain through ensureFresh for each validation.
    const key = (this.isFresh() && this.keys.find((k) => !k.retiredAt)) || await this.activeKey();
    const header = typ === 'JWT' ? key.header : Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: key.kid, typ })).toString('base64url');
    const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    return `${input}.${cryptoSign(null, Buffer.from(input), key.privateKey).toString('base64url')}`;
  }

  async activeKey(): Promise<LoadedKey> {
    await this.ensureFresh();
    const active = this.keys.find((k) => !k.retiredAt);
    if (!active) throw new Error('no active signing key');
    return active;
  }

  /** The public key for `kid`, re-reading the table once if it is unknown (a key rotated elsewhere). */
  async publicKey(kid: string | undefined): Promise<KeyObject | null> {
    await this.ensureFresh();
    let key = this.keys.find((k) => k.kid === kid);
    if (!key && Date.now() - this.loadedAt > MIN_FORCED_RELOAD_MS) {
      await this.reload();
      key = this.keys.find((k) => k.kid === kid);
    }
    return key?.publicKey ?? null;
  }

  async jwks(): Promise<{ keys: PublicSigningJwk[] }> {
    await this.ensureFresh();
    return { keys: this.keys.map((k) => k.jwk) };
  }

  /** The key set as a General JWS signed by every published key, so a client that trusts any one learns the others. */
  async signedKeySet(): Promise<GeneralJWS> {
    await this.ensureFresh();
    if (this.signedJwks && this.signedJwks.at >= this.loadedAt) return this.signedJwks.document;
    const iat = Math.floor(this.now().getTime() / 1000);
    const payload = new TextEncoder().encode(JSON.stringify({ iss: TOKEN_ISSUER, iat, keys: this.keys.map((k) => k.jwk) }));
    const jws = new GeneralSign(payload);
    for (const key of this.keys) jws.addSignature(key.privateKey).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: SIGNED_JWKS_TYPE });
    const document = await jws.sign();
    this.signedJwks = { document, at: Date.now() };
    return document;
  }

  /**
   * The same signed key set, each signature as a compact JWS (`protected.payload.signature`): the
   * lines a licence file carries after the licence (docs/offline-activation.md §3), so a PC that
   * never goes online learns a rotated key from a set signed by a key it already trusts.
   */
  async signedKeySetLines(): Promise<string[]> {
    const document = await this.signedKeySet();
    return document.signatures.map((s) => `${s.protected!}.${document.payload}.${s.signature}`);
  }

  /** Creates a new signing key and retires the others; returns the new and the retired kids. */
  async rotate(): Promise<{ kid: string; retired: string[] }> {
    const result = await this.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', SIGNING_KEY_LOCK);
      const current = await tx.signingKey.findMany({ where: { retiredAt: null }, select: { kid: true } });
      const created = await this.newKeyRow();
      await tx.signingKey.create({ data: created });
      await tx.signingKey.updateMany({ where: { kid: { in: current.map((c) => c.kid) } }, data: { retiredAt: this.now() } });
      return { kid: created.kid, retired: current.map((c) => c.kid) };
    });
    await this.reload();
    return result;
  }

  private isFresh(): boolean {
    return this.keys.length > 0 && Date.now() - this.loadedAt < RELOAD_MS;
  }

  private async ensureFresh(): Promise<void> {
    if (!this.isFresh()) await this.reload();
  }

  private reload(): Promise<void> {
    this.loading ??= this.load().finally(() => { this.loading = null; });
    return this.loading;
  }

  private async load(): Promise<void> {
    let rows = await this.publishedRows();
    if (!rows.some((r) => !r.retiredAt)) {
      await this.createFirstKey();
      rows = await this.publishedRows();
    }
    const known = new Map(this.keys.map((k) => [k.kid, k]));
    this.keys = rows.map((row) => {
      const loaded = known.get(row.kid);
      if (loaded) return { ...loaded, retiredAt: row.retiredAt };
      const jwk = JSON.parse(this.keyring.unwrap(row.privateKeyEnc, row.masterKeyId, `signing:${row.kid}`).toString('utf8')) as JWK;
      const privateKey = createPrivateKey({ key: jwk as never, format: 'jwk' });
      const header = Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: row.kid, typ: 'JWT' })).toString('base64url');
      return { kid: row.kid, header, jwk: row.publicJwk as unknown as PublicSigningJwk, publicKey: createPublicKey(privateKey), privateKey, retiredAt: row.retiredAt };
    });
    this.loadedAt = Date.now();
  }

  private async publishedRows() {
    // A key stays published while anything it signed may still be used: a licence token (offline
    // grace) or a licence file (offlineLicenceDays, up to a year).
    const { _max } = await this.prisma.policy.aggregate({ _max: { offlineGraceHours: true, offlineLicenceDays: true } });
    const longestMs = Math.max((_max.offlineGraceHours ?? 0) * 3600_000, (_max.offlineLicenceDays ?? 0) * 86_400_000);
    const horizon = new Date(this.now().getTime() - longestMs - PUBLICATION_MARGIN_MS);
    return this.prisma.signingKey.findMany({
      where: { OR: [{ retiredAt: null }, { retiredAt: { gt: horizon } }] },
      orderBy: { createdAt: 'desc' },
    });
  }

  private async createFirstKey(): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', SIGNING_KEY_LOCK);
      if (await tx.signingKey.count({ where: { retiredAt: null } })) return;
      await tx.signingKey.create({ data: await this.newKeyRow() });
    });
  }

  private async newKeyRow() {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicJwk = publicKey.export({ format: 'jwk' }) as JWK;
    const kid = await calculateJwkThumbprint(publicJwk);
    const jwk: PublicSigningJwk = { kty: 'OKP', crv: 'Ed25519', x: publicJwk.x!, kid, alg: 'EdDSA', use: 'sig' };
    const { wrapped, keyId } = this.keyring.wrap(Buffer.from(JSON.stringify(privateKey.export({ format: 'jwk' }))), `signing:${kid}`);
    return { kid, publicJwk: jwk as object, privateKeyEnc: wrapped, masterKeyId: keyId, createdAt: this.now() };
  }
}

const signers = new WeakMap<Services, LicenceSigner>();

/** The signer of this service instance (one per Services, so each test app has its own). */
export function licenceSigner(services: Services): LicenceSigner {
  let signer = signers.get(services);
  if (!signer) {
    signer = new LicenceSigner(services.prisma, services.keyring, services.now);
    signers.set(services, signer);
  }
  return signer;
}
