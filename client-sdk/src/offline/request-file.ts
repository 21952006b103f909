import type { DeviceIdentity } from '../identity.js';
import type { DevicePublicJwk } from './device-key.js';

export const REQUEST_FORMAT = 'nomina-activation-request';
export const REQUEST_FILE_NAME = 'nomina-activation-request.json';
export const ARMOUR_BEGIN = '-----BEGIN NOMINA ACTIVATION REQUEST-----';
export const ARMOUR_END = '-----END NOMINA ACTIVATION REQUEST-----';
const LINE_LENGTH = 64;

/** docs/offline-activation.md §2: what /v1/validate receives, plus the device's public key. */
export interface ActivationRequest {
  format: typeof REQUEST_FORMAT;
  version: 1;
  product: string;
  key: string;
  device: DeviceIdentity;
  app: { version: string; os: string };
  nonce: string;
  createdAt: string;
  devicePublicKey: DevicePublicJwk;
}

// node:zlib is loaded when a request is made or read, not with the SDK: every app start would pay
// for it (issue 15), and only an air-gapped activation needs it. require() keeps the package CommonJS.
const zlib = (): typeof import('node:zlib') => require('node:zlib');

/** The JSON file and the short text form for an e-mail (raw DEFLATE, base64url, 64-character lines, armour). */
export function encodeActivationRequest(request: ActivationRequest): { json: string; text: string } {
  const json = JSON.stringify(request, null, 2);
  const packed = zlib().deflateRawSync(Buffer.from(JSON.stringify(request), 'utf8')).toString('base64url');
  const lines = packed.match(new RegExp(`.{1,${LINE_LENGTH}}`, 'g')) ?? [];
  return { json, text: [ARMOUR_BEGIN, ...lines, ARMOUR_END].join('\n') + '\n' };
}
