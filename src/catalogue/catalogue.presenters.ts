import type { Policy, Product } from '../generated/prisma/client';

export function presentProduct(p: Product) {
  return { id: p.id, code: p.code, name: p.name, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

export function presentPolicy(p: Policy) {
  return {
    id: p.id, productId: p.productId, name: p.name, durationDays: p.durationDays, maxMachines: p.maxMachines, maxUsers: p.maxUsers,
    offlineGraceHours: p.offlineGraceHours, transfersPer30Days: p.transfersPer30Days, expiringSoonDays: p.expiringSoonDays,
    entitlements: p.entitlements, telemetry: p.telemetry,
    fraud: {
      windowHours: p.fraudWindowHours, deviceFanoutThreshold: p.deviceFanoutThreshold, accountFanoutThreshold: p.accountFanoutThreshold,
      churnThreshold: p.churnThreshold, clockDriftToleranceMinutes: p.clockDriftToleranceMinutes, overlapWindowMinutes: p.overlapWindowMinutes,
    },
    createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
  };
}
