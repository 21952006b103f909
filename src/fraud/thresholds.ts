/**
 * Fraud thresholds. They live on the Policy (columns `fraudWindowHours`, `deviceFanoutThreshold`,
 * `accountFanoutThreshold`, `churnThreshold`, `clockDriftToleranceMinutes`,
 * `overlapWindowMinutes`); this file resolves them and documents the defaults:
 *
 * | threshold | default | meaning |
 * |---|---|---|
 * | fraudWindowHours | 24 | rolling window of the fan-out signals, and the cool-down after a dismissal |
 * | deviceFanoutThreshold | null = maxMachines (2) | device fan-out fires when MORE distinct machines than this were tried in the window (refused attempts count) |
 * | accountFanoutThreshold | null = maxUsers (1) | account fan-out fires when MORE distinct NT accounts than this were tried in the window |
 * | churnThreshold | 6 | churn fires when activations + releases in 30 days are MORE than this (a reinstall is 2) |
 * | clockDriftToleranceMinutes | 60 | clock drift fires when the client clock is off by MORE than this (a daylight-saving switch is exactly 60) |
 * | overlapWindowMinutes | 10 | overlap fires when one device comes back to a network within this window after validating from another (A → B → A) |
 *
 * Every comparison is "more than": a policy's own limit is never itself suspicious.
 */
import type { Policy } from '../generated/prisma/client';

export const CHURN_WINDOW_DAYS = 30;

export const DEFAULT_THRESHOLDS = {
  fraudWindowHours: 24,
  churnThreshold: 6,
  clockDriftToleranceMinutes: 60,
  overlapWindowMinutes: 10,
} as const;

export type FraudPolicy = Pick<Policy,
  'maxMachines' | 'maxUsers' | 'fraudWindowHours' | 'deviceFanoutThreshold' | 'accountFanoutThreshold'
  | 'churnThreshold' | 'clockDriftToleranceMinutes' | 'overlapWindowMinutes'>;

export interface Thresholds {
  windowMs: number;
  deviceFanout: number;
  accountFanout: number;
  churn: number;
  churnWindowMs: number;
  clockDriftMs: number;
  overlapWindowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function thresholdsOf(policy: Partial<FraudPolicy> & Pick<FraudPolicy, 'maxMachines' | 'maxUsers'>): Thresholds {
  return {
    windowMs: (policy.fraudWindowHours ?? DEFAULT_THRESHOLDS.fraudWindowHours) * HOUR,
    deviceFanout: policy.deviceFanoutThreshold ?? policy.maxMachines,
    accountFanout: policy.accountFanoutThreshold ?? policy.maxUsers,
    churn: policy.churnThreshold ?? DEFAULT_THRESHOLDS.churnThreshold,
    churnWindowMs: CHURN_WINDOW_DAYS * DAY,
    clockDriftMs: (policy.clockDriftToleranceMinutes ?? DEFAULT_THRESHOLDS.clockDriftToleranceMinutes) * MINUTE,
    overlapWindowMs: (policy.overlapWindowMinutes ?? DEFAULT_THRESHOLDS.overlapWindowMinutes) * MINUTE,
  };
}

/** How long a dismissed alert keeps its signal quiet: the window its evidence was counted in. */
export function coolDownMs(signal: string, t: Thresholds): number {
  return signal === 'churn' ? t.churnWindowMs : t.windowMs;
}
