import { z } from 'zod';
import { uuid } from '../http/common-schemas';

export const StaffRoleSchema = z.enum(['support', 'privacy_officer', 'admin', 'auditor']);

export const LoginBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
});

export const CreateStaffBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(12, 'at least 12 characters').max(1024),
  roles: z.array(StaffRoleSchema).min(1).max(4),
});

export const StaffIdParams = z.strictObject({ id: uuid() });

export const StaffView = z.object({
  id: uuid(), email: z.string(), roles: z.array(StaffRoleSchema), disabled: z.boolean(), createdAt: z.string(),
});

export const SetupBody = z.strictObject({
  code: z.string().trim().min(1).max(64),
  email: z.email().max(254),
  password: z.string().min(12, 'at least 12 characters').max(1024),
});

/** A session token (staff or data subject) and when it stops working. */
export const SessionView = z.object({ token: z.string(), expiresAt: z.iso.datetime() });
