/**
 * A world built only through the public API of a running service, as a vendor's staff and a
 * licence holder would build it: staff accounts created by the bootstrap admin, a customer, a
 * holder, a product, a policy and a licence; a holder's session from the code mailed to them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { codeFrom, type TestMailServer } from '../../privacy/support/mail-server';
import type { ServiceProcess } from '../../support/service-process';
import { aDevice, validateBody, type DeviceInput } from '../../validation/validate-helpers';

export interface StaffTokens { admin: string; support: string; privacyOfficer: string; auditor: string }

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Fails with the whole answer, so a journey's failure shows what the service said. */
export function expectStatus(res: Response, ...statuses: number[]): Response {
  if (!statuses.includes(res.status)) {
    const req = (res as unknown as { req?: { method: string; path: string } }).req;
    throw new Error(`${req?.method} ${req?.path} answered ${res.status}, expected ${statuses.join(' or ')}: ${res.text.slice(0, 2000)}`);
  }
  return res;
}

export async function signIn(service: ServiceProcess, email: string, password: string): Promise<string> {
  const res = expectStatus(await service.api.post('/v1/staff/sessions').send({ email, password }), 200);
  return res.body.token as string;
}

/** The bootstrap admin signs in and creates one staff user per role, who each sign in. */
export async function staffTeam(service: ServiceProcess): Promise<StaffTokens> {
  const admin = await signIn(service, service.admin.email, service.admin.password);
  const member = async (role: string) => {
    const email = `${role}.${randomBytes(4).toString('hex')}@vendor.test`;
    const password = `pw-${randomBytes(12).toString('base64url')}`;
    expectStatus(await service.api.post('/v1/staff').set(bearer(admin)).send({ email, password, roles: [role] }), 201);
    return signIn(service, email, password);
  };
  return { admin, support: await member('support'), privacyOfficer: await member('privacy_officer'), auditor: await member('auditor') };
}

export interface LicenceWorld {
  customerId: string;
  contactId: string;
  email: string;
  lastName: string;
  productId: string;
  productCode: string;
  policyId: string;
  licenceId: string;
  key: string;
}

const unique = () => randomBytes(4).toString('hex');

export async function buildCustomerOverHttp(service: ServiceProcess, admin: string, agreementEndsAt?: Date): Promise<string> {
  const res = await service.api.post('/v1/customers').set(bearer(admin)).send({
    name: `Gemeente ${unique()}`, country: 'BE', agreementStartsAt: '2020-01-01T00:00:00.000Z', ...(agreementEndsAt ? { agreementEndsAt: agreementEndsAt.toISOString() } : {}),
  });
  return expectStatus(res, 201).body.id as string;
}

export async function buildHolderOverHttp(service: ServiceProcess, admin: string, customerId: string) {
  const id = unique();
  const email = `holder.${id}@gemeente.test`;
  const lastName = `Vermeulen${id}`;
  const res = await service.api.post('/v1/contacts').set(bearer(admin)).send({
    customerId, firstName: 'Griet', lastName, email, phone: '+32 2 123 45 67', address: 'Grote Markt 1, 1000 Brussel', roles: ['licence_holder'],
  });
  return { contactId: expectStatus(res, 201).body.id as string, email, lastName };
}

/** A customer, a holder, a product, a policy and a licence, all created by staff over HTTP. */
export async function buildLicenceOverHttp(service: ServiceProcess, admin: string, options: {
  maxMachines?: number; agreementEndsAt?: Date; validUntil?: Date; customerId?: string; policy?: Record<string, unknown>;
} = {}): Promise<LicenceWorld> {
  const customerId = options.customerId ?? await buildCustomerOverHttp(service, admin, options.agreementEndsAt);
  const holder = await buildHolderOverHttp(service, admin, customerId);
  const productCode = `J${unique().toUpperCase().slice(0, 6)}`;
  const product = expectStatus(await service.api.post('/v1/products').set(bearer(admin)).send({ code: productCode, name: `Journey ${productCode}` }), 201);
  const policy = expectStatus(await service.api.post('/v1/policies').set(bearer(admin)).send({
    productId: product.body.id, name: 'Standard', maxMachines: options.maxMachines ?? 2, maxUsers: 1, ...options.policy,
  }), 201);
  const licence = expectStatus(await service.api.post('/v1/licences').set(bearer(admin)).send({
    policyId: policy.body.id, holderId: holder.contactId,
    ...(options.validUntil ? { validFrom: new Date(options.validUntil.getTime() - 365 * 86_400_000).toISOString(), validUntil: options.validUntil.toISOString() } : {}),
  }), 201);
  return {
    customerId, ...holder, productId: product.body.id, productCode, policyId: policy.body.id, licenceId: licence.body.id, key: licence.body.key,
  };
}

let addressSeq = 0;
/** A client address per call (behind the loopback proxy), so per-address limits of one PC do not reach another. */
export const clientAddress = () => `10.77.${(addressSeq >> 8) % 250}.${(addressSeq++ % 250) + 1}`;

export async function validateOverHttp(service: ServiceProcess, w: LicenceWorld, device: DeviceInput = aDevice()) {
  return service.api.post('/v1/validate').set('X-Forwarded-For', clientAddress()).send(validateBody(w.key, w.productCode, device));
}

/** The holder proves who they are with the code mailed to them, as on the privacy page. */
export async function subjectSession(service: ServiceProcess, mail: TestMailServer, email: string): Promise<string> {
  const before = mail.mails.length;
  expectStatus(await service.api.post('/v1/privacy/verification').send({ email }), 202);
  const received = await mail.waitFor(email, (m) => mail.mails.indexOf(m) >= before, 20_000);
  const res = expectStatus(await service.api.post('/v1/privacy/sessions').send({ email, code: codeFrom(received) }), 200);
  return res.body.token as string;
}

export function telemetryBatch(count: number, at = new Date()) {
  return {
    batchId: randomUUID(), app: { version: '5.2.1', os: 'Windows 11 23H2' },
    events: Array.from({ length: count }, (_, i) => ({ type: 'feature', name: `feature.${i % 5}`, at: new Date(at.getTime() - i * 1000).toISOString(), durationMs: 100 + i })),
  };
}
