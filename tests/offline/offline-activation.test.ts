/**
 * Air-gapped activation through HTTP (docs/offline-activation.md): request file → licence file by the
 * holder, support/admin and an API key; the checks of /v1/validate; the machine limit shared with
 * online activations (also under concurrency); release files.
 */
import { createApiKey } from '../../src/api-keys/create-api-key';
import { drainFraudEvaluations } from '../../src/fraud/fraud-runtime';
import { licenceSigner } from '../../src/signing/licence-signer';
import { buildContact, buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { activationRequest, anOfflinePc, identityHash, releaseFile, requestText, verifyKeySetLines, verifyLicenceFile, type OfflinePc } from '../support/offline-files';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

let h: Harness;
let support: string;
let admin: string;
let portalKey: string;
let otherKey: string;
beforeAll(async () => {
  h = await createHarness();
  support = await h.login('support');
  admin = await h.login('admin');
  const adminUser = await h.staffUser('admin');
  portalKey = (await createApiKey(h.services, { name: 'portal', scopes: ['offline:activate'], rateLimitPerMinute: 10_000 }, adminUser.id, { type: 'system' }, 'test')).key;
  otherKey = (await createApiKey(h.services, { name: 'other', scopes: ['devices:write'], rateLimitPerMinute: 10_000 }, adminUser.id, { type: 'system' }, 'test')).key;
});
afterAll(() => h.close());

const holderToken = async (contactId: string) => (await h.services.sessions.issueSubject(contactId, 900)).token;
const asHolder = async (contactId: string, body: unknown) => h.api.post('/v1/privacy/me/offline-activations').set(h.auth(await holderToken(contactId))).send(body as object);
const asStaff = (token: string, body: unknown) => h.api.post('/v1/offline-activations').set(h.auth(token)).send(body as object);
const REASON = 'ticket SUP-4711: air-gapped PC in the lab';

async function activate(licence: Awaited<ReturnType<typeof buildLicence>>, pc: OfflinePc = anOfflinePc(), overrides: Record<string, unknown> = {}) {
  const request = activationRequest(pc, licence.key, licence.product.code, overrides);
  const res = await asHolder(licence.holderId, { request });
  return { res, request, pc };
}

describe('POST /v1/privacy/me/offline-activations (the holder)', () => {
  it('answers a licence file that verifies with the JWKS and carries the contract\'s claims, bound to the PC', async () => {
    const licence = await buildLicence(h, { policy: { offlineLicenceDays: 45, entitlements: ['core', 'export.pdf'] } });
    const pc = anOfflinePc(aDevice({ ntDomain: 'Contoso', ntUsername: 'JDoe', pcName: 'lab-pc-7', macAddresses: ['00-1a-2b-3c-4d-5e'] }));
    const { res, request } = await activate(licence, pc);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ fileName: 'nomina-licence.lic', licenceId: licence.licence.id, newDevice: true, entitlements: ['core', 'export.pdf'] });

    const { payload, protectedHeader } = await verifyLicenceFile(h.api, res.body.licenceFile, licence.product.code);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'nomina-licence-file+jwt', kid: expect.any(String) });
    expect(payload).toMatchObject({
      iss: 'nomina', aud: licence.product.code, sub: licence.licence.id, lic: licence.licence.id, dev: res.body.deviceId,
      code: 'VALID', valid: true, ent: ['core', 'export.pdf'], vu: null, tel: 'on', nonce: request.nonce, mode: 'offline',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/), cnf: { jwk: pc.publicJwk },
      idh: {
        user: identityHash(request.nonce, 'contoso\\jdoe'), pc: identityHash(request.nonce, 'LAB-PC-7'),
        macs: [identityHash(request.nonce, '00:1A:2B:3C:4D:5E')],
      },
    });
    expect(payload.exp! - payload.iat!).toBe(45 * 86_400);
    expect(new Date(res.body.expiresAt).getTime()).toBe(Date.parse(res.body.expiresAt));
    expect(Math.abs(new Date(res.body.expiresAt).getTime() / 1000 - payload.exp!)).toBeLessThan(1);

    const device = await h.services.prisma.device.findUniqueOrThrow({ where: { id: res.body.deviceId } });
    expect(device).toMatchObject({ activationMode: 'offline', offlineActivationId: payload.jti, offlinePublicKey: pc.publicJwk, releasedAt: null });
    const audit = await h.audit.findFirstOrThrow({ where: { action: 'offline_activation.issued', resourceId: device.id } });
    expect(audit).toMatchObject({ actorType: 'subject', actorId: licence.holderId, subjectId: licence.holderId });
    // The validation record says what the checks said, like any validation.
    expect(await h.services.prisma.validationEvent.count({ where: { deviceId: device.id, code: 'VALID' } })).toBe(1);
    // No key, token or identity in the logs.
    const logs = h.logs.join('');
    expect(logs).not.toContain(licence.key);
    expect(logs).not.toContain('LAB-PC-7');
  });

  it('never lets a licence file outlive the licence', async () => {
    const validUntil = new Date(Date.now() + 10 * 86_400_000);
    const licence = await buildLicence(h, { validUntil, policy: { offlineLicenceDays: 30 } });
    const { res } = await activate(licence);
    expect(res.status).toBe(201);
    const { payload } = await verifyLicenceFile(h.api, res.body.licenceFile, licence.product.code);
    expect(payload.exp).toBe(Math.floor(validUntil.getTime() / 1000));
    expect(res.body.validUntil).toBe(validUntil.toISOString());
  });

  it('accepts the text form (armoured, raw DEFLATE, base64url) and the JSON file read as text', async () => {
    const licence = await buildLicence(h, { policy: { maxMachines: 3 } });
    const request = activationRequest(anOfflinePc(), licence.key, licence.product.code);
    const text = requestText(request);
    expect(text.split('\n').every((line) => line.length <= 64 || line.startsWith('-----'))).toBe(true);
    const res = await asHolder(licence.holderId, { request: text }).then((r) => r);
    expect(res.status).toBe(201);
    const { payload } = await verifyLicenceFile(h.api, res.body.licenceFile, licence.product.code);
    expect(payload.nonce).toBe(request.nonce);
    // Line breaks re-wrapped by a mail client and surrounding prose change nothing.
    const rewrapped = `Hello support,\n\n${text.replace(/\n/g, '\r\n  ')}\n\nThanks`;
    expect((await asStaff(support, { request: rewrapped, reason: REASON })).status).toBe(201);
    const asJsonText = activationRequest(anOfflinePc(), licence.key, licence.product.code);
    expect((await asHolder(licence.holderId, { request: JSON.stringify(asJsonText, null, 2) })).status).toBe(201);
  });

  it('answers 400 with a pointer for a malformed request or text form', async () => {
    const licence = await buildLicence(h);
    const pc = anOfflinePc();
    const good = activationRequest(pc, licence.key, licence.product.code);
    const cases: [unknown, string][] = [
      [{ ...good, devicePublicKey: undefined }, '/request/devicePublicKey'],
      [{ ...good, devicePublicKey: { kty: 'OKP', crv: 'X25519', x: pc.publicJwk.x } }, '/request/devicePublicKey/crv'],
      [{ ...good, device: { ...good.device, macAddresses: ['ff:ff:ff:ff:ff:ff'] } }, '/request/device/macAddresses/0'],
      [{ ...good, nonce: 'short' }, '/request/nonce'],
      [{ ...good, createdAt: 'yesterday' }, '/request/createdAt'],
      [{ ...good, format: 'something-else' }, '/request/format'],
      ['-----BEGIN NOMINA ACTIVATION REQUEST-----\nnot base64 at all!\n-----END NOMINA ACTIVATION REQUEST-----', '/request'],
      ['-----BEGIN NOMINA ACTIVATION REQUEST-----\nAAAA', '/request'],
      ['eJxVjk1Pg0AQhv8KmXPbQKG29GZMTDx48GK8EQ', '/request'],
      [requestText({ ...good, device: { ...good.device, pcName: '' } }), '/request/device/pcName'],
      [42, '/request'],
    ];
    for (const [request, pointer] of cases) {
      const res = await asHolder(licence.holderId, { request });
      expect({ pointer, status: res.status, type: res.headers['content-type'] }).toEqual({ pointer, status: 400, type: expect.stringMatching(/problem\+json/) });
      expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
    expect(await h.services.prisma.device.count({ where: { licenceId: licence.licence.id } })).toBe(0);
  });

  it("answers 404 for another holder's key and for an unknown key (nothing recorded on that licence)", async () => {
    const mine = await buildLicence(h);
    const theirs = await buildLicence(h);
    const pc = anOfflinePc();
    const res = await asHolder(mine.holderId, { request: activationRequest(pc, theirs.key, theirs.product.code) });
    expect(res.status).toBe(404);
    expect(await h.services.prisma.validationEvent.count({ where: { licenceId: theirs.licence.id } })).toBe(0);
    const unknown = await asHolder(mine.holderId, { request: activationRequest(pc, `${mine.product.code}-AAAAA-BBBBB-CCCCC-DDDDD-EEEEE`, mine.product.code) });
    expect(unknown.status).toBe(404);
  });

  it('refuses with 422 and the validation code: expired, not yet valid, suspended, revoked, wrong product', async () => {
    const expired = await buildLicence(h, { validFrom: new Date(Date.now() - 20 * 86_400_000), validUntil: new Date(Date.now() - 86_400_000) });
    const future = await buildLicence(h, { validFrom: new Date(Date.now() + 5 * 86_400_000) });
    const suspended = await buildLicence(h);
    await h.services.prisma.licence.update({ where: { id: suspended.licence.id }, data: { status: 'suspended' } });
    const revoked = await buildLicence(h);
    await h.services.prisma.licence.update({ where: { id: revoked.licence.id }, data: { status: 'revoked' } });
    const cases: [Awaited<ReturnType<typeof buildLicence>>, string, string?][] = [
      [expired, 'EXPIRED'], [future, 'NOT_YET_VALID'], [suspended, 'SUSPENDED'], [revoked, 'REVOKED'], [await buildLicence(h), 'PRODUCT_MISMATCH', 'OTHER'],
    ];
    for (const [licence, code, product] of cases) {
      const request = activationRequest(anOfflinePc(), licence.key, product ?? licence.product.code);
      const res = await asHolder(licence.holderId, { request });
      expect({ code, status: res.status, body: res.body.code }).toEqual({ code, status: 422, body: code });
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(await h.services.prisma.device.count({ where: { licenceId: licence.licence.id } })).toBe(0);
      // Recorded like a refused validation.
      expect(await h.services.prisma.validationEvent.count({ where: { licenceId: licence.licence.id, code: code as never } })).toBe(1);
    }
  });

  it('applies the NT account limit: a second Windows account on a one-user licence is USER_MISMATCH', async () => {
    const licence = await buildLicence(h, { policy: { maxUsers: 1, maxMachines: 5 } });
    await validate(h, validateBody(licence.key, licence.product.code, aDevice({ ntUsername: 'first' }))).expect(200);
    const res = (await activate(licence, anOfflinePc(aDevice({ ntUsername: 'second' })))).res;
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('USER_MISMATCH');
    expect((await activate(licence, anOfflinePc(aDevice({ ntUsername: 'FIRST' })))).res.status).toBe(201);
  });

  it('refuses OFFLINE_NOT_ALLOWED when the policy has offlineLicenceDays 0, and REQUEST_TOO_OLD after 30 days', async () => {
    const closed = await buildLicence(h, { policy: { offlineLicenceDays: 0 } });
    const res = (await activate(closed)).res;
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('OFFLINE_NOT_ALLOWED');
    const open = await buildLicence(h);
    const old = (await activate(open, anOfflinePc(), { createdAt: new Date(Date.now() - 31 * 86_400_000).toISOString() })).res;
    expect(old.status).toBe(422);
    expect(old.body).toMatchObject({ code: 'REQUEST_TOO_OLD', errors: [{ pointer: '/request/createdAt' }] });
  });

  it('keeps a rotated signing key published as long as a licence file it signed may live', async () => {
    const licence = await buildLicence(h, { policy: { offlineLicenceDays: 200 } });
    const { res } = await activate(licence);
    const { protectedHeader } = await verifyLicenceFile(h.api, res.body.licenceFile, licence.product.code);
    await h.api.post('/v1/signing-keys/actions/rotate').set(h.auth(admin)).send({}).expect(200);
    const signer = licenceSigner(h.services) as unknown as { loadedAt: number };
    await h.services.prisma.signingKey.update({ where: { kid: protectedHeader.kid }, data: { retiredAt: new Date(Date.now() - 100 * 86_400_000) } });
    signer.loadedAt = 0; // as if its minute had passed
    await expect(verifyLicenceFile(h.api, res.body.licenceFile, licence.product.code)).resolves.toBeDefined();
    await h.services.prisma.signingKey.update({ where: { kid: protectedHeader.kid }, data: { retiredAt: new Date(Date.now() - 250 * 86_400_000) } });
    signer.loadedAt = 0;
    await expect(verifyLicenceFile(h.api, res.body.licenceFile, licence.product.code)).rejects.toThrow();
  });

  it('carries the service\'s key set after the licence: one line per published key, each signed by that key, so an air-gapped PC learns a rotated key', async () => {
    await h.api.get('/.well-known/jwks.json').expect(200); // the first key exists before it is rotated
    await h.api.post('/v1/signing-keys/actions/rotate').set(h.auth(admin)).send({}).expect(200);
    const jwks = (await h.api.get('/.well-known/jwks.json').expect(200)).body as { keys: Array<{ kid: string }> };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2);
    const licence = await buildLicence(h);
    const { res } = await activate(licence);
    expect(res.status).toBe(201);
    const { protectedHeader } = await verifyLicenceFile(h.api, res.body.licenceFile, licence.product.code);
    expect(protectedHeader.kid).toBe(jwks.keys[0]!.kid); // the newest key signs

    const lines = await verifyKeySetLines(h.api, res.body.licenceFile);
    expect(lines.map((l) => l.header.kid).sort()).toEqual(jwks.keys.map((k) => k.kid).sort());
    for (const { header, payload } of lines) {
      expect(header).toEqual({ alg: 'EdDSA', kid: expect.any(String), typ: 'nomina-jwks+jwt' });
      expect(payload).toEqual({ iss: 'nomina', iat: expect.any(Number), keys: jwks.keys });
    }
    expect(new Set(lines.map((l) => l.payload.iat)).size).toBe(1); // one key set, signed once per key
    // Each line is one signature of the General JWS served at /.well-known/jwks.signed, in compact form: same protected headers.
    const general = (await h.api.get('/.well-known/jwks.signed').expect(200)).body as { signatures: Array<{ protected: string }> };
    const protectedHeaders = (res.body.licenceFile as string).split('\n').slice(1).map((line) => line.split('.')[0]);
    expect(protectedHeaders.sort()).toEqual(general.signatures.map((s) => s.protected).sort());
  });

  it('renews for a known PC: same seat, newDevice false, a new licence file', async () => {
    const licence = await buildLicence(h, { policy: { maxMachines: 1 } });
    const pc = anOfflinePc();
    const first = (await activate(licence, pc)).res;
    const second = (await activate(licence, pc)).res;
    expect(second.status).toBe(201);
    expect(second.body).toMatchObject({ deviceId: first.body.deviceId, newDevice: false });
    const a = await verifyLicenceFile(h.api, first.body.licenceFile, licence.product.code);
    const b = await verifyLicenceFile(h.api, second.body.licenceFile, licence.product.code);
    expect(b.payload.jti).not.toBe(a.payload.jti);
    expect((await h.services.prisma.device.findUniqueOrThrow({ where: { id: first.body.deviceId } })).offlineActivationId).toBe(b.payload.jti);
  });
});

