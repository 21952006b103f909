/**
 * The slow path of a validation: anything that writes (first use of an NT account, a new seat,
 * a device that changed) runs under the licence's row lock (`SELECT … FOR UPDATE`) and decides
 * again on facts read after the lock was granted. So 12 first starts at once on a 2-machine
 * licence admit exactly 2, and 10 parallel starts of one new PC create one device.
 *
 * An offline activation (src/offline/activate-offline.ts) runs these very checks through this
 * function, always under the lock, and writes its licence file's binding in the same transaction
 * (`onValid`): so online and offline activations share one seat count and one lock.
 */
import { SubjectKeyDestroyedError } from '../crypto/subject-keys';
import { activateDevice, bindAccount, refreshDevice } from '../devices/activate-device';
import { holderSealer } from '../devices/device-crypto';
import type { DeviceIdentity } from '../devices/device-identity';
import { deviceChanged } from '../devices/match-device';
import { deviceMetrics } from '../devices/device-metrics';
import type { ValidationCode } from '../generated/prisma/enums';
import { AppError } from '../http/problem';
import type { Tx } from '../audit/audit-trail';
import type { Services } from '../services';
import { emitWebhookEvent } from '../webhooks/emit-event';
import { decideVerdict } from './decide-verdict';
import { loadFactsById, type SqlRunner, type ValidationFacts } from './load-validation-facts';
import { recordValidation, type ValidationRecord } from './record-validation';

export interface LockedOutcome {
  facts: ValidationFacts | null;
  code: ValidationCode;
  device: { id: string; isNew: boolean } | null;
}

type RecordBase = Omit<ValidationRecord, 'licenceId' | 'deviceId' | 'code' | 'touchDevice'>;

export interface LockedOptions<T> {
  /**
   * Runs in the same transaction, still under the lock, after a VALID verdict's writes: the device
   * exists. An offline activation binds its licence file to the device here.
   */
  onValid?: (tx: Tx, facts: ValidationFacts, device: { id: string; isNew: boolean }) => Promise<T>;
}

export async function validateUnderLock<T = undefined>(
  services: Services, licenceId: string, identity: DeviceIdentity, request: { product: string; activate?: boolean }, record: RecordBase,
  options: LockedOptions<T> = {},
): Promise<LockedOutcome & { extra?: T }> {
  const now = record.at;
  try {
    const outcome = await services.prisma.$transaction(async (tx) => {
      const run: SqlRunner = (sql, params) => tx.$queryRawUnsafe(sql, ...params);
      await tx.$queryRaw`SELECT 1 FROM licences WHERE id = ${licenceId}::uuid FOR UPDATE`;
      // A new statement after the lock: it sees what the transactions we waited for committed.
      const facts = await loadFactsById(run, licenceId, identity);
      const decision = decideVerdict(facts, identity, request, now);
      const { code, match } = decision;
      let { device } = decision;
      if (code === 'VALID' && facts) {
        const sealer = await holderSealer(services, facts.holderId);
        if (!facts.accountBound) await bindAccount(tx, sealer, facts.id, identity, now);
        if (!device) {
          device = { id: await activateDevice(tx, sealer, facts.id, identity, now), isNew: true };
          // Only on activation (already under the row lock): the known-device hot path emits nothing.
          await emitWebhookEvent(tx, 'device.activated', { licenceId: facts.id, deviceId: device.id }, now);
        }
        else if (match && deviceChanged(match, identity)) await refreshDevice(tx, sealer, facts.id, match, identity, now);
      }
      await recordValidation(run, { ...record, licenceId: facts?.id ?? null, deviceId: device?.id ?? null, code, touchDevice: code === 'VALID' }, true);
      const extra = code === 'VALID' && facts && device && options.onValid ? await options.onValid(tx, facts, device) : undefined;
      return { facts, code, device, extra };
    }, { maxWait: 10_000, timeout: 15_000 });
    if (outcome.device?.isNew) deviceMetrics(services).activations.inc();
    return outcome;
  } catch (error) {
    if (error instanceof SubjectKeyDestroyedError) {
      throw new AppError('LICENCE_NOT_USABLE', "the licence holder's personal data was erased: the licence takes no new device or account");
    }
    throw error;
  }
}
