import { z } from 'zod';
import { ProductCode } from '../catalogue/catalogue.schemas';
import { isoDate } from '../http/common-schemas';
import { DeviceBody } from '../devices/device-identity';
import { ValidationCode } from '../generated/prisma/enums';

const shortText = (max: number) => z.string().trim().max(max).refine((v) => !/[\u0000-\u001F\u007F]/.test(v), 'control characters are not allowed');

/**
 * POST /v1/validate (docs/public-contract.md). Unknown fields are ignored rather than refused: older servers
 * must keep answering newer SDKs, which may send more.
 */
export const ValidateBody = z.object({
  /** any string: a malformed key is a NOT_FOUND verdict, not a 400 */
  key: z.string().max(256),
  product: ProductCode,
  device: DeviceBody,
  app: z.object({ version: shortText(64).optional(), os: shortText(128).optional() }).optional(),
  nonce: z.string().min(8).max(128).regex(/^[\x21-\x7E]+$/, 'printable ASCII without spaces'),
  clientTime: isoDate.optional(),
  /** after DEVICE_RELEASED: take a seat again for this PC (counted against maxMachines) */
  activate: z.boolean().optional(),
});
export type ValidateBody = z.infer<typeof ValidateBody>;

/** The verdict (always 200, a refusal included): the SDK trusts the signed `token`, not this JSON. */
export const VerdictView = z.object({
  valid: z.boolean(),
  code: z.enum(Object.values(ValidationCode) as [ValidationCode, ...ValidationCode[]]),
  detail: z.string(),
  warnings: z.array(z.enum(['EXPIRING_SOON', 'UNDER_REVIEW'])),
  licence: z.object({ id: z.uuid(), status: z.enum(['active', 'suspended', 'revoked']), validUntil: z.iso.datetime().nullable(), entitlements: z.array(z.string()) }).nullable(),
  device: z.object({ id: z.uuid(), new: z.boolean() }).nullable(),
  telemetry: z.enum(['on', 'off']),
  token: z.string().nullable().describe('JWS (EdDSA) signed licence token; its exp ends the offline grace; verify with /.well-known/jwks.json'),
  ts: z.iso.datetime(),
  nonce: z.string(),
});

export const VALIDATE_EXAMPLE = {
  key: 'ACME-7KQ2M-XH4TB-9RZ3W-C8NDF-4PJ6W',
  product: 'ACME',
  device: { ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: 'LAPTOP-42', macAddresses: ['00:1A:2B:3C:4D:5E'] },
  app: { version: '5.2.1', os: 'Windows 11 23H2' },
  nonce: 'q3v9XlZ2bq1c8Qe7',
  clientTime: '2026-12-01T09:00:00.000+01:00',
};

export const VERDICT_EXAMPLE = {
  valid: true, code: 'VALID', detail: 'The licence is valid on this computer.', warnings: [],
  licence: { id: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', status: 'active', validUntil: '2027-12-01T09:00:00.000Z', entitlements: ['export-pdf'] },
  device: { id: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', new: true },
  telemetry: 'on',
  token: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjIwMjYtMTIiLCJ0eXAiOiJub21pbmEtbGljZW5jZStqd3QifQ.eyJ2YWxpZCI6dHJ1ZX0.c2lnbmF0dXJl',
  ts: '2026-12-01T08:00:00.412Z',
  nonce: 'q3v9XlZ2bq1c8Qe7',
};
