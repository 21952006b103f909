/**
 * A licence holder with a real licence token, for telemetry tests: the licence is issued through
 * the licence use case and the token comes from POST /v1/validate, as the SDK gets it.
 */
import { randomUUID } from 'node:crypto';
import { buildContact, buildLicence } from '../support/factories';
import type { Harness } from '../support/harness';
import { aDevice, validate, validateBody } from '../validation/validate-helpers';

export interface TelemetryWorld {
  customerId: string;
  holderId: string;
  productId: string;
  productCode: string;
  policyId: string;
  licenceId: string;
  key: string;
  token: string;
}

export async function buildTelemetryWorld(h: Harness, options: { customerId?: string; productId?: string } = {}): Promise<TelemetryWorld> {
  const holderId = options.customerId ? (await buildContact(h, { customerId: options.customerId })).id : undefined;
  const { licence, key, policy, product } = await buildLicence(h, { productId: options.productId, holderId });
  const token = await validationToken(h, key, product.code);
  return {
    customerId: licence.customerId, holderId: licence.holderId, productId: product.id, productCode: product.code,
    policyId: policy.id, licenceId: licence.id, key, token,
  };
}

/** The token of a POST /v1/validate for `productCode` (another product's code gives a refusal's token). */
export async function validationToken(h: Harness, key: string, productCode: string, expectValid = true): Promise<string> {
  const res = await validate(h, validateBody(key, productCode, aDevice()));
  if (res.status !== 200 || typeof res.body.token !== 'string' || res.body.valid !== expectValid) {
    throw new Error(`validation did not give the expected token: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body.token as string;
}

let sequence = 0;
export function event(overrides: Record<string, unknown> = {}, at = new Date()) {
  sequence += 1;
  return { type: 'feature', name: `feature.${sequence % 3}`, at: at.toISOString(), durationMs: 100 + sequence, props: { count: sequence, ok: true }, ...overrides };
}

export function batch(events: unknown[], batchId: string = randomUUID()) {
  return { batchId, app: { version: '5.2.1', os: 'Windows 11 23H2' }, events };
}
