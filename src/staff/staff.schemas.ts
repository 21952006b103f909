import { z } from 'zod';
import { uuid } from '../http/common-schemas';

export const StaffRoleSchema = z.enum(['support', 'privacy_officer', 'admin', 'auditor']);

export const LoginBody = z.strictObject({
  email: z.email().max(254),
  password: z.string().min(1).max(1024),
  /** "bearer" (scripts): a token in the answer; "cookie" (the console): an HttpOnly session cookie */
  session: z.enum(['bearer', 'cookie']).default('bearer'),
});

const SignedInStaff = z.object({ id: z.uuid(), email: z.string(), roles: z.array(z.enum(['support', 'privacy_officer', 'admin', 'auditor'])) });

export const LoginView = z.object({ token: z.string().optional(), expiresAt: z.string(), staff: SignedInStaff });

export const CurrentSessionView = z.object({ staff: SignedInStaff, session: z.enum(['bearer', 'cookie']), expiresAt: z.string().nullable() });

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

export const ChangeRolesBody = z.strictObject({ roles: z.array(StaffRoleSchema).min(1).max(4) });

/** The passphrase shown in the OpenAPI document's examples: documentation, never a real credential. */
export const EXAMPLE_PASSPHRASE = 'a long passphrase';
