import { buildLicence } from '../support/factories';
import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from './validate-helpers';

let h: Harness;
let support: string;
beforeAll(async () => {
  h = await createHarness();
  support = await h.login('support');
});
afterAll(() => h.close());

const release = (token?: string) => {
  const req = h.api.post('/v1/devices/release');
  return token ? req.set('Authorization', `Bearer ${token}`) : req;
};

describe('POST /v1/devices/release (SDK, licence token)', () => {
  it('frees the seat: the PC then answers DEVICE_RELEASED, and activates again only when asked', async () => {
    const licence = await buildLicence(h, { policy: { maxMachines: 1 } });
    const pc = aDevice();
    const first = await validate(h, validateBody(licence.key, licence.product.code, pc)).expect(200);
    await release(first.body.token).expect(204);
    const device = await h.services.prisma.device.findUniqueOrThrow({ where: { id: first.body.device.id } });
    expect(device).toMatchObject({ releasedBy: 'sdk', releasedAt: expect.any(Date) });

    const again = await validate(h, validateBody(licence.key, licence.product.code, pc)).expect(200);
    expect(again.body).toMatchObject({ valid: false, code: 'DEVICE_RELEASED', device: { id: first.body.device.id, new: false } });
    // The freed seat is there for another PC …
    const other = await validate(h, validateBody(licence.key, licence.product.code, aDevice())).expect(200);
    expect(other.body).toMatchObject({ code: 'VALID', device: { new: true } });
    // … so re-activating the released one now finds no seat.
    const reactivate = await validate(h, validateBody(licence.key, licence.product.code, pc, { activate: true })).expect(200);
    expect(reactivate.body.code).toBe('TOO_MANY_MACHINES');

    const audit = await h.audit.findFirst({ where: { action: 'device.release', resourceId: first.body.device.id } });
    expect(audit).toMatchObject({ actorType: 'licence', actorId: licence.licence.id, subjectId: licence.holderId });
    expect((await h.api.get('/metrics')).text).toMatch(/nomina_device_releases_total\{by="sdk"\} 1/);
  });

  it('re-activates a released PC as a new device when the user asks and a seat is free', async () => {
    const licence = await buildLicence(h, { policy: { maxMachines: 1 } });
    const pc = aDevice();
    const first = await validate(h, validateBody(licence.key, licence.product.code, pc)).expect(200);
    await release(first.body.token).expect(204);
    const back = await validate(h, validateBody(licence.key, licence.product.code, pc, { activate: true })).expect(200);
    expect(back.body).toMatchObject({ code: 'VALID', device: { new: true } });
    expect(back.body.device.id).not.toBe(first.body.device.id);
    expect((await validate(h, validateBody(licence.key, licence.product.code, pc))).body).toMatchObject({ code: 'VALID', device: { id: back.body.device.id } });
  });

  it('is idempotent: releasing a released device answers 204 and spends no transfer', async () => {
    const licence = await buildLicence(h, { policy: { transfersPer30Days: 2, maxMachines: 2 } });
    const token = (await validate(h, validateBody(licence.key, licence.product.code, aDevice())).expect(200)).body.token;
    const other = (await validate(h, validateBody(licence.key, licence.product.code, aDevice())).expect(200)).body.token;
    await release(token).expect(204);
    await release(token).expect(204);
    // Had the repeat spent a transfer, the budget of 2 would now be exhausted.
    await release(other).expect(204);
    expect(await h.services.prisma.auditEntry.count({ where: { action: 'device.release', subjectId: licence.holderId } })).toBe(2);
  });

  it('enforces the transfer budget with a clear code and when the next transfer is possible', async () => {
    const licence = await buildLicence(h, { policy: { transfersPer30Days: 1, maxMachines: 3 } });
    const a = await validate(h, validateBody(licence.key, licence.product.code, aDevice())).expect(200);
    const b = await validate(h, validateBody(licence.key, licence.product.code, aDevice())).expect(200);
    await release(a.body.token).expect(204);
    const refused = await release(b.body.token).expect(409);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'TRANSFER_BUDGET_EXHAUSTED', nextTransferAt: expect.any(String) });
    expect(new Date(refused.body.nextTransferAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect((await h.services.prisma.device.findUniqueOrThrow({ where: { id: b.body.device.id } })).releasedAt).toBeNull();

    // Staff: refused too, unless they override — which is audited as such.
    const url = `/v1/licences/${licence.licence.id}/devices/${b.body.device.id}/actions/release`;
    expect((await h.api.post(url).set(h.auth(support)).send({ reason: 'new laptop' })).body.code).toBe('TRANSFER_BUDGET_EXHAUSTED');
    const overridden = await h.api.post(url).set(h.auth(support)).send({ reason: 'stolen laptop, ticket 9', overrideTransferBudget: true }).expect(200);
    expect(overridden.body).toMatchObject({ id: b.body.device.id, releasedAt: expect.any(String), releasedBy: `staff:${(await h.staffUser('support')).id}` });
    const audit = await h.audit.findFirst({ where: { action: 'device.release', resourceId: b.body.device.id } });
    expect(audit).toMatchObject({ actorType: 'staff', subjectId: licence.holderId });
  });

  it('refuses without a token, with a forged one, and with the token of a refusal', async () => {
    await release().expect(401);
    await release('not-a-token').expect(401);
    const licence = await buildLicence(h, { policy: { maxUsers: 1 } });
    const pc = aDevice({ ntUsername: 'owner' });
    await validate(h, validateBody(licence.key, licence.product.code, pc)).expect(200);
    // Someone else at the owner's PC gets USER_MISMATCH: that token must not release the owner's seat.
    const stranger = await validate(h, validateBody(licence.key, licence.product.code, { ...pc, ntUsername: 'stranger' })).expect(200);
    expect(stranger.body.code).toBe('USER_MISMATCH');
    const res = await release(stranger.body.token).expect(403);
    expect(res.body.code).toBe('LICENCE_NOT_USABLE');
    expect(await h.services.prisma.device.count({ where: { licenceId: licence.licence.id, releasedAt: null } })).toBe(1);
  });

  it('refuses the token of a licence suspended or revoked after the token was issued, and releases nothing', async () => {
    const admin = await h.login('admin');
    for (const action of ['suspend', 'revoke'] as const) {
      const licence = await buildLicence(h);
      const issued = await validate(h, validateBody(licence.key, licence.product.code, aDevice())).expect(200);
      expect(issued.body.code).toBe('VALID');
      await h.api.post(`/v1/licences/${licence.licence.id}/actions/${action}`).set(h.auth(admin)).send({ reason: 'test' }).expect(200);
      const res = await release(issued.body.token).expect(403);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.code).toBe('LICENCE_NOT_USABLE');
      expect(await h.services.prisma.device.count({ where: { licenceId: licence.licence.id, releasedAt: null } })).toBe(1);
    }
  });

  it("answers 404 for another licence's device on the staff route", async () => {
    const mine = await buildLicence(h);
    const theirs = await buildLicence(h);
    const device = (await validate(h, validateBody(theirs.key, theirs.product.code, aDevice())).expect(200)).body.device.id;
    await h.api.post(`/v1/licences/${mine.licence.id}/devices/${device}/actions/release`).set(h.auth(support)).send({}).expect(404);
  });
});
