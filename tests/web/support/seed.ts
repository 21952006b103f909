/**
 * A licence holder's world, built only through the public API as the vendor's staff and the
 * desktop application would: staff API (bootstrap admin) for the organisation, holder, product,
 * policy and licence; POST /v1/validate for the computers (one with a wrong clock, which opens a
 * fraud alert); POST /v1/telemetry for usage.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RunningService } from './service-process';

export interface HolderWorld {
  email: string; firstName: string; lastName: string; organisation: string; productCode: string;
  licenceId: string; key: string; pcNames: string[]; licenceToken: string; alertId: string;
}

async function call(service: RunningService, method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${service.url}${path}`, {
    method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  return { status: res.status, body: json };
}

async function expectStatus(promise: ReturnType<typeof call>, status: number) {
  const res = await promise;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

const mac = () => ['00', ...Array.from({ length: 5 }, () => randomBytes(1).toString('hex'))].join(':').toUpperCase();

export function validateBody(key: string, product: string, pcName: string, extra: Record<string, unknown> = {}) {
  return {
    key, product, device: { ntUsername: 'lclaes', ntDomain: 'LEUVEN', pcName, macAddresses: [mac()] },
    app: { version: '5.2.1', os: 'Windows 11 23H2' }, nonce: randomBytes(12).toString('base64url'), clientTime: new Date().toISOString(), ...extra,
  };
}

export function sendTelemetry(service: RunningService, licenceToken: string, at: Date[]) {
  return call(service, 'POST', '/v1/telemetry', {
    batchId: randomUUID(), app: { version: '5.2.1', os: 'Windows 11 23H2' },
    events: at.map((d, i) => ({ type: i % 2 === 0 ? 'session_start' : 'feature', name: i % 2 === 0 ? 'app' : 'export.pdf', at: d.toISOString(), durationMs: 0, props: {} })),
  }, licenceToken);
}

export async function seedHolder(service: RunningService): Promise<HolderWorld> {
  const { token } = await expectStatus(call(service, 'POST', '/v1/staff/sessions', service.admin), 200);
  const suffix = randomBytes(3).toString('hex');
  const organisation = `Stad Leuven ${suffix}`;
  const customer = await expectStatus(call(service, 'POST', '/v1/customers', { name: organisation, country: 'BE', agreementStartsAt: '2026-01-01T00:00:00Z' }, token), 201);
  const email = `lies.claes.${suffix}@leuven.test`;
  const holder = await expectStatus(call(service, 'POST', '/v1/contacts', {
    customerId: customer.id, firstName: 'Lies', lastName: 'Claes', email, roles: ['licence_holder'], jobTitle: 'Stedenbouwkundige', phone: '+32 16 27 20 00',
  }, token), 201);
  const productCode = `LVN${suffix.toUpperCase()}`.slice(0, 8);
  const product = await expectStatus(call(service, 'POST', '/v1/products', { code: productCode, name: 'Leuven Planner' }, token), 201);
  const policy = await expectStatus(call(service, 'POST', '/v1/policies', { productId: product.id, name: 'Named user', maxMachines: 3, maxUsers: 1, transfersPer30Days: 2 }, token), 201);
  const licence = await expectStatus(call(service, 'POST', '/v1/licences', { policyId: policy.id, holderId: holder.id }, token), 201);

  const pcNames = [`LT-LIES-${suffix}`.toUpperCase(), `PC-HOME-${suffix}`.toUpperCase()];
  const first = await expectStatus(call(service, 'POST', '/v1/validate', validateBody(licence.key, productCode, pcNames[0])), 200);
  if (!first.valid) throw new Error(`validation refused: ${JSON.stringify(first)}`);
  // The second computer's clock is three hours behind: the clock-drift signal opens an alert.
  const threeHoursAgo = new Date(Date.now() - 3 * 3600_000).toISOString();
  await expectStatus(call(service, 'POST', '/v1/validate', validateBody(licence.key, productCode, pcNames[1], { clientTime: threeHoursAgo })), 200);

  const now = Date.now();
  const usage = await sendTelemetry(service, first.token, [new Date(now - 20 * 86_400_000), new Date(now - 20 * 86_400_000 + 60_000), new Date(now - 60_000), new Date(now - 30_000), new Date(now - 10_000)]);
  if (usage.status !== 202 || usage.body.accepted !== 5) throw new Error(`telemetry not accepted: ${JSON.stringify(usage.body)}`);

  // Support staff open the licence for a ticket: the holder sees it as "Support staff", with the purpose.
  const support = { email: `support.${suffix}@vendor.test`, password: `pw-${randomBytes(12).toString('base64url')}` };
  await expectStatus(call(service, 'POST', '/v1/staff', { ...support, roles: ['support'] }, token), 201);
  const supportToken = (await expectStatus(call(service, 'POST', '/v1/staff/sessions', support), 200)).token;
  await expectStatus(call(service, 'GET', `/v1/licences/${licence.id}`, undefined, supportToken, { 'X-Purpose': 'ticket SUP-2211: licence moved to a new laptop' }), 200);

  let alertId: string | undefined;
  // Fraud evaluation runs after the answer, at most once per licence per few seconds (src/fraud/fraud-runtime.ts).
  for (let i = 0; i < 200 && !alertId; i += 1) {
    const alerts = await expectStatus(call(service, 'GET', `/v1/fraud/alerts?licenceId=${licence.id}`, undefined, token, { 'X-Purpose': 'seed check' }), 200);
    alertId = (alerts.items ?? alerts)[0]?.id;
    if (!alertId) await new Promise((r) => setTimeout(r, 100));
  }
  if (!alertId) throw new Error('no fraud alert was opened');
  return { email, firstName: 'Lies', lastName: 'Claes', organisation, productCode, licenceId: licence.id, key: licence.key, pcNames, licenceToken: first.token, alertId };
}
