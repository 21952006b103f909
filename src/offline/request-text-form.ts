/**
 * The text form of an activation request (docs/offline-activation.md §2): the request's JSON,
 * raw DEFLATE, base64url, in lines of 64 characters between two armour lines. Short enough for a
 * support e-mail, and typeable. Pure; the inflated size is bounded so a small text cannot expand
 * into a large allocation.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

export const REQUEST_ARMOUR = { begin: '-----BEGIN NOMINA ACTIVATION REQUEST-----', end: '-----END NOMINA ACTIVATION REQUEST-----' } as const;

/** A real request is under 1 kB of JSON; anything beyond this is not one. */
const MAX_INFLATED_BYTES = 16 * 1024;

export function encodeRequestText(request: unknown): string {
  const body = deflateRawSync(Buffer.from(JSON.stringify(request), 'utf8')).toString('base64url');
  return [REQUEST_ARMOUR.begin, ...(body.match(/.{1,64}/g) ?? []), REQUEST_ARMOUR.end].join('\n');
}

export type DecodedText = { ok: true; value: unknown } | { ok: false; why: string };

/**
 * The request in a string: the text form (armour lines optional, white space ignored), or the
 * JSON file's content pasted as a string (a screen that reads the file as text).
 */
export function decodeRequestText(text: string): DecodedText {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      return { ok: true, value: JSON.parse(trimmed) };
    } catch {
      return { ok: false, why: 'the request starts like JSON but is not valid JSON' };
    }
  }
  let body = trimmed;
  const begin = body.indexOf(REQUEST_ARMOUR.begin);
  if (begin >= 0) {
    const end = body.indexOf(REQUEST_ARMOUR.end, begin);
    if (end < 0) return { ok: false, why: `the text form has no "${REQUEST_ARMOUR.end}" line` };
    body = body.slice(begin + REQUEST_ARMOUR.begin.length, end);
  }
  body = body.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9_-]+$/.test(body)) return { ok: false, why: 'the text form holds characters that are not base64url (A–Z, a–z, 0–9, - and _)' };
  let json: string;
  try {
    json = inflateRawSync(Buffer.from(body, 'base64url'), { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch {
    return { ok: false, why: 'the text form does not decompress: was it copied completely?' };
  }
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch {
    return { ok: false, why: 'the text form decompresses to something that is not JSON' };
  }
}
