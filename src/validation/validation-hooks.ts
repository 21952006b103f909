/**
 * What happens after every validation: fraud signals (src/fraud/) receive what the validation
 * saw — blind indexes only, never plaintext identifiers — and queue it for evaluation after the
 * verdict has been answered, so they can neither slow nor break validation.
 */
import type { ValidationCode } from '../generated/prisma/enums';
import type { Services } from '../services';
import type { ValidationPolicy } from './load-validation-facts';
import { observeValidated } from '../fraud/validation-hook';

export interface ValidatedEvent {
  at: Date;
  code: ValidationCode;
  /** online: POST /v1/validate; offline: a request file turned into a licence file (no network or clock of the PC itself) */
  source: 'online' | 'offline';
  /** null when the key matched no licence */
  licence: { id: string; customerId: string; holderId: string; profilingStopped: boolean } | null;
  policy: ValidationPolicy | null;
  device: { id: string; isNew: boolean } | null;
  ntAccountIndex: string;
  pcNameIndex: string;
  macIndexes: string[];
  networkHash: string | null;
  clientTime: Date | null;
}

export function emitValidated(services: Services, event: ValidatedEvent): void {
  observeValidated(services, event); // queued, evaluated after the response
}
