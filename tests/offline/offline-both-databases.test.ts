/**
 * The main road of an air-gapped activation, through HTTP, on both databases: PostgreSQL and the
 * embedded one (one session only: the activation's transaction must use nothing but its own).
 */
import { createApiKey } from '../../src/api-keys/create-api-key';
import { createStaffUser } from '../../src/staff/create-staff-user';
import { buildLicence } from '../support/factories';
import { createEmbeddedHarness } from '../support/embedded-harness';
import { createHarness, type Harness } from '../support/harness';
import { activationRequest, anOfflinePc, releaseFile, requestText, verifyLicenceFile } from '../support/offline-files';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

jest.setTimeout(60_000);

type World = Harness;
const postgres = createHarness;
const embedded = createEmbeddedHarness;

describe.each([['PostgreSQL', postgres], ['the embedded database', embedded]] as const)('offline activation on %s', (_label, open) => {
  let w: World;
  beforeAll(async () => { w = await open(); }, 60_000);
  afterAll(() => w?.close());

  it('request (text form) → licence file by the holder and by an API key → machine limit shared with online → release once', async () => {
    const h = w;
    const licence = await buildLicence(h, { policy: { maxMachines: 2, offlineLicenceDays: 30 } });
    const holder = (await w.services.sessions.issueSubject(licence.holderId, 900)).token;
    const admin = await createStaffUser(w.services.prisma, { email: `admin.${Date.now()}@vendor.test`, password: 'pw-offline-both-1', roles: ['admin'] });
    const portal = (await createApiKey(w.services, { name: 'portal', scopes: ['offline:activate'], rateLimitPerMinute: 1000 }, admin.id, { type: 'system' }, 'test')).key;

    const pc = anOfflinePc();
    const byHolder = await w.api.post('/v1/privacy/me/offline-activations').set(w.auth(holder))
      .send({ request: requestText(activationRequest(pc, licence.key, licence.product.code)) });
    expect(byHolder.status).toBe(201);
    const { payload } = await verifyLicenceFile(w.api, byHolder.body.licenceFile, licence.product.code);
    expect(payload).toMatchObject({ mode: 'offline', dev: byHolder.body.deviceId, cnf: { jwk: pc.publicJwk } });

    const pc2 = anOfflinePc();
    const byKey = await w.api.post('/v1/offline-activations').set(w.auth(portal)).send({ request: activationRequest(pc2, licence.key, licence.product.code) });
    expect(byKey.status).toBe(201);
    // Two seats taken offline: an online PC finds none.
    expect((await validate(h, validateBody(licence.key, licence.product.code, aDevice()))).body.code).toBe('TOO_MANY_MACHINES');

    const release = await releaseFile(pc, { lic: licence.licence.id, dev: byHolder.body.deviceId, act: payload.jti!, product: licence.product.code });
    expect((await w.api.post('/v1/privacy/me/offline-releases').set(w.auth(holder)).send({ release })).status).toBe(200);
    const replay = await w.api.post('/v1/offline-releases').set(w.auth(portal)).send({ release });
    expect(replay.status).toBe(409);
    expect(replay.body.code).toBe('RELEASE_ALREADY_USED');
    expect((await validate(h, validateBody(licence.key, licence.product.code, aDevice()))).body.code).toBe('VALID');
    expect(await w.services.prisma.device.count({ where: { licenceId: licence.licence.id, releasedAt: null } })).toBe(2);
  });
});
