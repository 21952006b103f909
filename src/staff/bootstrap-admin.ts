/**
 * First start: when no staff user exists, create an admin from NOMINA_BOOTSTRAP_ADMIN_* or say how to.
 * Idempotent across instances starting together: the staff e-mail is unique, the loser stands down.
 */
import type { Services } from '../services';
import { createStaffUser } from './create-staff-user';

export async function bootstrapAdmin(services: Services): Promise<void> {
  const count = await services.prisma.staffUser.count();
  if (count > 0) return;
  const admin = services.config.bootstrapAdmin;
  if (!admin) {
    services.logger.warn('no staff user exists yet: set NOMINA_BOOTSTRAP_ADMIN_EMAIL and NOMINA_BOOTSTRAP_ADMIN_PASSWORD and restart, '
      + 'or stop the service and run `npx nomina staff create --email <e-mail> --role admin`');
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