describe('POST /v1/offline-activations (support, admin, API key)', () => {
  it('needs a reason from staff (400 pointing at /reason), seals it into the audit entry as its purpose', async () => {
    const licence = await buildLicence(h);
    const request = activationRequest(anOfflinePc(), licence.key, licence.product.code);
    const missing = await asStaff(support, { request });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([{ pointer: '/reason', detail: expect.any(String) }]);
    expect((await asStaff(support, { request, reason: 'short' })).body.errors[0].pointer).toBe('/reason');

    const res = await asStaff(support, { request, reason: REASON });
    expect(res.status).toBe(201);
    const entry = await h.audit.findFirstOrThrow({ where: { action: 'offline_activation.issued', resourceId: res.body.deviceId } });
    expect(entry).toMatchObject({ actorType: 'staff', subjectId: licence.holderId, purpose: REASON });
    const stored = await h.services.prisma.auditEntry.findUniqueOrThrow({ where: { seq: entry.seq } });
    expect([stored.purpose, stored.details].join(' ')).not.toContain('SUP-4711');
    // The holder sees who did it and why, in words.
    const log = await h.api.get('/v1/privacy/me/access-log').set(h.auth(await holderToken(licence.holderId))).expect(200);
    expect(log.body.items).toContainEqual(expect.objectContaining({
      action: 'offline_activation.issued', purpose: REASON, who: expect.objectContaining({ type: 'staff', roles: ['support'] }),
      what: { en: expect.stringContaining('without network'), nl: expect.stringContaining('zonder netwerk') },
    }));
  });

  it('works for admin, and for an API key with offline:activate without a reason; refuses a key without the scope', async () => {
    const licence = await buildLicence(h, { policy: { maxMachines: 5 } });
    expect((await asStaff(admin, { request: activationRequest(anOfflinePc(), licence.key, licence.product.code), reason: REASON })).status).toBe(201);
    const byKey = await asStaff(portalKey, { request: activationRequest(anOfflinePc(), licence.key, licence.product.code) });
    expect(byKey.status).toBe(201);
    const entry = await h.audit.findFirstOrThrow({ where: { action: 'offline_activation.issued', resourceId: byKey.body.deviceId } });
    expect(entry).toMatchObject({ actorType: 'api_key', subjectId: licence.holderId });
    expect((await asStaff(otherKey, { request: activationRequest(anOfflinePc(), licence.key, licence.product.code) })).status).toBe(403);
  });

  it('refuses an unknown key with 422 NOT_FOUND', async () => {
    const licence = await buildLicence(h);
    const res = await asStaff(portalKey, { request: activationRequest(anOfflinePc(), `${licence.product.code}-AAAAA-BBBBB-CCCCC-DDDDD-EEEEE`, licence.product.code) });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('NOT_FOUND');
  });

  it('shows offline devices as such in the staff device view, the holder export, and online once seen online', async () => {
    const licence = await buildLicence(h);
    const pc = anOfflinePc();
    const res = (await activate(licence, pc)).res;
    const devices = await h.api.get(`/v1/licences/${licence.licence.id}/devices`).set(h.auth(admin)).expect(200);
    expect(devices.body.items).toEqual([expect.objectContaining({ id: res.body.deviceId, activationMode: 'offline', offlineExpiresAt: res.body.expiresAt })]);
    const exported = await h.api.get('/v1/privacy/me/export').set(h.auth(await holderToken(licence.holderId))).expect(200);
    expect(exported.body.data.devices.items).toEqual([expect.objectContaining({ id: res.body.deviceId, activationMode: 'offline', offlineExpiresAt: res.body.expiresAt })]);

    // The same PC reaches the service one day: it is an online device from then on.
    const online = await validate(h, validateBody(licence.key, licence.product.code, pc.device)).expect(200);
    expect(online.body).toMatchObject({ code: 'VALID', device: { id: res.body.deviceId, new: false } });
    expect((await h.services.prisma.device.findUniqueOrThrow({ where: { id: res.body.deviceId } })).activationMode).toBe('online');
  });
});

