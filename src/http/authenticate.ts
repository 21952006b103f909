/**
 * Deny by default: a route runs only after its Access rule has been checked here, once, for
 * every route. Staff tokens carry roles; a role not listed on the route gets 403, a missing or
 * invalid token 401. An API key (`nmk_…`) may call a staff route whose rule names one of its
 * scopes (src/api-keys/authenticate-api-key.ts). Licence routes (the SDK's) take the licence token of POST /v1/validate; its
 * signature and expiry, and the licence's current status, are checked here too, before the body is read.
 */
import type { Request } from 'express';
import { authenticateApiKey } from '../api-keys/authenticate-api-key';
import { isApiKeyShaped } from '../api-keys/api-key-format';
import type { Services } from '../services';
import { checkLicenceUsable } from '../licences/check-licence-usable';
import { verifyLicenceToken, type VerifiedLicenceToken } from '../signing/verify-licence-token';
import { cookieSecretOf, CSRF_HEADER, resumeBrowserSession, setSessionCookie } from '../staff/browser-sessions';
import { AppError } from './problem';
import type { Access, StaffPrincipal, SubjectPrincipal } from './route';

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

const licenceTokens = new WeakMap<Request, VerifiedLicenceToken>();

/**
 * An SDK sends many requests with one token (a telemetry batch every few seconds), so a verified
 * token is remembered for a minute — the signer's own key-reload period, hence no weaker than it
 * — and its expiry is still checked on every use.
 */
const VERIFIED_TOKEN_MS = 60_000;
const verifiedLicenceTokens = new WeakMap<Services, Map<string, { claims: VerifiedLicenceToken; until: number }>>();

async function verifyLicenceTokenCached(services: Services, token: string): Promise<VerifiedLicenceToken | null> {
  let cache = verifiedLicenceTokens.get(services);
  if (!cache) verifiedLicenceTokens.set(services, (cache = new Map()));
  const now = services.now().getTime();
  const hit = cache.get(token);
  if (hit && hit.until > now && hit.claims.expiresAt.getTime() > now) return hit.claims;
  const claims = await verifyLicenceToken(services, token);
  if (cache.size >= 10_000) cache.clear();
  if (claims) cache.set(token, { claims, until: now + VERIFIED_TOKEN_MS });
  else cache.delete(token);
  return claims;
}

/** The verified licence token of a request to a `licence` route; the pipeline has checked the licence is still active. */
export function licenceTokenOf(req: Request): VerifiedLicenceToken | undefined {
  return licenceTokens.get(req);
}

const browserSessions = new WeakMap<Request, { secret: string; expiresAt: Date }>();

/** The console session a request came with (cookie), if any: sign-out and "who am I" read it. */
export function browserSessionOf(req: Request): { secret: string; expiresAt: Date } | undefined {
  return browserSessions.get(req);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A staff member from the console's cookie. The browser sends the cookie by itself, so an unsafe
 * request must also prove it comes from our own page script: a custom header, which a cross-site
 * form cannot set and a cross-site script cannot send without a CORS preflight we never grant.
 */
async function staffFromCookie(services: Services, req: Request): Promise<StaffPrincipal | null> {
  const secret = cookieSecretOf(req);
  if (!secret) return null;
  if (!SAFE_METHODS.has(req.method) && !req.headers[CSRF_HEADER]) {
    throw new AppError('FORBIDDEN', `a request on a console session must send the ${CSRF_HEADER} header`, { errors: [{ pointer: `/headers/${CSRF_HEADER}`, detail: 'required with a session cookie' }] });
  }
  const session = await resumeBrowserSession(services, secret);
  if (!session) return null;
  browserSessions.set(req, { secret, expiresAt: session.expiresAt });
  // Sliding: the cookie lives as long as the session may stay idle from now.
  if (req.res) setSessionCookie(services, req.res, secret, Math.max(1, Math.round((session.expiresAt.getTime() - services.now().getTime()) / 1000)));
  return session.staff;
}

export async function authenticate(
  services: Services,
  req: Request,
  access: Access,
): Promise<{ staff?: StaffPrincipal; subject?: SubjectPrincipal }> {
  if (access.kind === 'public') return {};
  const token = bearerToken(req);
  if (!token && access.kind === 'staff') {
    const staff = await staffFromCookie(services, req);
    if (!staff) throw new AppError('UNAUTHENTICATED', 'sign in again: send a bearer token, or a live console session cookie');
    return { staff: authorise(staff, access.roles) };
  }
  if (!token) throw new AppError('UNAUTHENTICATED', 'send a bearer token in the Authorization header');
  if (access.kind === 'licence') {
    const licence = await verifyLicenceTokenCached(services, token);
    if (!licence) throw new AppError('UNAUTHENTICATED', 'the licence token is invalid or expired; validate again');
    // The token is a snapshot; the licence's current state decides (never cached: a revocation applies at once).
    await checkLicenceUsable(services, licence.licenceId);
    licenceTokens.set(req, licence);
    return {};
  }
  if (access.kind === 'subject') {
    const subject = await services.sessions.verifySubject(token);
    if (!subject) throw new AppError('UNAUTHENTICATED', 'the session token is invalid or expired');
    return { subject };
  }
  if (isApiKeyShaped(token)) return { staff: await authenticateApiKey(services, req, token, access) };
  const staff = await services.sessions.verifyStaff(token);
  if (!staff) throw new AppError('UNAUTHENTICATED', 'the session token is invalid or expired');
  return { staff: authorise(staff, access.roles) };
}

function authorise(staff: StaffPrincipal, roles: readonly string[]): StaffPrincipal {
  if (!staff.roles.some((role) => roles.includes(role))) {
    throw new AppError('FORBIDDEN', `this action needs one of the roles: ${roles.join(', ')}`);
  }
  return staff;
}
