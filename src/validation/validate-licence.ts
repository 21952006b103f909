/**
 * POST /v1/validate as a use case. The hot path — a known device of a bound account — is one
 * read (load-validation-facts.ts), one write (the event and lastSeenAt) and one signature: no
 * lock, no decryption, no argon2, nothing that grows with history (hot-path.ts: prepared
 * statements, group commit). Anything that must write more goes to validate-under-lock.ts.
 */
import { identifyDevice } from '../devices/device-identity';
import type { KeyLookup } from '../licences/licence-keys';
import type { Services } from '../services';
import { licenceSigner } from '../signing/licence-signer';
import { decideVerdict } from './decide-verdict';
import { hotPath } from './hot-path';
import { networkHash } from './network-hash';
import type { ValidateBody } from './validate.schemas';
import { validateUnderLock } from './validate-under-lock';
import { emitValidated } from './validation-hooks';
import { validationMetrics } from './validation-metrics';
import { VERDICT_DETAIL } from './validation-checks';
import { validationWarnings } from './validation-warnings';
import { verdictClaims } from './verdict-token';

const NO_LICENCE = '00000000-0000-0000-0000-000000000000';

export async function validateLicence(services: Services, body: ValidateBody, lookup: KeyLookup, ctx: { clientAddress: string | null }) {
  const started = process.hrtime.bigint();
  const now = services.now();
  const identity = identifyDevice(services.blindIndex, body.device);
  const record = {
    appVersion: body.app?.version ?? null, osVersion: body.app?.os ?? null, clientTime: body.clientTime ?? null, at: now,
    networkHash: networkHash(services.config.secrets.indexKey, ctx.clientAddress ?? undefined),
  };
  const hot = hotPath(services);

  // A malformed key is looked up like any other (by a digest that matches nothing): same work.
  let facts = await hot.facts(lookup.digest, identity);
  const decision = decideVerdict(facts, identity, body, now);
  let { code, device } = decision;
  // On the hot path the event is written while the token is signed (neither needs the other);
  // the verdict still waits for both: no verdict leaves without its record.
  let recorded: Promise<void> | undefined;
  if (facts && decision.needsLock) {
    ({ facts, code, device } = await validateUnderLock(services, facts.id, identity, body, record));
  } else {
    recorded = hot.record({ ...record, licenceId: facts?.id ?? null, deviceId: device?.id ?? null, code, touchDevice: code === 'VALID' });
  }

  const valid = code === 'VALID';
  const telemetry: 'on' | 'off' = !facts || facts.policy.telemetry === 'off' || facts.holderOptedOut ? 'off' : 'on';
  const claims = verdictClaims({
    licenceId: facts?.id ?? NO_LICENCE, deviceId: device?.id ?? null, productCode: body.product, code,
    entitlements: facts?.entitlements ?? [], validUntil: facts?.validUntil ?? null, telemetry, nonce: body.nonce,
    offlineGraceHours: facts?.policy.offlineGraceHours ?? 0,
  }, now);
  // NOT_FOUND signs too and throws the token away: an unknown key costs what a known one does.
  // Promise.all: a failed write fails the validation, and is never left unhandled while signing waits.
  const [token] = await Promise.all([licenceSigner(services).sign(claims), recorded]);

  const metrics = validationMetrics(services);
  metrics.validations.inc({ code });
  metrics.duration.observe({ code }, Number(process.hrtime.bigint() - started) / 1e9);
  emitValidated(services, {
    at: now, code, source: 'online',
    licence: facts && { id: facts.id, customerId: facts.customerId, holderId: facts.holderId, profilingStopped: facts.profilingStopped },
    policy: facts?.policy ?? null, device,
    ntAccountIndex: identity.ntAccountIndex, pcNameIndex: identity.pcNameIndex, macIndexes: identity.macIndexes,
    networkHash: record.networkHash, clientTime: record.clientTime,
  });

  return {
    valid, code, detail: VERDICT_DETAIL[code],
    warnings: valid && facts ? validationWarnings({ validUntil: facts.validUntil, expiringSoonDays: facts.policy.expiringSoonDays, underReview: facts.underReview }, now) : [],
    licence: facts && { id: facts.id, status: facts.status, validUntil: facts.validUntil?.toISOString() ?? null, entitlements: facts.entitlements },
    device: device && { id: device.id, new: device.isNew },
    telemetry,
    token: facts ? token : null,
    ts: now.toISOString(),
    nonce: body.nonce,
  };
}
