/**
 * Export and erasure cover every store: every Prisma model is either covered by a
 * SubjectDataStore or listed here as holding no subject data, with the reason. A new model fails
 * this test until someone decides which — so a future table cannot be forgotten.
 */
import { Prisma } from '../../src/generated/prisma/client';
import { DATA_CATEGORIES } from '../../src/privacy/register/catalogue';
import { EXPORT_ORDER, SUBJECT_DATA_STORES } from '../../src/privacy/stores';

const NO_SUBJECT_DATA: Record<string, string> = {
  Customer: 'the licensee organisation: name, VAT number, country, agreement dates — not a natural person',
  Product: 'catalogue data',
  Policy: 'licence rules',
  SigningKey: 'service signing keys',
  TelemetryBatch: 'idempotency record of a batch: id and counts, no identifier of the sender',
  TelemetryDailyRollup: 'aggregates without pseudonyms; cells under 5 suppressed when shown',
  RetentionRun: 'counts and a receipt; erased subjects appear only through their erasure job ids',
  BreachRecord: 'categories and approximate counts of a breach; staff are told not to enter personal data',
  StaffUser: 'vendor staff work identities: not data subjects of this service (an HR matter)',
  SetupCode: 'hashes of one-time first-run setup codes: no person, deleted once the first admin exists',
  StaffSession: 'console sessions of staff users (a digest of the cookie secret and times): no licence holder data',
  AuditHead: 'the chain head: a sequence number and a hash',
  ApiKey: "a vendor system's key: a name, scopes and a keyed digest",
  WebhookEndpoint: "a vendor system's receiver URL and wrapped signing secret",
  WebhookEvent: 'the webhook outbox: event type, time, and ids and states only (random ids that resolve to nothing once the records are erased); no holder id',
  WebhookDelivery: 'delivery status, attempts and response codes of an event to an endpoint',
  BreachAffectedCustomer: 'a link between a breach and a customer organisation (not a natural person)',
  SubProcessor: 'the sub-processor register: companies and the services they provide',
  SubProcessorChange: 'changes to the sub-processor register; who was told is in Notice (covered by breach_notices)',
  CustomerExport: 'an export handed to a customer organisation at the end of its agreement: a digest and dates, not the data',
};

describe('subject-data store coverage', () => {
  const covered = new Map<string, string>();
  for (const store of SUBJECT_DATA_STORES) for (const model of store.models) covered.set(model, store.name);

  it('covers every model that can hold subject data, and lists the others with a reason', () => {
    const models = Object.values(Prisma.ModelName);
    const missing = models.filter((m) => !covered.has(m) && !(m in NO_SUBJECT_DATA));
    expect(missing).toEqual([]);
  });

  it('has no stale or contradictory entries', () => {
    const models = new Set<string>(Object.values(Prisma.ModelName));
    expect([...covered.keys()].filter((m) => !models.has(m))).toEqual([]);
    expect(Object.keys(NO_SUBJECT_DATA).filter((m) => !models.has(m))).toEqual([]);
    expect(Object.keys(NO_SUBJECT_DATA).filter((m) => covered.has(m))).toEqual([]);
  });

  it('exports every store that it erases, under unique names', () => {
    const names = SUBJECT_DATA_STORES.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...EXPORT_ORDER].map((s) => s.name).sort()).toEqual([...names].sort());
  });

  it('declares every category a store uses in the register, with a legal basis for anything kept', () => {
    const declared = new Set(DATA_CATEGORIES.map((c) => c.id));
    for (const store of SUBJECT_DATA_STORES) {
      expect({ store: store.name, declared: declared.has(store.category) }).toEqual({ store: store.name, declared: true });
      if (store.kept) expect({ store: store.name, basis: Boolean(store.legalBasisForKeeping) }).toEqual({ store: store.name, basis: true });
    }
  });

  it('destroys the data key last, after everything that may need it', () => {
    expect(SUBJECT_DATA_STORES[SUBJECT_DATA_STORES.length - 1].name).toBe('data_key');
    const order = SUBJECT_DATA_STORES.map((s) => s.name);
    expect(order.indexOf('device_macs')).toBeLessThan(order.indexOf('devices'));
    expect(order.indexOf('devices')).toBeLessThan(order.indexOf('licences'));
    expect(order.indexOf('validation_events')).toBeLessThan(order.indexOf('licences'));
    expect(order.indexOf('licences')).toBeLessThan(order.indexOf('contact'));
  });
});
