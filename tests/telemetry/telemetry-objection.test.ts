import { createHarness, type Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';
import { batch, buildTelemetryWorld, event, type TelemetryWorld } from './telemetry-world';

let h: Harness;
beforeAll(async () => { h = await createHarness(); });
afterAll(() => h.close());

const post = (w: TelemetryWorld, body: unknown) => h.api.post('/v1/telemetry').set(h.auth(w.token)).send(body as object);
const stored = async (w: TelemetryWorld) => h.services.prisma.telemetryEvent.count({ where: { productId: w.productId } });
const dropped = async (reason: string) => {
  const line = (await h.services.metrics.registry.metrics()).split('\n').find((l) => l.startsWith(`nomina_telemetry_dropped_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('telemetry of a holder who objected or is restricted, or under a policy without telemetry', () => {
  it.each([
    ['objected', (w: TelemetryWorld) => h.services.prisma.contact.update({ where: { id: w.holderId }, data: { telemetryObjectedAt: new Date() } })],
    ['restricted', (w: TelemetryWorld) => h.services.prisma.contact.update({ where: { id: w.holderId }, data: { restrictedAt: new Date() } })],
    ['policy_off', (w: TelemetryWorld) => h.services.prisma.policy.update({ where: { id: w.policyId }, data: { telemetry: 'off' } })],
  ])('answers 202 with nothing accepted and stores nothing (%s)', async (reason, switchOff) => {
    const w = await buildTelemetryWorld(h);
    expect((await post(w, batch([event()]))).body).toMatchObject({ accepted: 1 });
    await switchOff(w);
    const before = await dropped(reason);
    const body = batch([event(), event(), event()]);
    const res = await post(w, body);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 0, rejected: 0, duplicate: false, telemetry: 'off' });
    expect(await stored(w)).toBe(1);
    // Not even the batch id is kept.
    expect(await h.services.prisma.telemetryBatch.count({ where: { batchId: body.batchId } })).toBe(0);
    expect(await dropped(reason)).toBe(before + 3);
  });

  it('collects again once the objection is withdrawn', async () => {
    const w = await buildTelemetryWorld(h);
    await h.services.prisma.contact.update({ where: { id: w.holderId }, data: { telemetryObjectedAt: new Date() } });
    expect((await post(w, batch([event()]))).body).toMatchObject({ accepted: 0, telemetry: 'off' });
    await h.services.prisma.contact.update({ where: { id: w.holderId }, data: { telemetryObjectedAt: null } });
    expect((await post(w, batch([event()]))).body).toMatchObject({ accepted: 1, telemetry: 'on' });
    expect(await stored(w)).toBe(1);
  });
});

describe('objection and restriction end to end, through the subject self-service API', () => {
  const subjectRequest = async (w: TelemetryWorld, body: Record<string, unknown>) => {
    const { token } = await h.services.sessions.issueSubject(w.holderId, 900);
    return h.api.post('/v1/privacy/me/requests').set(h.auth(token)).send(body);
  };

  it.each([
    ['an objection to telemetry', { type: 'objection', scope: ['telemetry'] }],
    ['a restriction of processing', { type: 'restriction' }],
  ])('stops collection after %s, and validation tells the SDK telemetry: off', async (_label, request) => {
    const w = await buildTelemetryWorld(h);
    expect((await post(w, batch([event()]))).body).toMatchObject({ accepted: 1, telemetry: 'on' });
    expect((await subjectRequest(w, request)).status).toBe(201);
    // The token issued before the request still authenticates; the holder's choice is what counts.
    expect((await post(w, batch([event(), event()]))).body).toEqual({ accepted: 0, rejected: 0, duplicate: false, telemetry: 'off' });
    expect(await stored(w)).toBe(1);
    const revalidated = await validate(h, validateBody(w.key, w.productCode, aDevice()));
    expect(revalidated.body.telemetry).toBe('off');
  });
});