describe('the machine limit counts offline activations', () => {
  it('two online + one offline on a 2-machine licence: the third is refused, and the other way round', async () => {
    const licence = await buildLicence(h, { policy: { maxMachines: 2 } });
    await validate(h, validateBody(licence.key, licence.product.code, aDevice())).expect(200);
    await validate(h, validateBody(licence.key, licence.product.code, aDevice())).expect(200);
    const refused = (await activate(licence)).res;
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('TOO_MANY_MACHINES');

    const other = await buildLicence(h, { policy: { maxMachines: 2 } });
    expect((await activate(other)).res.status).toBe(201);
    await validate(h, validateBody(other.key, other.product.code, aDevice())).expect(200);
    expect((await validate(h, validateBody(other.key, other.product.code, aDevice()))).body.code).toBe('TOO_MANY_MACHINES');
  });

  it('under concurrency: parallel offline activations and validations never take more than maxMachines seats', async () => {
    for (let round = 0; round < 3; round++) {
      const licence = await buildLicence(h, { policy: { maxMachines: 2 } });
      const attempts = [
        ...Array.from({ length: 4 }, () => activate(licence).then(({ res }) => ({ ok: res.status === 201, status: res.status, code: res.body.code }))),
        ...Array.from({ length: 4 }, () => validate(h, validateBody(licence.key, licence.product.code, aDevice())).then((res) => ({ ok: res.body.code === 'VALID', status: res.status, code: res.body.code }))),
      ];
      const results = await Promise.all(attempts);
      expect(results.filter((r) => r.ok)).toHaveLength(2);
      for (const r of results.filter((x) => !x.ok)) expect(r.code).toBe('TOO_MANY_MACHINES');
      expect(await h.services.prisma.device.count({ where: { licenceId: licence.licence.id, releasedAt: null } })).toBe(2);
    }
  });
});

