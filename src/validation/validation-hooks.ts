/**
 * The extension point after every validation (for fraud signals): hooks receive what the
 * validation saw — blind indexes only, never plaintext identifiers — after the verdict has been
 * answered, so they can neither slow nor break validation. A failing hook is logged (without
 * personal data) and the others still run.
 *
 *   onValidated(services, async (event) => { … })   // once, when the services are built
 */
import type { ValidationCode } from '../generated/prisma/enums';
import type { Services } from '../services';
import type { ValidationPolicy } from './load-validation-facts';
import { observeValidated } from '../fraud/validation-hook';

export interface ValidatedEvent {
  at: Date;
  code: ValidationCode;
  requestId: string;
  /** null when the key matched no licence */
  licence: { id: string; customerId: string; holderId: string; productId: string; status: string } | null;
  policy: ValidationPolicy | null;
  device: { id: string; isNew: boolean } | null;
  ntAccountIndex: string;
  pcNameIndex: string;
  macIndexes: string[];
  /** the client address as seen by the server (trust-proxy aware); for in-memory use, never to be stored */
  clientAddress: string | null;
  networkHash: string | null;
  clientTime: Date | null;
  appVersion: string | null;
}

export type ValidationHook = (event: ValidatedEvent) => void | Promise<void>;

const registry = new WeakMap<Services, ValidationHook[]>();

/** Registers a hook for this service instance; returns a function that removes it. */
export function onValidated(services: Services, hook: ValidationHook): () => void {
  const hooks = registry.get(services) ?? [];
  registry.set(services, [...hooks, hook]);
  return () => registry.set(services, (registry.get(services) ?? []).filter((h) => h !== hook));
}

export function emitValidated(services: Services, event: ValidatedEvent): void {
  observeValidated(services, event); // fraud signals (src/fraud/): queued, evaluated after the response
  const hooks = registry.get(services);
  if (!hooks || hooks.length === 0) return;
  setImmediate(() => {
    for (const hook of hooks) {
      Promise.resolve().then(() => hook(event)).catch((error: unknown) => {
        const e = error as { name?: string; code?: string };
        services.logger.error({ hook: hook.name || 'anonymous', error: e?.name, code: e?.code, requestId: event.requestId }, 'validation hook failed');
      });
    }
  });
}
