import { z } from 'zod';
import { text, uuid } from '../http/common-schemas';

export const FraudSignalSchema = z.enum(['device_fanout', 'account_fanout', 'churn', 'mac_collision', 'overlap', 'clock_drift']);
export const AlertStatusSchema = z.enum(['open', 'under_review', 'confirmed', 'dismissed']);
export const AlertSeveritySchema = z.enum(['low', 'medium', 'high']);

export const AlertListQuery = z.strictObject({
  status: AlertStatusSchema.optional(),
  severity: AlertSeveritySchema.optional(),
  signal: FraudSignalSchema.optional(),
  customerId: uuid().optional(),
  licenceId: uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  after: uuid().optional(),
});
export type AlertListQuery = z.infer<typeof AlertListQuery>;

/**
 * A staff decision. Confirming or dismissing needs a reason (GDPR Art. 22: a person decides and
 * says why); suspending the licence is only possible when confirming.
 */
export const DecisionBody = z.strictObject({
  decision: z.enum(['under_review', 'confirmed', 'dismissed']),
  reason: text(2000).optional(),
  suspendLicence: z.boolean().default(false),
}).superRefine((body, ctx) => {
  if (body.decision !== 'under_review' && !body.reason) {
    ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a decision needs a reason' });
  }
  if (body.suspendLicence && body.decision !== 'confirmed') {
    ctx.addIssue({ code: 'custom', path: ['suspendLicence'], message: 'only a confirmation can suspend the licence' });
  }
});
export type DecisionBody = z.infer<typeof DecisionBody>;

export const CommentBody = z.strictObject({ body: text(4000) });

export const ContestBody = z.strictObject({ reason: text(2000) });
