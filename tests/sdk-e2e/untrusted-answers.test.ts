/**
 * A fake or compromised server can do no more than a pulled cable (issue 7): the proxy in front
 * of the real server re-signs its tokens with another key, tampers with them or replays an old
 * answer, and the SDK refuses each one. Then a real key rotation, learnt from the signed key set.
 */
import fs from 'node:fs';
import path from 'node:path';
import { decodeProtectedHeader, exportJWK, GeneralSign, generateKeyPair, SignJWT } from 'jose';
import type { EdgeReply, EdgeRequest } from './support/edge-proxy';
import { openSdkWorld, storedEvents, type IssuedLicence, type SdkWorld } from './support/sdk-world';

let world: SdkWorld;
beforeAll(async () => { world = await openSdkWorld(); });
afterAll(() => world.close());
afterEach(() => world.proxy.reset());

type Rewrite = (answer: Record<string, any>) => Promise<Record<string, any>> | Record<string, any>;

/** Rewrites the server's real /v1/validate answers on their way to the SDK. */
function rewriteValidation(rewrite: Rewrite): void {
  world.proxy.after = async (request: EdgeRequest, reply: EdgeReply) => {
    if (request.path !== '/v1/validate' || reply.status !== 200) return reply;
    return { ...reply, body: JSON.stringify(await rewrite(JSON.parse(reply.body))) };
  };
}

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));

async function signWithStrangerKey(token: string, kid: string): Promise<string> {
  const { privateKey } = await generateKeyPair('Ed25519');
  return new SignJWT(claimsOf(token)).setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' }).sign(privateKey);
}

