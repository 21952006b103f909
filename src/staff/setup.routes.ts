/**
 * POST /v1/setup: the first admin, from the one-time code the service printed at its first start
 * (see first-run-setup.ts). Public by necessity — there is nobody to sign in yet — and dead once any
 * staff user exists.
 */
import { defineRoute, publicAccess } from '../http/route';
import { presentStaff } from './create-staff-user';
import { completeSetup } from './first-run-setup';
import { EXAMPLE_PASSPHRASE, SetupBody, StaffView } from './staff.schemas';

const SETUP_PER_ADDRESS = { points: 10, durationSeconds: 600 };

export const setupRoutes = [
  defineRoute({
    method: 'post', path: '/v1/setup', tag: 'staff', access: publicAccess, body: SetupBody,
    rateLimited: true, problems: ['INVALID_CODE', 'CONFLICT'],
    example: { code: '7KQ2M-XH4TB-9RZ3W-C8NDF', email: 'you@example.com', password: EXAMPLE_PASSPHRASE },
    summary: 'First-run setup: create the first admin with the one-time setup code printed at start',
    response: { status: 201, description: 'the first admin; sign in with POST /v1/staff/sessions', schema: StaffView },
    async handler({ services, body, req, requestId }) {
      await services.rateLimits.consume('setup-ip', SETUP_PER_ADDRESS, req.ip ?? 'unknown');
      const user = await completeSetup(services, body, requestId);
      services.logger.info({ staffId: user.id }, 'first admin created by first-run setup');
      return { status: 201, body: presentStaff(user) };
    },
  }),
];
