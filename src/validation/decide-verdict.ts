import type { DeviceIdentity } from '../devices/device-identity';
import { bestMatch, deviceChanged, type DeviceCandidate } from '../devices/match-device';
import type { ValidationCode } from '../generated/prisma/enums';
import type { ValidationFacts } from './load-validation-facts';
import { runChecks } from './validation-checks';

export interface Decision {
  code: ValidationCode;
  match: DeviceCandidate | null;
  /** the device the verdict is about: the matched one, unless the verdict refused it a seat */
  device: { id: string; isNew: boolean } | null;
  /** a VALID verdict that must write (bind an account, take a seat, update the device): only under the licence's lock */
  needsLock: boolean;
}

export function decideVerdict(facts: ValidationFacts | null, identity: DeviceIdentity, request: { product: string; activate?: boolean }, now: Date): Decision {
  const match = facts ? bestMatch(facts.devices, identity) : null;
  const code = runChecks({
    licence: facts && {
      status: facts.status, validFrom: facts.validFrom, validUntil: facts.validUntil, productCode: facts.productCode,
      maxUsers: facts.policy.maxUsers, maxMachines: facts.policy.maxMachines,
    },
    requestedProduct: request.product,
    accountBound: facts?.accountBound ?? false,
    boundAccounts: facts?.boundAccounts ?? 0,
    device: !match ? { kind: 'none' } : match.released ? { kind: 'released', id: match.id } : { kind: 'active', id: match.id },
    activeDevices: facts?.activeDevices ?? 0,
    activate: request.activate ?? false,
  }, now);
  const needsLock = code === 'VALID' && (!facts!.accountBound || !match || match.released || deviceChanged(match, identity));
  const device = match && code !== 'TOO_MANY_MACHINES' && !(match.released && code === 'VALID') ? { id: match.id, isNew: false } : null;
  return { code, match, device, needsLock };
}
