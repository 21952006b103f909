/**
 * Retention periods (docs/architecture.md §2.6, §7) and the cut-off instants they give at `now`. Pure.
 * Subjects: 2 years after their customer's licence agreement ended (calendar years).
 * Validation events: 180 days (security purpose). Telemetry: 13 months raw (the telemetry module
 * drops whole monthly partitions). Verification codes: 24 hours. Closed requests that no longer
 * name anyone: 5 years (accountability). Billing records: the catalogue's period (10 full calendar
 * years after the year the licence period ended, Belgian VAT Code art. 60).
 */
import { BILLING_RECORD_RETENTION_YEARS } from '../privacy/register/catalogue';

export interface RetentionPeriods {
  subjectYearsAfterAgreement: number;
  validationEventDays: number;
  telemetryMonths: number;
  verificationCodeHours: number;
  closedRequestYears: number;
  billingRecordYears: number;
}

export const DEFAULT_RETENTION: RetentionPeriods = {
  subjectYearsAfterAgreement: 2,
  validationEventDays: 180,
  telemetryMonths: 13,
  verificationCodeHours: 24,
  closedRequestYears: 5,
  billingRecordYears: BILLING_RECORD_RETENTION_YEARS,
};

export interface RetentionCutoffs {
  agreementEndedBefore: Date;
  validationEventsBefore: Date;
  verificationCodesBefore: Date;
  closedRequestsBefore: Date;
  /** billing records whose period ended before this instant (1 January, UTC) are removed */
  billingRecordsBefore: Date;
}

function minusYears(now: Date, years: number): Date {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
}

export function retentionCutoffs(now: Date, periods: RetentionPeriods = DEFAULT_RETENTION): RetentionCutoffs {
  return {
    agreementEndedBefore: minusYears(now, periods.subjectYearsAfterAgreement),
    validationEventsBefore: new Date(now.getTime() - periods.validationEventDays * 86_400_000),
    verificationCodesBefore: new Date(now.getTime() - periods.verificationCodeHours * 3_600_000),
    closedRequestsBefore: minusYears(now, periods.closedRequestYears),
    // Full calendar years: a period that ended in year Y is kept until the end of year Y + n.
    billingRecordsBefore: new Date(Date.UTC(now.getUTCFullYear() - periods.billingRecordYears, 0, 1)),
  };
}
