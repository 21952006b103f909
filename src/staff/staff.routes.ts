import { createHash } from 'node:crypto';
import { defineRoute, publicAccess, staffOnly } from '../http/route';
import { AppError, notFound } from '../http/problem';
import { createStaffUser, presentStaff } from './create-staff-user';
import { dummyPasswordHash, verifyPassword } from './passwords';
import { CreateStaffBody, LoginBody, SessionView, StaffIdParams, StaffView } from './staff.schemas';
import { listOf } from '../http/common-schemas';

const LOGIN_PER_ADDRESS = { points: 20, durationSeconds: 60 };
const LOGIN_PER_ACCOUNT = { points: 5, durationSeconds: 300 };

export const staffRoutes = [
  defineRoute({
    method: 'post', path: '/v1/staff/sessions', tag: 'staff', access: publicAccess, body: LoginBody,
    response: { status: 200, description: 'a staff session token', schema: SessionView, example: { token: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxYzJkIn0.c2lnbmF0dXJl', expiresAt: '2026-12-01T09:15:00.000Z' } },
    example: { email: 'you@example.com', password: 'a long passphrase' }, rateLimited: true,
    summary: 'Sign in; returns a short-lived staff token',
    async handler({ services, body, req, requestId }) {
      const email = body.email.trim().toLowerCase();
      const accountKey = createHash('sha256').update(email).digest('hex');
      await services.rateLimits.consume('login-ip', LOGIN_PER_ADDRESS, req.ip ?? 'unknown');
      await services.rateLimits.consume('login-account', LOGIN_PER_ACCOUNT, accountKey);
      const user = await services.prisma.staffUser.findUnique({ where: { email } });
      const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), body.password);
      if (!user || !valid || user.disabledAt) throw new AppError('INVALID_CREDENTIALS');
      await services.rateLimits.reset('login-account', LOGIN_PER_ACCOUNT, accountKey);
      await services.prisma.staffUser.update({ where: { id: user.id }, data: { lastLoginAt: services.now() } });
      await services.audit.record({ actor: { type: 'staff', id: user.id }, action: 'staff.login', requestId });
      const session = await services.sessions.issueStaff(user.id, services.now());
      return { body: { token: session.token, expiresAt: session.expiresAt.toISOString() } };
    },
  }),
  defineRoute({
    method: 'post', path: '/v1/staff', tag: 'staff', access: staffOnly('admin'), body: CreateStaffBody,
    example: { email: 'support.agent@vendor.example', password: 'another long passphrase', roles: ['support'] }, problems: ['ALREADY_EXISTS'],
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
      await services.audit.record({ actor: staff.actor, action: 'staff.disable', resource: { type: 'staff', id: user.id }, requestId });
      return { body: presentStaff(updated) };
    },
  }),
];
