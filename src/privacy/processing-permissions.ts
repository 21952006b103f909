/**
 * What processing a subject's choices allow (GDPR Art. 18 restriction, Art. 21 objection).
 * Restriction freezes everything but storage — no telemetry, no fraud profiling — while licence
 * validation continues, because the contract requires it. Validation reports `telemetry` from
 * here to the SDK, and telemetry ingestion drops events when it is off.
 */
import type { Services } from '../services';

export interface ProcessingChoices {
  restrictedAt: Date | null;
  telemetryObjectedAt: Date | null;
  profilingObjectedAt: Date | null;
  marketingObjectedAt: Date | null;
}

export interface ProcessingPermissions {
  telemetry: boolean;
  fraudProfiling: boolean;
  directMarketing: boolean;
  /** contractual processing (validation, licence management) is never stopped by these choices */
  licenceValidation: true;
}

export function permissionsFor(choices: ProcessingChoices): ProcessingPermissions {
  const restricted = choices.restrictedAt !== null;
  return {
    telemetry: !restricted && choices.telemetryObjectedAt === null,
    fraudProfiling: !restricted && choices.profilingObjectedAt === null,
    directMarketing: !restricted && choices.marketingObjectedAt === null,
    licenceValidation: true,
  };
}

/** For other modules: the permissions of one contact (null when it does not exist). */
export async function processingPermissions(services: Services, contactId: string): Promise<ProcessingPermissions | null> {
  const choices = await services.prisma.contact.findUnique({
    where: { id: contactId }, select: { restrictedAt: true, telemetryObjectedAt: true, profilingObjectedAt: true, marketingObjectedAt: true },
  });
  return choices ? permissionsFor(choices) : null;
}

export const OBJECTION_SCOPES = ['telemetry', 'direct_marketing', 'fraud_profiling'] as const;
export type ObjectionScope = (typeof OBJECTION_SCOPES)[number];

export const OBJECTION_COLUMN: Record<ObjectionScope, 'telemetryObjectedAt' | 'marketingObjectedAt' | 'profilingObjectedAt'> = {
  telemetry: 'telemetryObjectedAt',
  direct_marketing: 'marketingObjectedAt',
  fraud_profiling: 'profilingObjectedAt',
};

/** The contact columns that put an objection (to `scope`) or a restriction in force from `now`. */
export function choiceInForce(type: 'objection' | 'restriction', scope: readonly ObjectionScope[], now: Date): Partial<Record<'restrictedAt' | (typeof OBJECTION_COLUMN)[ObjectionScope], Date>> {
  return type === 'restriction' ? { restrictedAt: now } : Object.fromEntries(scope.map((s) => [OBJECTION_COLUMN[s], now]));
}
