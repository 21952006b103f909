import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { bearerToken, browserSessionOf } from '../http/authenticate';
import { defineRoute, publicAccess, staffOnly } from '../http/route';
import { AppError, notFound } from '../http/problem';
import { createStaffUser, presentStaff } from './create-staff-user';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { clearSessionCookie, endBrowserSession, endSessionsOf, setSessionCookie, startBrowserSession } from './browser-sessions';
import { consumeLoginAttempt, forgetLoginFailures } from './login-throttle';
import { ChangeRolesBody, EXAMPLE_PASSPHRASE, CreateStaffBody, CurrentSessionView, LoginBody, LoginView, StaffIdParams, StaffView } from './staff.schemas';
import { listOf } from '../http/common-schemas';

const ALL_STAFF = ['support', 'privacy_officer', 'admin', 'auditor'] as const;

export const staffRoutes = [
  defineRoute({
    method: 'post', path: '/v1/staff/sessions', tag: 'staff', access: publicAccess, body: LoginBody,
    summary: 'Sign in. `session: "bearer"` (default) returns a short-lived token for scripts; `session: "cookie"` starts a console session in an HttpOnly cookie (renewed by use, ended by sign-out or idle time) and returns no token',
    response: {
      status: 200, description: 'signed in: a token (bearer) or a session cookie (cookie)', schema: LoginView,
      example: { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxYzJkIn0.c2lnbmF0dXJl', expiresAt: '2026-12-01T09:15:00.000Z', staff: { id: '1c2d3e4f-0000-4000-8000-000000000001', email: 'you@example.com', roles: ['admin'] } },
    },
    example: { email: 'you@example.com', password: EXAMPLE_PASSPHRASE }, rateLimited: true,
    async handler({ services, body, req, res, requestId }) {
      const email = body.email.trim().toLowerCase();
      const user = await services.prisma.staffUser.findUnique({ where: { email } });
      const attempt = { email, source: req.ip ?? 'unknown', unlockedAt: user?.loginUnlockedAt ?? null };
      await consumeLoginAttempt(services, attempt);
      const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
      if (!user || !valid || user.disabledAt) throw new AppError('INVALID_CREDENTIALS');
      await forgetLoginFailures(services, attempt);
      await services.prisma.staffUser.update({ where: { id: user.id }, data: { lastLoginAt: services.now() } });
      await services.audit.record({ actor: { type: 'staff', id: user.id }, action: 'staff.login', requestId, details: { session: body.session } });
      if (body.session === 'cookie') {
        const session = await startBrowserSession(services, user.id);
        setSessionCookie(services, res, session.secret, services.config.staffSessionIdleSeconds);
        return { headers: { 'Cache-Control': 'no-store' }, body: { expiresAt: session.expiresAt.toISOString(), staff: { id: user.id, email: user.email, roles: user.roles } } };
      }
      const session = await services.sessions.issueStaff(user.id, services.now());
      return { headers: { 'Cache-Control': 'no-store' }, body: { token: session.token, expiresAt: session.expiresAt.toISOString(), staff: { id: user.id, email: user.email, roles: user.roles } } };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/staff/sessions/current', tag: 'staff', access: staffOnly(...ALL_STAFF),
    summary: 'Who is signed in, with which roles, and when the session ends: for a console session if left idle, for a bearer token when it expires (null for an API key)',
    response: { status: 200, description: 'the current staff member', schema: CurrentSessionView },
    async handler({ services, staff, req }) {
      const user = await services.prisma.staffUser.findUnique({ where: { id: staff.id }, select: { id: true, email: true, roles: true } });
      if (!user) throw notFound('staff user');
      const session = browserSessionOf(req);
      const expiresAt = session ? session.expiresAt : bearerExpiry(req);
      return { headers: { 'Cache-Control': 'no-store' }, body: { staff: user, session: session ? 'cookie' : 'bearer', expiresAt: expiresAt?.toISOString() ?? null } };
    },
  }),
  defineRoute({
    method: 'delete', path: '/v1/staff/sessions/current', tag: 'staff', access: staffOnly(...ALL_STAFF),
    summary: 'Sign out: ends the console session at once and clears its cookie (a bearer token simply expires)',
    response: { status: 204, description: 'signed out' },
    async handler({ services, staff, req, res, requestId }) {
      const session = browserSessionOf(req);
      if (session) await endBrowserSession(services, session.secret);
      clearSessionCookie(services, res);
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'staff.logout', requestId });
      return { status: 204 };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/staff', tag: 'staff', access: staffOnly('admin'), body: CreateStaffBody,
    example: { email: 'support.agent@vendor.example', password: EXAMPLE_PASSPHRASE, roles: ['support'] }, problems: ['ALREADY_EXISTS'],
    summary: 'Create a staff user', response: { status: 201, description: 'created', schema: StaffView },
    async handler({ services, body, staff, requestId }) {
      const user = await createStaffUser(services.prisma, body);
      await services.audit.record({ actor: staff.actor, action: 'staff.create', resource: { type: 'staff', id: user.id }, requestId, details: { roles: body.roles } });
      return { status: 201, body: presentStaff(user) };
    },
  }),
  defineRoute({
    method: 'get', path: '/v1/staff', tag: 'staff', access: staffOnly('admin'),
    response: { status: 200, description: 'every staff user', schema: listOf(StaffView) },
    summary: 'List staff users',
    async handler({ services }) {
      const users = await services.prisma.staffUser.findMany({ orderBy: { createdAt: 'asc' } });
      return { body: { items: users.map(presentStaff) } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/staff/:id/actions/disable', tag: 'staff', access: staffOnly('admin'), params: StaffIdParams,
    response: { status: 200, description: 'the disabled staff user', schema: StaffView }, problems: ['CONFLICT'],
    summary: 'Disable a staff user (their tokens stop working at once)',
    async handler({ services, params, staff, requestId }) {
      if (params.id === staff.id) throw new AppError('CONFLICT', 'you cannot disable your own account');
      const user = await services.prisma.staffUser.findUnique({ where: { id: params.id } });
      if (!user) throw notFound('staff user');
      const updated = await services.prisma.staffUser.update({ where: { id: user.id }, data: { disabledAt: user.disabledAt ?? services.now() } });
      await endSessionsOf(services, user.id);
      await services.audit.record({ actor: staff.actor, action: 'staff.disable', resource: { type: 'staff', id: user.id }, requestId });
      return { body: presentStaff(updated) };
    },
  }),
  defineRoute({
    method: 'put', path: '/v1/staff/:id/roles', tag: 'staff', access: staffOnly('admin'), params: StaffIdParams, body: ChangeRolesBody,
    summary: "Set a staff user's roles (takes effect on their next request); an admin cannot remove their own admin role",
    response: { status: 200, description: 'the staff user', schema: StaffView }, problems: ['CONFLICT'],
    async handler({ services, params, body, staff, requestId }) {
      if (params.id === staff.id && !body.roles.includes('admin')) throw new AppError('CONFLICT', 'you cannot remove your own admin role; ask another admin');
      const user = await services.prisma.staffUser.findUnique({ where: { id: params.id }, select: { id: true } });
      if (!user) throw notFound('staff user');
      const roles = [...new Set(body.roles)];
      const updated = await services.prisma.staffUser.update({ where: { id: user.id }, data: { roles } });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'staff.roles', resource: { type: 'staff', id: user.id }, requestId, details: { roles } });
      return { body: presentStaff(updated) };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/staff/:id/actions/unlock', tag: 'staff', access: staffOnly('admin'), params: StaffIdParams,
    response: { status: 200, description: 'the staff user, sign-in unlocked', schema: StaffView },
    summary: 'Unlock sign-in for a staff user: every failed-attempt counter of that account, from every source, stops counting',
    async handler({ services, params, staff, requestId }) {
      const user = await services.prisma.staffUser.findUnique({ where: { id: params.id }, select: { id: true } });
      if (!user) throw notFound('staff user');
      const updated = await services.prisma.staffUser.update({ where: { id: user.id }, data: { loginUnlockedAt: services.now() } });
      await services.audit.record({ actor: { type: 'staff', id: staff.id }, action: 'staff.unlock', resource: { type: 'staff', id: user.id }, requestId });
      return { body: presentStaff(updated) };
    },
  }),
];

/** When the request's bearer session token expires (its `exp`, already verified); null for an API key. */
function bearerExpiry(req: Request): Date | null {
  const token = bearerToken(req);
  if (!token || token.split('.').length !== 3) return null;
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? new Date(exp * 1000) : null;
  } catch {
    return null;
  }
}
