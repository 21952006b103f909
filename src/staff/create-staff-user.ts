import type { PrismaClient } from '../generated/prisma/client';
import type { StaffRole } from '../generated/prisma/enums';
import { hashPassword } from './passwords';

/** `prisma` may be a transaction client: the first-run setup creates its admin inside its lock. */
export async function createStaffUser(prisma: Pick<PrismaClient, 'staffUser'>, input: { email: string; password: string; roles: StaffRole[] }) {
  return prisma.staffUser.create({
    data: { email: input.email.trim().toLowerCase(), passwordHash: await hashPassword(input.password), roles: [...new Set(input.roles)] },
  });
}

export function presentStaff(user: { id: string; email: string; roles: StaffRole[]; disabledAt: Date | null; createdAt: Date }) {
  return { id: user.id, email: user.email, roles: user.roles, disabled: user.disabledAt !== null, createdAt: user.createdAt.toISOString() };
}