describe('fraud observations', () => {
  it('observes offline activations like validations: refused extra PCs open a device fan-out alert; no clock-drift from an old request', async () => {
    const licence = await buildLicence(h, { policy: { maxMachines: 1 } });
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString();
    for (let i = 0; i < 3; i++) await activate(licence, anOfflinePc(), { createdAt: twoDaysAgo });
    await drainFraudEvaluations(h.services);
    expect(await h.services.prisma.fraudObservation.count({ where: { licenceId: licence.licence.id, kind: 'machine' } })).toBe(3);
    const alerts = await h.services.prisma.fraudAlert.findMany({ where: { licenceId: licence.licence.id } });
    expect(alerts.map((a) => a.signal)).toEqual(['device_fanout']);
  });
});

describe('release files', () => {
  async function activated(policy: Record<string, number> = {}) {
    const licence = await buildLicence(h, { policy: { maxMachines: 1, ...policy } });
    const pc = anOfflinePc();
    const res = (await activate(licence, pc)).res;
    expect(res.status).toBe(201);
    const { payload } = await verifyLicenceFile(h.api, res.body.licenceFile, licence.product.code);
    const claims = { lic: licence.licence.id, dev: res.body.deviceId as string, act: payload.jti!, product: licence.product.code };
    return { licence, pc, claims, deviceId: res.body.deviceId as string };
  }
  const holderRelease = async (contactId: string, release: string) => h.api.post('/v1/privacy/me/offline-releases').set(h.auth(await holderToken(contactId))).send({ release });

  it('frees the seat once; a replay is 409 RELEASE_ALREADY_USED', async () => {
    const { licence, pc, claims, deviceId } = await activated();
    const release = await releaseFile(pc, claims);
    const res = await holderRelease(licence.holderId, release);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ licenceId: licence.licence.id, deviceId, releasedAt: expect.any(String) });
    expect(await h.services.prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).toMatchObject({ releasedBy: 'subject', offlineActivationId: null });
    expect(await h.audit.findFirst({ where: { action: 'offline_release.accepted', resourceId: deviceId } })).toMatchObject({ actorType: 'subject', subjectId: licence.holderId });
    // The seat is free for another PC.
    expect((await validate(h, validateBody(licence.key, licence.product.code, aDevice()))).body.code).toBe('VALID');

    const replay = await holderRelease(licence.holderId, release);
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('RELEASE_ALREADY_USED');
  });

  it('refuses the holder\'s release button for a PC whose licence file still runs (409 OFFLINE_RELEASE_NEEDS_FILE); staff can still release a lost PC', async () => {
    const { licence, deviceId } = await activated();
    const button = await h.api.post(`/v1/privacy/me/devices/${deviceId}/release`).set(h.auth(await holderToken(licence.holderId)));
    expect(button.status).toBe(409);
    expect(button.body.code).toBe('OFFLINE_RELEASE_NEEDS_FILE');
    expect(await h.services.prisma.device.findUniqueOrThrow({ where: { id: deviceId } })).toMatchObject({ releasedAt: null });
    // A lost PC: the licence's administrator releases it, as for any device.
    const staff = await h.api.post(`/v1/licences/${licence.licence.id}/devices/${deviceId}/actions/release`).set(h.auth(support)).send({});
    expect(staff.status).toBe(200);
    // Once its file has expired the PC stops by itself: the holder's button works again.
    const later = await activated();
    await h.services.prisma.device.update({ where: { id: later.deviceId }, data: { offlineExpiresAt: new Date(Date.now() - 1000) } });
    expect((await h.api.post(`/v1/privacy/me/devices/${later.deviceId}/release`).set(h.auth(await holderToken(later.licence.holderId)))).status).toBe(200);
  });

  it('frees the seat once when the same release file is uploaded several times at once', async () => {
    const { licence, pc, claims } = await activated({ transfersPer30Days: 10 });
    const release = await releaseFile(pc, claims);
    const token = await holderToken(licence.holderId);
    const answers = await Promise.all(Array.from({ length: 5 }, () => h.api.post('/v1/privacy/me/offline-releases').set(h.auth(token)).send({ release })));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await h.services.prisma.auditEntry.count({ where: { action: 'offline_release.accepted', resourceId: claims.dev } })).toBe(1);
  });

  it('refuses a release for a licence file that was since renewed (409), one not signed by the device key (422), and another holder\'s device (404)', async () => {
    const { licence, pc, claims } = await activated();
    const stale = await releaseFile(pc, claims);
    await activate(licence, pc); // renewal: a new jti
    expect((await holderRelease(licence.holderId, stale)).body.code).toBe('RELEASE_ALREADY_USED');

    const current = (await h.services.prisma.device.findUniqueOrThrow({ where: { id: claims.dev } })).offlineActivationId!;
    const forged = await releaseFile(anOfflinePc(), { ...claims, act: current });
    const res = await holderRelease(licence.holderId, forged);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('RELEASE_INVALID');
    expect((await holderRelease(licence.holderId, await releaseFile(pc, { ...claims, act: current }, 'JWT'))).body.code).toBe('RELEASE_INVALID');
    const stranger = await buildContact(h);
    expect((await holderRelease(stranger.id, await releaseFile(pc, { ...claims, act: current }))).status).toBe(404);
    expect((await holderRelease(licence.holderId, 'not.a.jws')).status).toBe(400);
    expect((await h.services.prisma.device.findUniqueOrThrow({ where: { id: claims.dev } })).releasedAt).toBeNull();
  });

  it('by staff with a reason and by an API key; within the transfer budget', async () => {
    const a = await activated({ transfersPer30Days: 1, maxMachines: 3 });
    const staffRes = await h.api.post('/v1/offline-releases').set(h.auth(support)).send({ release: await releaseFile(a.pc, a.claims) });
    expect(staffRes.status).toBe(400);
    expect(staffRes.body.errors[0].pointer).toBe('/reason');
    const ok = await h.api.post('/v1/offline-releases').set(h.auth(support)).send({ release: await releaseFile(a.pc, a.claims), reason: REASON });
    expect(ok.status).toBe(200);
    expect(await h.audit.findFirst({ where: { action: 'offline_release.accepted', resourceId: a.deviceId } })).toMatchObject({ actorType: 'staff', purpose: REASON });

    // A second PC on the same licence: the budget of 1 is spent.
    const pc2 = anOfflinePc();
    const second = (await activate(a.licence, pc2)).res;
    const { payload } = await verifyLicenceFile(h.api, second.body.licenceFile, a.licence.product.code);
    const byKey = await h.api.post('/v1/offline-releases').set(h.auth(portalKey))
      .send({ release: await releaseFile(pc2, { ...a.claims, dev: second.body.deviceId, act: payload.jti! }) });
    expect(byKey.status).toBe(409);
    expect(byKey.body.code).toBe('TRANSFER_BUDGET_EXHAUSTED');

    const b = await activated();
    const keyOk = await h.api.post('/v1/offline-releases').set(h.auth(portalKey)).send({ release: await releaseFile(b.pc, b.claims) });
    expect(keyOk.status).toBe(200);
    expect((await h.services.prisma.device.findUniqueOrThrow({ where: { id: b.deviceId } })).releasedBy).toMatch(/^api_key:/);
  });
});
