/**
 * Deny by default: a route runs only after its Access rule has been checked here, once, for
 * every route. Staff tokens carry roles; a role not listed on the route gets 403, a missing or
 * invalid token 401.
 */
import type { Request } from 'express';
import type { Services } from '../services';
import { AppError } from './problem';
import type { Access, StaffPrincipal, SubjectPrincipal } from './route';

function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

export async function authenticate(
  services: Services,
  req: Request,
  access: Access,
): Promise<{ staff?: StaffPrincipal; subject?: SubjectPrincipal }> {
  if (access.kind === 'public' || access.kind === 'licence') return {};
  const token = bearerToken(req);
  if (!token) throw new AppError('UNAUTHENTICATED', 'send a bearer token in the Authorization header');
  if (access.kind === 'subject') {
    const subject = await services.sessions.verifySubject(token);
    if (!subject) throw new AppError('UNAUTHENTICATED', 'the session token is invalid or expired');
    return { subject };
  }
  const staff = await services.sessions.verifyStaff(token);
  if (!staff) throw new AppError('UNAUTHENTICATED', 'the session token is invalid or expired');
  if (!staff.roles.some((role) => access.roles.includes(role))) {
    throw new AppError('FORBIDDEN', `this action needs one of the roles: ${access.roles.join(', ')}`);
  }
  return { staff };
}