function tamper(token: string): string {
  const [header, , signature] = token.split('.');
  const claims = { ...claimsOf(token), ent: ['core', 'enterprise'] };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

const attacks: Array<[string, (licence: IssuedLicence) => Rewrite | Promise<Rewrite>]> = [
  ['a token signed by another key (its own kid)', () => async (a) => ({ ...a, token: await signWithStrangerKey(a.token, 'attacker') })],
  ['a token signed by another key under the server key id', () => async (a) => ({ ...a, token: await signWithStrangerKey(a.token, decodeProtectedHeader(a.token).kid!) })],
  ['a tampered token (entitlements added)', () => (a) => ({ ...a, token: tamper(a.token), licence: { ...a.licence, entitlements: ['core', 'enterprise'] } })],
  ['a replayed answer (old token, old nonce echoed)', (licence) => replayOf(licence, 'echo-old')],
  ['a replayed token under the new nonce', (licence) => replayOf(licence, 'echo-new')],
];

/** A real VALID answer of the server to an earlier request (another PC): what a replaying attacker holds. */
async function replayOf(licence: IssuedLicence, echo: 'echo-old' | 'echo-new'): Promise<Rewrite> {
  let recorded: Record<string, any> | undefined;
  world.proxy.after = (_request, reply) => {
    recorded ??= JSON.parse(reply.body);
    return reply;
  };
  expect(await world.client(licence, { serverUrl: world.proxy.url }).start()).toMatchObject({ valid: true });
  return (answer) => ({ ...recorded!, nonce: echo === 'echo-old' ? recorded!.nonce : answer.nonce });
}

describe('answers that do not verify', () => {
  it.each(attacks)('refuses %s, and keeps no trace of it', async (_label, attack) => {
    const licence = await world.issue({ entitlements: ['core'] });
    const storageDir = world.storageDir();
    rewriteValidation(await attack(licence));
    const verdict = await world.client(licence, { storageDir, serverUrl: world.proxy.url }).start();
    expect(verdict).toMatchObject({ valid: false, code: 'UNTRUSTED_RESPONSE', entitlements: [], offline: true });
    expect(fs.existsSync(path.join(storageDir, 'licence-token.json'))).toBe(false);
  });

  it.each(attacks)('falls back to the saved licence, not to the forged one (%s)', async (_label, attack) => {
    const licence = await world.issue({ entitlements: ['core'] });
    const storageDir = world.storageDir();
    await world.client(licence, { storageDir }).start();
    const saved = fs.readFileSync(path.join(storageDir, 'licence-token.json'), 'utf8');
    rewriteValidation(await attack(licence));
    const verdict = await world.client(licence, { storageDir, serverUrl: world.proxy.url }).start();
    expect(verdict).toMatchObject({ valid: true, offline: true, entitlements: ['core'], warnings: ['UNTRUSTED_RESPONSE'] });
    expect(fs.readFileSync(path.join(storageDir, 'licence-token.json'), 'utf8')).toBe(saved);
  });
});

describe('key rotation', () => {
  it('learns the new key from /.well-known/jwks.signed after a rotation and accepts its tokens', async () => {
    const licence = await world.issue();
    const storageDir = world.storageDir();
    const client = () => world.client(licence, { storageDir, serverUrl: world.proxy.url });
    const beforeRotation = client();
    expect(await beforeRotation.start()).toMatchObject({ valid: true, offline: false });
    expect(world.proxy.requestsTo('/.well-known/jwks.signed')).toHaveLength(0);

    const admin = await world.h.login('admin');
    const rotation = await world.h.api.post('/v1/signing-keys/actions/rotate').set(world.h.auth(admin)).expect(200);
    expect(rotation.body.retired).toEqual(world.pinnedKeys.map((k) => k.kid));

    const verdict = await client().start();
    expect(verdict).toMatchObject({ valid: true, offline: false, warnings: [] });
    const answer = JSON.parse(world.proxy.requestsTo('/v1/validate').at(-1)!.serverBody!);
    expect(decodeProtectedHeader(answer.token).kid).toBe(rotation.body.kid);
    expect(world.proxy.requestsTo('/.well-known/jwks.signed')).toHaveLength(1);

    // Learnt once, for good: the next start (a new process) reads the signed key set back from disk.
    expect(fs.existsSync(path.join(storageDir, 'trusted-keys.json'))).toBe(true);
    expect(await client().start()).toMatchObject({ valid: true, offline: false });
    expect(world.proxy.requestsTo('/.well-known/jwks.signed')).toHaveLength(1);

    // A client still running on a token of the retired key can send its telemetry: retired keys
    // stay published (and verify) until their tokens have expired.
    beforeRotation.track('used_before_rotation');
    await beforeRotation.shutdown(5000);
    const retiredKid = (entry: { authorization: string | null }) => decodeProtectedHeader(entry.authorization!.replace('Bearer ', '')).kid;
    const sent = world.proxy.requestsTo('/v1/telemetry').filter((entry) => retiredKid(entry) === world.pinnedKeys[0]!.kid);
    // One batch at shutdown; on a slow machine the 5-second flush timer may already have sent the
    // session's first batch with the same token: every one of them must have been accepted.
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.map((entry) => entry.status).filter((status) => status !== 202)).toEqual([]);
    expect(await storedEvents(world, licence.productId)).toContainEqual({ type: 'feature', name: 'used_before_rotation' });
  });

  it('refuses a key set signed only by a key it does not trust (an attacker publishing its own key)', async () => {
    const licence = await world.issue();
    const { privateKey, publicKey } = await generateKeyPair('Ed25519', { extractable: true });
    const attackerJwk = { ...(await exportJWK(publicKey)), kid: 'attacker', alg: 'EdDSA', use: 'sig' };
    const keySet = new GeneralSign(new TextEncoder().encode(JSON.stringify({ iss: 'nomina', iat: Math.floor(Date.now() / 1000) + 60, keys: [attackerJwk] })));
    keySet.addSignature(privateKey).setProtectedHeader({ alg: 'EdDSA', kid: 'attacker', typ: 'nomina-jwks+jwt' });
    const document = JSON.stringify(await keySet.sign());
    world.proxy.before = (request) => (request.path === '/.well-known/jwks.signed' ? { status: 200, headers: { 'content-type': 'application/json' }, body: document } : undefined);
    rewriteValidation(async (a) => ({ ...a, token: await new SignJWT(claimsOf(a.token)).setProtectedHeader({ alg: 'EdDSA', kid: 'attacker' }).sign(privateKey) }));
    expect(await world.client(licence, { serverUrl: world.proxy.url }).start()).toMatchObject({ valid: false, code: 'UNTRUSTED_RESPONSE' });
    expect(world.proxy.requestsTo('/.well-known/jwks.signed')).toHaveLength(1);
  });
});
