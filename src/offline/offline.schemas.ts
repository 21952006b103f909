/**
 * The files of an air-gapped activation (docs/offline-activation.md, the contract with the SDK) and
 * the bodies of the routes that take them. The request's key, product, device, app and nonce are
 * POST /v1/validate's own schemas: one set of limits for both roads.
 */
import { z } from 'zod';
import { isoDate } from '../http/common-schemas';
import { ValidateBody } from '../validation/validate.schemas';
import { decodeRequestText } from './request-text-form';

/** The device's public key: Ed25519 as a JWK. Only kty, crv and x are kept (a private `d` sent by mistake is dropped). */
export const DevicePublicKey = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the 32-byte public key, base64url without padding'),
});
export type DevicePublicKey = z.infer<typeof DevicePublicKey>;

/** The request file. Unknown fields are ignored: newer SDKs may send more. */
export const ActivationRequest = ValidateBody.pick({ key: true, product: true, device: true, app: true, nonce: true }).extend({
  format: z.literal('nomina-activation-request'),
  version: z.literal(1),
  createdAt: isoDate,
  devicePublicKey: DevicePublicKey,
});
export type ActivationRequest = z.infer<typeof ActivationRequest>;

// What OpenAPI shows (and the screens' generated types say): the request object, or a string.
const { $schema: _ignored, ...requestJsonSchema } = z.toJSONSchema(ActivationRequest, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/**
 * The text form (or the JSON file read as text) is decoded first and the result parsed after, so
 * an error inside a text form still points at its field (a union of the two would only say "/request").
 */
const RequestField = z.union([z.record(z.string(), z.unknown()), z.string().max(16_384)])
  .meta({ anyOf: [requestJsonSchema, { type: 'string', maxLength: 16_384, description: 'the text form, or the JSON file read as text' }] } as never)
  .transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    const decoded = decodeRequestText(value);
    if (!decoded.ok) {
      ctx.addIssue({ code: 'custom', message: decoded.why });
      return z.NEVER;
    }
    return decoded.value;
  })
  .pipe(ActivationRequest)
  .describe('the request file: its JSON object, or its text form (-----BEGIN NOMINA ACTIVATION REQUEST----- …) as a string');

/** Why staff turn a request into a licence file: sealed into the audit entry like a stated purpose. */
const Reason = z.string().trim().min(8, 'at least 8 characters (e.g. "ticket SUP-1234: air-gapped PC")').max(500)
  .refine((v) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(v), 'control characters are not allowed');

export const StaffActivationBody = z.object({ request: RequestField, reason: Reason.optional().describe('required for staff (8–500 characters); optional for an API key') });
export const HolderActivationBody = z.object({ request: RequestField });

const CompactJws = z.string().trim().max(8_192).regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a compact JWS (three base64url parts separated by dots)');
export const StaffReleaseFileBody = z.object({ release: CompactJws.describe('the release file (nomina-release.jws)'), reason: Reason.optional().describe('required for staff (8–500 characters); optional for an API key') });
export const HolderReleaseFileBody = z.object({ release: CompactJws.describe('the release file (nomina-release.jws)') });

export const LicenceFileView = z.object({
  licenceFile: z.string().describe('the file to save as nomina-licence.lic, text: line 1 the licence (compact JWS, EdDSA, typ nomina-licence-file+jwt); each further line the signed key set of /.well-known/jwks.signed as a compact JWS, one per published key (typ nomina-jwks+jwt); verify with /.well-known/jwks.json'),
  fileName: z.literal('nomina-licence.lic'),
  licenceId: z.uuid(),
  deviceId: z.uuid(),
  newDevice: z.boolean().describe('false for a renewal: the device already held a seat'),
  expiresAt: z.iso.datetime(),
  validUntil: z.iso.datetime().nullable(),
  entitlements: z.array(z.string()),
});

export const ReleasedView = z.object({ licenceId: z.uuid(), deviceId: z.uuid(), releasedAt: z.iso.datetime() });

export const REQUEST_EXAMPLE = {
  format: 'nomina-activation-request', version: 1, product: 'ACME', key: 'ACME-7KQ2M-XH4TB-9RZ3W-C8NDF-4PJ6W',
  device: { ntUsername: 'jdoe', ntDomain: 'CONTOSO', pcName: 'LAPTOP-42', macAddresses: ['00:1A:2B:3C:4D:5E'] },
  app: { version: '5.2.1', os: 'Windows 11 23H2' },
  nonce: 'q3v9XlZ2bq1c8Qe7Xn2kPw', createdAt: '2026-12-01T09:00:00.000Z',
  devicePublicKey: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' },
};

export const LICENCE_FILE_EXAMPLE = {
  licenceFile: 'eyJhbGciOiJFZERTQSIsImtpZCI6IjIwMjYtMTIiLCJ0eXAiOiJub21pbmEtbGljZW5jZS1maWxlK2p3dCJ9.eyJtb2RlIjoib2ZmbGluZSJ9.c2lnbmF0dXJl\n'
    + 'eyJhbGciOiJFZERTQSIsImtpZCI6IjIwMjYtMTIiLCJ0eXAiOiJub21pbmEtandrcytqd3QifQ.eyJpc3MiOiJub21pbmEiLCJpYXQiOjE3OTY1NDQwMDAsImtleXMiOltdfQ.c2lnbmF0dXJl',
  fileName: 'nomina-licence.lic', licenceId: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', deviceId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
  newDevice: true, expiresAt: '2026-12-31T09:00:00.000Z', validUntil: '2027-12-01T09:00:00.000Z', entitlements: ['export-pdf'],
};

export const RELEASE_EXAMPLE = {
  release: 'eyJhbGciOiJFZERTQSIsInR5cCI6Im5vbWluYS1yZWxlYXNlK2p3dCJ9.eyJsaWMiOiI2YTViNGMzZC0yZTFmLTRhMGItOWM4ZC03ZTZmNWE0YjNjMmQifQ.c2lnbmF0dXJl',
};

export const RELEASED_EXAMPLE = { licenceId: '6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d', deviceId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b', releasedAt: '2027-01-15T10:30:00.000Z' };
