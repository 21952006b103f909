/**
 * Checks a journey makes as an outsider would: a receipt against the published key set, the
 * audit trail read and verified by the people whose job it is.
 */
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import type { ServiceProcess } from '../../support/service-process';
import { bearer, expectStatus, type StaffTokens } from './journey-world';

/** Verifies a signed receipt with /.well-known/jwks.json only (what the subject or a court has). */
export async function verifyReceiptWithJwks(service: ServiceProcess, jws: string, typ: string): Promise<Record<string, unknown>> {
  const jwks = expectStatus(await service.api.get('/.well-known/jwks.json'), 200).body as JSONWebKeySet;
  expect(decodeProtectedHeader(jws)).toMatchObject({ alg: 'EdDSA', typ });
  const { payload } = await compactVerify(jws, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
  return JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown>;
}

/** The auditor and the privacy officer read the trail (all of it, and about `subjectId`), and it verifies. */
export async function expectAuditTrailReadable(service: ServiceProcess, staff: StaffTokens, subjectId?: string) {
  for (const token of [staff.auditor, staff.privacyOfficer]) {
    const all = expectStatus(await service.api.get('/v1/audit?limit=100').set(bearer(token)), 200);
    expect(all.body.items.length).toBeGreaterThan(0);
    if (subjectId) {
      const about = expectStatus(await service.api.get(`/v1/audit?subjectId=${subjectId}`).set(bearer(token)), 200);
      expect(about.body.items.length).toBeGreaterThan(0);
    }
  }
  const verified = expectStatus(await service.api.get('/v1/audit/verify').set(bearer(staff.auditor)), 200);
  expect(verified.body).toMatchObject({ ok: true });
  return verified.body as { ok: boolean; checked: number };
}

export async function auditActionsAbout(service: ServiceProcess, staff: StaffTokens, subjectId: string): Promise<string[]> {
  const res = expectStatus(await service.api.get(`/v1/audit?subjectId=${subjectId}&limit=500`).set(bearer(staff.auditor)), 200);
  return (res.body.items as { action: string }[]).map((e) => e.action);
}
