/**
 * Wires fraud detection to validation (src/validation/validation-hooks.ts calls
 * `observeValidated` for every validated event): each event becomes
 * a ValidationObservation queued for evaluation after the response. Only a type is imported
 * from validation, so the two modules do not depend on each other at load time.
 */
import type { Services } from '../services';
import type { ValidatedEvent } from '../validation/validation-hooks';
import { observeValidation, type ValidationObservation } from './evaluate-validation';

function observationOf(event: ValidatedEvent): ValidationObservation | null {
  if (!event.licence || !event.policy) return null;
  return {
    at: event.at,
    code: event.code,
    source: event.source,
    licence: { id: event.licence.id, customerId: event.licence.customerId, holderId: event.licence.holderId },
    profilingStopped: event.licence.profilingStopped,
    policy: event.policy,
    device: event.device && { id: event.device.id, new: event.device.isNew },
    pcNameIndex: event.pcNameIndex,
    ntAccountIndex: event.ntAccountIndex,
    macIndexes: event.macIndexes,
    networkHash: event.networkHash,
    clientTime: event.clientTime,
  };
}

/** The hook itself: called after each validation, returns at once. */
export function observeValidated(services: Services, event: ValidatedEvent): void {
  const observation = observationOf(event);
  if (observation) observeValidation(services, observation);
}
