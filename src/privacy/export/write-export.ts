/**
 * The subject export (access, Art. 15; portability, Art. 20), format `nomina.subject-export`
 * version 1 (documented in export-format.md). It is written as a stream — each store's items
 * are serialised as they are read — so a subject with 100k telemetry events costs neither
 * memory nor a long wait for the first byte.
 */
import type { Services } from '../../services';
import { ACTIVITIES, controllerOf, DATA_CATEGORIES, REGISTER_VERSION, REQUEST_DEADLINE, RIGHTS, SUPERVISORY_AUTHORITY, TRANSFERS } from '../register/catalogue';
import { registerSubProcessors } from '../sub-processors/sub-processor-register';
import { EXPORT_ORDER } from '../stores';
import type { SubjectDataStore, SubjectScope } from '../subject-data';

export const EXPORT_FORMAT = 'nomina.subject-export';
export const EXPORT_VERSION = 1;

/** "How we use your data": the register, limited to the categories of this subject's data. */
export async function howWeUseYourData(services: Services, stores: readonly SubjectDataStore[]) {
  const categories = new Set(stores.map((s) => s.category));
  const controller = controllerOf(services.config.privacy);
  return {
    registerVersion: REGISTER_VERSION,
    controller: { name: controller.name, address: controller.address, dpo: controller.dpo },
    purposes: ACTIVITIES.filter((a) => a.categories.some((c) => categories.has(c))).map((a) => ({
      id: a.id, purpose: a.purpose, legalBasis: a.legalBasis, categories: a.categories, recipients: a.recipients, retention: a.retention, ...(a.objection ? { howToObject: a.objection } : {}),
    })),
    dataCategories: DATA_CATEGORIES.filter((c) => categories.has(c.id)),
    subProcessors: await registerSubProcessors(services),
    transfersOutsideEea: TRANSFERS,
    automatedDecisions: 'None. Fraud signals open an alert that a member of staff decides, with a recorded reason; contractual limits (number of machines and users) are applied as rules.',
    yourRights: RIGHTS,
    requestDeadline: REQUEST_DEADLINE,
    complaints: SUPERVISORY_AUTHORITY,
  };
}

export type Write = (chunk: string) => Promise<void>;

export async function writeExport(services: Services, scope: SubjectScope, write: Write, stores: readonly SubjectDataStore[] = EXPORT_ORDER): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const header = {
    format: EXPORT_FORMAT, version: EXPORT_VERSION, generatedAt: services.now().toISOString(),
    subject: { contactId: scope.contactId }, howWeUseYourData: await howWeUseYourData(services, stores),
  };
  await write(JSON.stringify(header).slice(0, -1) + ',"data":{');
  let firstStore = true;
  for (const store of stores) {
    await write(`${firstStore ? '' : ','}${JSON.stringify(store.name)}:{"category":${JSON.stringify(store.category)},"items":[`);
    firstStore = false;
    let n = 0;
    let buffer = '';
    for await (const item of store.export(services, scope)) {
      buffer += (n === 0 ? '' : ',') + JSON.stringify(item, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
      n += 1;
      if (buffer.length > 64_000) { await write(buffer); buffer = ''; }
    }
    counts[store.name] = n;
    await write(`${buffer}],"count":${n}}`);
  }
  await write('}}');
  return counts;
}
