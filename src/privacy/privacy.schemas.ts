import { z } from 'zod';
import { ContactFields } from '../contacts/contacts.schemas';
import { isoDate, text, uuid } from '../http/common-schemas';
import { OBJECTION_SCOPES } from './processing-permissions';

const email = z.email().max(254);

export const VerificationBody = z.strictObject({ email });
export const SessionBody = z.strictObject({ email, code: z.string().trim().min(6).max(20).regex(/^[0-9 -]+$/, 'digits only') });

export const REQUEST_TYPES = ['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection'] as const;

const withObjectionScope = <T extends { type: string; scope?: string[] }>(body: T, ctx: z.RefinementCtx) => {
  if (body.type === 'objection' && (!body.scope || body.scope.length === 0)) {
    ctx.addIssue({ code: 'custom', path: ['scope'], message: `an objection names what it objects to: ${OBJECTION_SCOPES.join(', ')}` });
  }
};

export const SubjectRequestBody = z.strictObject({
  type: z.enum(REQUEST_TYPES),
  scope: z.array(z.enum(OBJECTION_SCOPES)).max(3).optional(),
  reason: text(2000).optional(),
}).superRefine(withObjectionScope);
export type SubjectRequestBody = z.infer<typeof SubjectRequestBody>;

/** Self-service rectification: the contact's own fields, never roles (those are the customer's). */
export const RectifyBody = ContactFields.omit({ roles: true }).partial().refine((b) => Object.keys(b).length > 0, 'send at least one field');
export type RectifyBody = z.infer<typeof RectifyBody>;

export const LogRequestBody = z.strictObject({
  contactId: uuid(),
  type: z.enum(REQUEST_TYPES),
  channel: z.enum(['email', 'phone', 'letter']),
  receivedAt: isoDate.optional(),
  /** how identity was checked, e.g. "called back on the number on record"; omit if not yet checked */
  identityMethod: text(300).optional(),
  scope: z.array(z.enum(OBJECTION_SCOPES)).max(3).optional(),
  reason: text(2000).optional(),
}).superRefine(withObjectionScope);
export type LogRequestBody = z.infer<typeof LogRequestBody>;

export const RequestQueueQuery = z.strictObject({
  status: z.enum(['received', 'identity_verified', 'in_progress', 'completed', 'rejected', 'open']).optional(),
  type: z.enum(REQUEST_TYPES).optional(),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  dueWithinDays: z.coerce.number().int().min(0).max(365).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: uuid().optional(),
});
export type RequestQueueQuery = z.infer<typeof RequestQueueQuery>;

export const VerifyIdentityBody = z.strictObject({ method: text(300) });
export const ExtendBody = z.strictObject({ months: z.union([z.literal(1), z.literal(2)]), reason: text(2000) });
export const CompleteBody = z.strictObject({
  outcome: text(2000).optional(),
  /** erasure of the holder of a running licence: the privacy officer's decision to end it */
  endRunningLicences: z.boolean().default(false),
});
export const RejectBody = z.strictObject({ reason: text(2000) });

export const ProcessingChoicesBody = z.strictObject({
  restricted: z.boolean().optional(),
  objections: z.strictObject({ telemetry: z.boolean().optional(), directMarketing: z.boolean().optional(), fraudProfiling: z.boolean().optional() }).optional(),
}).refine((b) => b.restricted !== undefined || b.objections !== undefined, 'send restricted and/or objections');

export const ContactIdParams = z.strictObject({ contactId: uuid() });

export const RESTRICTION_GROUNDS = ['consent', 'legal_claims', 'protection_of_others', 'public_interest'] as const;

/** An exception to a restriction (Art. 18(2)): on which ground, why, and until when (at most a year). */
export const RestrictionExceptionBody = z.strictObject({
  ground: z.enum(RESTRICTION_GROUNDS),
  reason: text(2000).refine((v) => v.length >= 10, 'say why in at least 10 characters'),
  expiresAt: isoDate,
});
