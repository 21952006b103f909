/**
 * Restriction and objection stop telemetry end to end: the holder objects through self-service,
 * the next validation tells the SDK `telemetry: "off"` while the licence stays valid, and events
 * that still arrive are dropped; the privacy officer's lifting turns it back on.
 */
import { createHarness, type Harness } from '../support/harness';
import { batch, buildTelemetryWorld, event, type TelemetryWorld } from '../telemetry/telemetry-world';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

let h: Harness;
let dpo: string;
beforeAll(async () => { h = await createHarness(); dpo = await h.login('privacy_officer'); });
afterAll(() => h.close());

const subjectToken = async (w: TelemetryWorld) => (await h.services.sessions.issueSubject(w.holderId, 900)).token;
const sendTelemetry = (w: TelemetryWorld) => h.api.post('/v1/telemetry').set(h.auth(w.token)).send(batch([event(), event()]));

describe.each([
  ['an objection to telemetry', { type: 'objection', scope: ['telemetry'] }, { objections: { telemetry: false } }],
  ['a restriction of processing', { type: 'restriction', reason: 'contesting accuracy' }, { restricted: false }],
])('%s', (_name, request, lift) => {
  it('turns telemetry off at the next validation, drops what still arrives, keeps the licence valid, and is reversible by the privacy officer', async () => {
    const w = await buildTelemetryWorld(h);
    const device = aDevice();
    const before = await validate(h, validateBody(w.key, w.productCode, device));
    expect(before.body).toMatchObject({ valid: true, telemetry: 'on' });
    expect((await sendTelemetry(w)).body).toMatchObject({ accepted: 2 });

    await h.api.post('/v1/privacy/me/requests').set(h.auth(await subjectToken(w))).send(request).expect(201);
    const after = await validate(h, validateBody(w.key, w.productCode, device));
    expect(after.body).toMatchObject({ valid: true, code: 'VALID', telemetry: 'off' });
    expect((await sendTelemetry(w)).body).toMatchObject({ accepted: 0, telemetry: 'off' });
    expect(await h.services.prisma.telemetryEvent.count({ where: { productId: w.productId } })).toBe(2);

    await h.api.patch(`/v1/privacy/subjects/${w.holderId}/processing`).set(h.auth(dpo)).send(lift).expect(200);
    expect((await validate(h, validateBody(w.key, w.productCode, device))).body).toMatchObject({ telemetry: 'on' });
    expect((await sendTelemetry(w)).body).toMatchObject({ accepted: 2 });
  });
});
