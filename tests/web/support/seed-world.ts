/**
 * What the journeys need, created through the public API: staff of each role, an organisation,
 * holders, a product and policy, licences with devices (validated as the SDK would), a fraud
 * alert (three machines on a two-machine licence) and an erasure request.
 */
import { randomUUID } from 'node:crypto';
import { ADMIN, ApiClient } from './console-service';

export interface World {
  staff: Record<'support' | 'privacy_officer' | 'auditor', { email: string; password: string }>;
  supportLicence: { id: string; key: string; holderLastName: string; pcName: string };
  erasureRequestId: string;
  productCode: string;
}

const device = (pcName: string, mac: string, user = 'rvdberg') => ({ ntUsername: user, ntDomain: 'LEUVEN', pcName, macAddresses: [mac] });

export async function seedWorld(baseUrl: string): Promise<World> {
  const admin = await ApiClient.signIn(baseUrl, ADMIN.email, ADMIN.password);
  const staff = {} as World['staff'];
  for (const role of ['support', 'privacy_officer', 'auditor'] as const) {
    const account = { email: `${role.replace('_', '.')}@vendor.test`, password: `${role}-password-long` };
    await admin.call('POST', '/v1/staff', { ...account, roles: [role] });
    staff[role] = account;
  }
  const customer = await admin.call<{ id: string }>('POST', '/v1/customers', { name: 'Stad Leuven', country: 'BE', agreementStartsAt: '2026-01-01T00:00:00Z' });
  const holder = await admin.call<{ id: string }>('POST', '/v1/contacts', { customerId: customer.id, firstName: 'Renée', lastName: 'Van der Berg', email: 'renee.vanderberg@leuven.test', roles: ['licence_holder'] });
  const other = await admin.call<{ id: string }>('POST', '/v1/contacts', { customerId: customer.id, firstName: 'Tom', lastName: 'Maes', email: 'tom.maes@leuven.test', roles: ['licence_holder'] });
  const leaver = await admin.call<{ id: string }>('POST', '/v1/contacts', { customerId: customer.id, firstName: 'Eva', lastName: 'Peeters', email: 'eva.peeters@leuven.test', roles: ['licence_holder'] });
  const productCode = `LV${randomUUID().replace(/[^0-9]/g, '').slice(0, 4)}`;
  const product = await admin.call<{ id: string }>('POST', '/v1/products', { code: productCode, name: 'Leuven Desktop' });
  const policy = await admin.call<{ id: string }>('POST', '/v1/policies', { productId: product.id, name: 'Standard', maxMachines: 2, maxUsers: 1 });
  const licence = await admin.call<{ id: string; key: string }>('POST', '/v1/licences', { policyId: policy.id, holderId: holder.id });
  const validate = (key: string, dev: ReturnType<typeof device>) => admin.call<{ code: string; token: string }>('POST', '/v1/validate', {
    key, product: productCode, device: dev, app: { version: '5.2.1', os: 'Windows 11 23H2' }, nonce: randomUUID(), clientTime: new Date().toISOString(),
  });
  const pcName = 'LAPTOP-RVDB';
  await validate(licence.key, device(pcName, '00:1A:2B:3C:4D:5E'));
  // Three machines on a two-machine licence: the third is refused and the device fan-out signal opens an alert.
  const shared = await admin.call<{ id: string; key: string }>('POST', '/v1/licences', { policyId: policy.id, holderId: other.id });
  for (const [i, mac] of ['00:1A:2B:3C:4D:60', '00:1A:2B:3C:4D:61', '00:1A:2B:3C:4D:62'].entries()) await validate(shared.key, device(`PC-MAES-${i}`, mac, 'tmaes'));
  // Fraud evaluation runs after the answer, at most once per licence per few seconds (src/fraud/fraud-runtime.ts):
  // the dashboard is only worth opening once the alert is there.
  await waitFor(async () => (await admin.call<{ items: unknown[] }>('GET', `/v1/fraud/alerts?licenceId=${shared.id}`)).items.length > 0, 'the device fan-out alert');
  // Usage from six holders: "export.pdf" used by all six is shown; "print", used by two, is suppressed (fewer than 5 users).
  for (let i = 0; i < 6; i++) {
    const user = await admin.call<{ id: string }>('POST', '/v1/contacts', { customerId: customer.id, firstName: `User${i}`, lastName: 'Telemetry', email: `user${i}@leuven.test`, roles: ['licence_holder'] });
    const issued = await admin.call<{ key: string }>('POST', '/v1/licences', { policyId: policy.id, holderId: user.id });
    const verdict = await validate(issued.key, device(`PC-USER-${i}`, `00:1A:2B:3C:5D:${String(10 + i).padStart(2, '0')}`, `user${i}`));
    const at = new Date().toISOString();
    const events = [{ type: 'feature', name: 'export.pdf', at }, ...(i < 2 ? [{ type: 'feature', name: 'print', at }] : [])];
    const res = await fetch(`${baseUrl}/v1/telemetry`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${verdict.token}` }, body: JSON.stringify({ batchId: randomUUID(), events }) });
    if (res.status !== 202) throw new Error(`telemetry → ${res.status}: ${await res.text()}`);
  }
  const dpo = await ApiClient.signIn(baseUrl, staff.privacy_officer.email, staff.privacy_officer.password);
  const request = await dpo.call<{ id: string }>('POST', '/v1/privacy/requests', { contactId: leaver.id, type: 'erasure', channel: 'letter', reason: 'I left the organisation.' });
  await dpo.call('POST', '/v1/breaches', {
    title: 'Laptop stolen from car', description: 'An unencrypted export on a stolen laptop.', awareAt: new Date(Date.now() - 50 * 3600_000).toISOString(),
    categories: ['contact_data'], approxSubjects: 12, approxRecords: 12, measures: 'Passwords reset; police report filed.',
  });
  return { staff, supportLicence: { id: licence.id, key: licence.key, holderLastName: 'Van der Berg', pcName }, erasureRequestId: request.id, productCode };
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not appear within ${timeoutMs / 1000} s`);
}
