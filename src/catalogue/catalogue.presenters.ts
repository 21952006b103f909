import type { Policy, Product } from '../generated/prisma/client';
import { z } from 'zod';
import { Instant } from '../http/common-schemas';

export function presentProduct(p: Product) {
  return { id: p.id, code: p.code, name: p.name, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

export function presentPolicy(p: Policy) {
  return {
    id: p.id, productId: p.productId, name: p.name, durationDays: p.durationDays, maxMachines: p.maxMachines, maxUsers: p.maxUsers,
    offlineGraceHours: p.offlineGraceHours, transfersPer30Days: p.transfersPer30Days, expiringSoonDays: p.expiringSoonDays,
    entitlements: p.entitlements, telemetry: p.telemetry, offlineLicenceDays: p.offlineLicenceDays,
    fraud: {
      windowHours: p.fraudWindowHours, deviceFanoutThreshold: p.deviceFanoutThreshold, accountFanoutThreshold: p.accountFanoutThreshold,
      churnThreshold: p.churnThreshold, clockDriftToleranceMinutes: p.clockDriftToleranceMinutes, overlapWindowMinutes: p.overlapWindowMinutes,
    },
    createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
  };
}

export const ProductView = z.object({ id: z.uuid(), code: z.string(), name: z.string(), createdAt: Instant, updatedAt: Instant });

export const PolicyView = z.object({
  id: z.uuid(), productId: z.uuid(), name: z.string(), durationDays: z.number().int().nullable(),
  maxMachines: z.number().int(), maxUsers: z.number().int(), offlineGraceHours: z.number().int(), transfersPer30Days: z.number().int(),
  expiringSoonDays: z.number().int(), entitlements: z.array(z.string()), telemetry: z.enum(['on', 'off']),
  offlineLicenceDays: z.number().int().describe('lifetime of a licence file for an air-gapped PC, in days; 0 = offline activation not allowed'),
  fraud: z.object({
    windowHours: z.number().int(), deviceFanoutThreshold: z.number().int().nullable(), accountFanoutThreshold: z.number().int().nullable(),
    churnThreshold: z.number().int(), clockDriftToleranceMinutes: z.number().int(), overlapWindowMinutes: z.number().int(),
  }),
  createdAt: Instant, updatedAt: Instant,
});
