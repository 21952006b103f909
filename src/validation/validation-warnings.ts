/**
 * Warnings ride along with a VALID verdict (valid stays true).
 * - EXPIRING_SOON: validUntil within the policy's expiringSoonDays.
 * - UNDER_REVIEW: an open (or under-review) fraud alert exists for the licence. The fact is read in
 *   the same query as the licence (`underReview` in load-validation-facts.ts: one indexed EXISTS on
 *   fraud_alerts.licenceId with openKey set); the fraud module owns the alerts themselves.
 */
export type ValidationWarning = 'EXPIRING_SOON' | 'UNDER_REVIEW';

export interface WarningFacts {
  validUntil: Date | null;
  expiringSoonDays: number;
  underReview: boolean;
}

export function validationWarnings(facts: WarningFacts, now: Date): ValidationWarning[] {
  const warnings: ValidationWarning[] = [];
  if (facts.underReview) warnings.push('UNDER_REVIEW');
  if (facts.validUntil && facts.validUntil.getTime() - now.getTime() <= facts.expiringSoonDays * 86_400_000) warnings.push('EXPIRING_SOON');
  return warnings;
}
