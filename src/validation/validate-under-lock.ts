/**
 * The slow path of a validation: anything that writes (first use of an NT account, a new seat,
 * a device that changed) runs under the licence's row lock (`SELECT … FOR UPDATE`) and decides
 * again on facts read after the lock was granted. So 12 first starts at once on a 2-machine
 * licence admit exactly 2, and 10 parallel starts of one new PC create one device.
 */
import { SubjectKeyDestroyedError } from '../crypto/subject-keys';
import { activateDevice, bindAccount, refreshDevice } from '../devices/activate-device';
import { holderSealer } from '../devices/device-crypto';
import type { DeviceIdentity } from '../devices/device-identity';
import { deviceChanged } from '../devices/match-device';
import { deviceMetrics } from '../devices/device-metrics';
import type { ValidationCode } from '../generated/prisma/enums';
import { AppError } from '../http/problem';
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

export async function validateUnderLock(
  services: Services, licenceId: string, identity: DeviceIdentity, request: { product: string; activate?: boolean }, record: RecordBase,
): Promise<LockedOutcome> {
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
      return { facts, code, device };
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
