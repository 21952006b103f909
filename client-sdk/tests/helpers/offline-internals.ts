import { inflateRawSync } from 'node:zlib';
import { ARMOUR_BEGIN, ARMOUR_END } from '../../src/offline/request-file';

export { encodeActivationRequest } from '../../src/offline/request-file';

/** The text form back to the request object, as the service reads an upload (the SDK itself never needs to). */
export function decodeActivationRequestText(text: string): unknown {
  const start = text.indexOf(ARMOUR_BEGIN);
  const end = text.indexOf(ARMOUR_END);
  if (start < 0 || end < start) throw new SyntaxError('not an armoured Nomina activation request');
  const body = text.slice(start + ARMOUR_BEGIN.length, end).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9_-]+$/.test(body)) throw new SyntaxError('the request text contains characters outside base64url');
  return JSON.parse(inflateRawSync(Buffer.from(body, 'base64url')).toString('utf8'));
}
export { MAX_PENDING_REQUESTS as MAX_PENDING_REQUESTS_FOR_TESTS } from '../../src/offline/pending-requests';
export { hashIdentity } from '../../src/offline/identity-hash';
