/**
 * First start: while no staff user exists, create an admin from NOMINA_BOOTSTRAP_ADMIN_* (for
 * automation) or print a one-time setup code for POST /v1/setup (for a person; first-run-setup.ts).
 * Idempotent across instances starting together: the staff e-mail is unique, the loser stands down;
 * a setup code is issued only under the setup lock while no staff user exists.
 */
import type { Services } from '../services';
import { createStaffUser } from './create-staff-user';
import { issueSetupCode, SETUP_CODE_TTL_MINUTES } from './first-run-setup';

export async function bootstrapAdmin(services: Services, baseUrl?: string): Promise<void> {
  const count = await services.prisma.staffUser.count();
  if (count > 0) return;
  const admin = services.config.bootstrapAdmin;
  if (!admin) {
    await printSetupCode(services, baseUrl ?? `http://${services.config.host}:${services.config.port}`);
    return;
  }
  let user: Awaited<ReturnType<typeof createStaffUser>>;
  try {
    user = await createStaffUser(services.prisma, { email: admin.email, password: admin.password, roles: ['admin'] });
  } catch (error) {
    // Several instances started together on an empty database: one of them created the admin.
    if ((error as { code?: string }).code === 'P2002') {
      services.logger.info('bootstrap admin already created by another instance');
      return;
    }
    throw error;
  }
  await services.audit.record({ actor: { type: 'system', id: 'bootstrap' }, action: 'staff.create', resource: { type: 'staff', id: user.id }, details: { roles: ['admin'] } });
  services.logger.info({ staffId: user.id }, 'bootstrap admin created');
}

async function printSetupCode(services: Services, url: string): Promise<void> {
  const setup = await issueSetupCode(services);
  if (!setup) return; // another instance created the first admin meanwhile
  // The one place a secret is logged on purpose: the operator must read it from the service's own
  // output (as Jenkins and Grafana do). It is single-use, expires, and dies once an admin exists.
  services.logger.warn(
    `first-run setup: no staff user exists yet. Within ${SETUP_CODE_TTL_MINUTES} minutes, create the first admin with the one-time setup code `
    + `${setup.code} — curl -X POST ${url}/v1/setup -H 'Content-Type: application/json' `
    + `-d '{"code":"${setup.code}","email":"you@example.com","password":"a long passphrase"}' `
    + '(or set NOMINA_BOOTSTRAP_ADMIN_EMAIL and NOMINA_BOOTSTRAP_ADMIN_PASSWORD). Restart for a new code.',
  );
}
