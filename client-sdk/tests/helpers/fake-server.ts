import type { FetchFunction } from '../../src/http';
import { signKeySet, signLicenceToken, type SigningKey, type TokenClaimsInput } from './signing';

/**
 * A stand-in for the Nomina server at the network edge (the only thing these unit tests fake);
 * the end-to-end suite runs the same scenarios against the real server.
 */
export interface FakeServerBehaviour {
  mode: 'up' | 'down' | 'hang' | 'status';
  status: number;
  signingKey: SigningKey;
  /** Keys the signed key set lists and is signed by. */
  keySet: { signers: SigningKey[]; keys: SigningKey[] } | null;
  claims: TokenClaimsInput;
  /** the verdict's `detail` text (default empty) */
  detail?: string;
  /** Rewrites the token before it is sent (tampering). */
  tamper: ((token: string) => string) | null;
  echoNonce: ((nonce: string) => string) | null;
  telemetryStatus: number[];
  /** The 202's body (the real server says { accepted, rejected, duplicate, telemetry }). */
  telemetryAnswer: Record<string, unknown> | null;
  now: () => Date;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  headers: Headers;
  body: any;
}

export function createFakeServer(initial: Partial<FakeServerBehaviour> & { signingKey: SigningKey }) {
  const behaviour: FakeServerBehaviour = {
    mode: 'up', status: 200, keySet: null, claims: {}, tamper: null, echoNonce: null, telemetryStatus: [], telemetryAnswer: null, now: () => new Date(), ...initial,
  };
  const requests: RecordedRequest[] = [];

  const fetch: FetchFunction = async (url, init = {}) => {
    const path = new URL(url).pathname;
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : undefined;
    requests.push({ method: init.method ?? 'GET', path, authorization: headers.get('authorization'), headers, body });
    if (behaviour.mode === 'down') throw new TypeError('fetch failed: ECONNREFUSED');
    if (behaviour.mode === 'hang') {
      return new Promise<Response>((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    if (behaviour.mode === 'status') return new Response('{"title":"oops"}', { status: behaviour.status });
    if (path === '/v1/validate') return validate(body);
    if (path === '/.well-known/jwks.signed' && behaviour.keySet) {
      const document = await signKeySet(behaviour.keySet.signers, behaviour.keySet.keys.map((key) => key.publicJwk), behaviour.now());
      return Response.json(document);
    }
    if (path === '/v1/telemetry') {
      const status = behaviour.telemetryStatus.shift() ?? 202;
      return behaviour.telemetryAnswer && status === 202 ? Response.json(behaviour.telemetryAnswer, { status }) : new Response(null, { status });
    }
    if (path === '/v1/devices/release') return new Response(null, { status: 204 });
    return new Response(null, { status: 404 });
  };

  async function validate(body: any): Promise<Response> {
    const claims = { valid: true, code: 'VALID', nonce: body.nonce, iat: behaviour.now(), aud: body.product, ...behaviour.claims };
    let token = await signLicenceToken(behaviour.signingKey, claims);
    if (behaviour.tamper) token = behaviour.tamper(token);
    return Response.json({
      valid: claims.valid, code: claims.code, detail: behaviour.detail ?? '', warnings: [],
      licence: { id: 'lic_1', status: 'active', validUntil: null, entitlements: ['export'] }, device: { id: 'dev_1', new: false },
      telemetry: claims.tel ?? 'on', token, ts: behaviour.now().toISOString(),
      nonce: behaviour.echoNonce ? behaviour.echoNonce(body.nonce) : body.nonce,
    });
  }

  return { fetch, behaviour, requests };
}
