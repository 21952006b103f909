import { createLocalJWKSet, decodeProtectedHeader, generalVerify, importJWK, jwtVerify, type GeneralJWS, type JSONWebKeySet } from 'jose';
import { licenceSigner } from '../../src/signing/licence-signer';
import { verifyLicenceToken } from '../../src/signing/verify-licence-token';
import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from './validate-helpers';

let h: Harness;
let admin: string;
beforeAll(async () => {
  h = await createHarness();
  admin = await h.login('admin');
});
afterAll(() => h.close());

const jwks = async () => (await h.api.get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet & { keys: { kid: string }[] };
const signedJwks = async () => (await h.api.get('/.well-known/jwks.signed').expect(200)).body as GeneralJWS;

async function tokenFor(licence: Awaited<ReturnType<typeof buildLicence>>, device = aDevice()) {
  return (await validate(h, validateBody(licence.key, licence.product.code, device)).expect(200)).body.token as string;
}

describe('licence-token signing keys', () => {
  it('publishes public Ed25519 keys only, with kid, alg and use', async () => {
    await buildLicence(h).then(tokenFor);
    const { keys } = await jwks();
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(key).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid: expect.any(String), alg: 'EdDSA', use: 'sig' });
    }
    const stored = await h.services.prisma.signingKey.findMany();
    for (const row of stored) expect(row.privateKeyEnc).toMatch(/^v1\./); // wrapped by the master keyring, never a clear JWK
  });

  it('rotates on the admin endpoint: old tokens still verify, new tokens use the new kid, both keys are published', async () => {
    const licence = await buildLicence(h);
    const device = aDevice();
    const before = await tokenFor(licence, device);
    const oldKid = decodeProtectedHeader(before).kid;

    const rotation = await h.api.post('/v1/signing-keys/actions/rotate').set(h.auth(admin)).send({}).expect(200);
    expect(rotation.body).toEqual({ kid: expect.any(String), retired: [oldKid] });
    const after = await tokenFor(licence, device);
    expect(decodeProtectedHeader(after).kid).toBe(rotation.body.kid);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual(expect.arrayContaining([oldKid, rotation.body.kid]));

    const keySet = createLocalJWKSet(await jwks());
    for (const token of [before, after]) await jwtVerify(token, keySet, { issuer: 'nomina', audience: licence.product.code });
    expect(await verifyLicenceToken(h.services, before)).toMatchObject({ licenceId: licence.licence.id, productCode: licence.product.code, valid: true });

    const audit = await h.services.prisma.auditEntry.findFirst({ where: { action: 'signing_key.rotate', resourceId: rotation.body.kid } });
    expect(audit).toMatchObject({ actorType: 'staff', actorId: (await h.staffUser('admin')).id });
  });

  it('serves the key set as a General JWS signed by every published key', async () => {
    await h.api.post('/v1/signing-keys/actions/rotate').set(h.auth(admin)).send({}).expect(200);
    const { keys } = await jwks();
    const document = await signedJwks();
    expect(document.signatures).toHaveLength(keys.length);
    for (const key of keys) {
      const signature = document.signatures.find((s) => JSON.parse(Buffer.from(s.protected!, 'base64url').toString()).kid === key.kid)!;
      expect(JSON.parse(Buffer.from(signature.protected!, 'base64url').toString())).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'nomina-jwks+jwt' });
      // A client trusting only this key can verify the document, hence learn the others.
      const { payload } = await generalVerify({ ...document, signatures: [signature] }, await importJWK(key, 'EdDSA'));
      const body = JSON.parse(Buffer.from(payload).toString());
      expect(body).toEqual({ iss: 'nomina', iat: expect.any(Number), keys });
    }
  });

  it('stops publishing a retired key once every token it signed has expired', async () => {
    const licence = await buildLicence(h);
    const token = await tokenFor(licence);
    const kid = decodeProtectedHeader(token).kid!;
    await h.api.post('/v1/signing-keys/actions/rotate').set(h.auth(admin)).send({}).expect(200);
    await h.services.prisma.signingKey.update({ where: { kid }, data: { retiredAt: new Date(Date.now() - 365 * 86_400_000) } });
    (licenceSigner(h.services) as unknown as { loadedAt: number }).loadedAt = 0; // as if its minute had passed
    expect((await jwks()).keys.map((k) => k.kid)).not.toContain(kid);
    expect(await verifyLicenceToken(h.services, token)).toBeNull();
  });

  it('verifies licence tokens for other modules, and refuses tampered or foreign ones', async () => {
    const licence = await buildLicence(h);
    const device = aDevice();
    const token = await tokenFor(licence, device);
    const verified = await verifyLicenceToken(h.services, token);
    const devices = await h.services.prisma.device.findMany({ where: { licenceId: licence.licence.id } });
    expect(verified).toEqual({
      licenceId: licence.licence.id, deviceId: devices[0].id, productCode: licence.product.code, valid: true, code: 'VALID', telemetry: 'on', expiresAt: expect.any(Date),
    });
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), lic: 'someone-else' })).toString('base64url');
    expect(await verifyLicenceToken(h.services, `${header}.${forged}.${signature}`)).toBeNull();
    expect(await verifyLicenceToken(h.services, 'not.a.token')).toBeNull();
    const staffToken = (await h.services.sessions.issueStaff((await h.staffUser('admin')).id)).token;
    expect(await verifyLicenceToken(h.services, staffToken)).toBeNull();
  });

  it('lets only admins rotate', async () => {
    const support = await h.login('support');
    await h.api.post('/v1/signing-keys/actions/rotate').set(h.auth(support)).send({}).expect(403);
  });
});
