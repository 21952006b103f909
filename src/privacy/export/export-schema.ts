/**
 * The JSON Schema (draft 2020-12) of the subject export, format `nomina.subject-export`,
 * version 1 (export-format.md explains it in prose). Served at GET /v1/privacy/export-schema and
 * referenced from /openapi.json; a test validates real exports against it, so the schema, the
 * prose and the code cannot drift apart. Within a version fields are only added (objects stay
 * open); a rename or removal makes version 2 with a schema of its own.
 */
import { DATA_CATEGORIES } from '../register/catalogue';
import { EXPORT_FORMAT, EXPORT_VERSION } from './write-export';

const str = { type: 'string' } as const;
const nstr = { type: ['string', 'null'] } as const;
const instant = { type: 'string', format: 'date-time' } as const;
const ninstant = { type: ['string', 'null'], format: 'date-time' } as const;
const int = { type: 'integer', minimum: 0 } as const;
const nint = { type: ['integer', 'null'] } as const;
const uuid = { type: 'string', format: 'uuid' } as const;
const nuuid = { type: ['string', 'null'], format: 'uuid' } as const;
const strings = { type: 'array', items: str } as const;
const obj = (properties: Record<string, unknown>, required: string[] = Object.keys(properties)) => ({ type: 'object', properties, required });

/** The items of each store, by store name (src/privacy/stores/index.ts). */
const ITEMS: Record<string, unknown> = {
  contact: obj({
    id: uuid, organisation: nstr, roles: strings, title: nstr, firstName: nstr, lastName: nstr, jobTitle: nstr, department: nstr,
    address: nstr, phone: nstr, fax: nstr, email: nstr,
    objections: obj({ telemetry: ninstant, directMarketing: ninstant, fraudProfiling: ninstant }, []), restrictedAt: ninstant, createdAt: instant, updatedAt: instant,
  }, ['id', 'roles', 'email', 'createdAt']),
  licences: obj({
    id: uuid, organisation: nstr, product: str, productName: nstr, status: { enum: ['active', 'suspended', 'revoked'] }, statusReason: nstr,
    keyEndsWith: str, validFrom: instant, validUntil: ninstant, entitlements: strings, createdAt: instant,
  }, ['id', 'product', 'status', 'keyEndsWith', 'validFrom']),
  licence_users: obj({ licenceId: uuid, ntAccount: nstr, boundAt: instant }),
  devices: obj({ id: uuid, licenceId: uuid, pcName: nstr, lastNtAccount: nstr, firstSeenAt: instant, lastSeenAt: instant, releasedAt: ninstant, releasedBy: nstr, activationMode: str, offlineExpiresAt: ninstant }, ['id', 'licenceId', 'firstSeenAt']),
  device_macs: obj({ deviceId: uuid, mac: nstr, firstSeenAt: instant, lastSeenAt: instant }, ['deviceId', 'mac']),
  validation_events: obj({ at: instant, code: str, licenceId: uuid, deviceId: nuuid, appVersion: nstr, osVersion: nstr, clientTime: ninstant }, ['at', 'code', 'licenceId']),
  telemetry_events: obj({ month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' }, at: instant, type: str, name: str, durationMs: nint, appVersion: nstr, osVersion: nstr, props: { type: ['object', 'null'] } }, ['month', 'at', 'type', 'name']),
  fraud_observations: obj({ licenceId: uuid, kind: str, ref: nstr, firstAt: instant, lastAt: instant, count: int }, ['licenceId', 'kind', 'firstAt', 'lastAt']),
  fraud_alerts: obj({
    id: uuid, licenceId: uuid, signal: str, explanation: obj({ title: str, what: str, why: str }, ['title']), severity: str, status: str, statusExplanation: {}, evidence: {},
    openedAt: instant, lastEvidenceAt: instant, decision: { type: ['object', 'null'] }, comments: { type: 'array', items: { type: 'object' } }, contests: { type: 'array', items: { type: 'object' } },
  }, ['id', 'licenceId', 'signal', 'severity', 'status', 'openedAt']),
  privacy_requests: obj({
    id: uuid, type: str, scope: strings, reason: nstr, channel: str, status: str, receivedAt: instant, dueAt: instant, originalDueAt: instant,
    extendedDueAt: ninstant, extensionReason: nstr, identityVerifiedAt: ninstant, identityMethod: nstr, closedAt: ninstant, outcome: nstr, overdue: { type: 'boolean' }, receipt: nstr,
  }, ['id', 'type', 'status', 'receivedAt', 'dueAt']),
  restriction_exceptions: obj({ ground: str, recordedAt: instant, expiresAt: ninstant, reason: nstr }, ['ground', 'recordedAt']),
  access_log: obj({ at: instant, who: obj({ type: str }, ['type']), action: str, purpose: {}, resource: {}, details: {} }, ['at', 'who', 'action']),
  breach_notices: {
    oneOf: [
      obj({ type: { const: 'affected_by_breach' }, breachId: uuid, title: str, awareAt: instant, categories: strings, measures: str }),
      obj({ type: { const: 'notice' }, kind: { enum: ['breach_subject', 'breach_customer', 'sub_processor_change'] }, status: { enum: ['sent', 'failed'] }, at: instant, breachId: nuuid, subProcessorChangeId: nuuid }),
    ],
  },
  verification_codes: obj({ createdAt: instant, expiresAt: instant, usedAt: ninstant, attempts: int }, ['createdAt', 'expiresAt']),
  billing_records: obj({ licenceId: uuid, productCode: str, issuedAt: instant, validFrom: instant, validUntil: ninstant }, ['licenceId', 'productCode', 'issuedAt']),
  erasure_jobs: obj({ id: uuid, status: str, startedAt: instant, completedAt: ninstant }, ['id', 'status', 'startedAt']),
  data_key: obj({ algorithm: str, wrappedBy: nstr, createdAt: instant, destroyedAt: ninstant }, ['algorithm', 'createdAt']),
};

const categoryIds = DATA_CATEGORIES.map((c) => c.id);

export const EXPORT_SCHEMA_ID = `urn:nomina:schema:${EXPORT_FORMAT}:${EXPORT_VERSION}`;

export function subjectExportSchema() {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: EXPORT_SCHEMA_ID,
    title: `Subject export (${EXPORT_FORMAT}, version ${EXPORT_VERSION})`,
    description: 'Everything Nomina holds about one data subject (GDPR Art. 15 and 20). See export-format.md in the source and GET /v1/privacy/register.',
    type: 'object',
    required: ['format', 'version', 'generatedAt', 'subject', 'howWeUseYourData', 'data'],
    properties: {
      format: { const: EXPORT_FORMAT },
      version: { const: EXPORT_VERSION },
      generatedAt: instant,
      subject: obj({ contactId: uuid }),
      howWeUseYourData: obj({
        registerVersion: str,
        controller: obj({ name: str, address: str, dpo: obj({ name: str, email: str }) }),
        purposes: { type: 'array', items: obj({ purpose: str, legalBasis: str, categories: { type: 'array', items: { enum: categoryIds } }, recipients: strings, retention: str, howToObject: str }, ['purpose', 'legalBasis', 'categories', 'recipients', 'retention']) },
        dataCategories: { type: 'array', items: obj({ id: { enum: categoryIds }, name: str, fields: strings, personal: { type: 'boolean' }, retention: str }) },
        subProcessors: { type: 'array', items: obj({ name: str, service: str, location: str, categories: { type: 'array', items: { enum: categoryIds } } }) },
        transfersOutsideEea: obj({ outsideEea: { type: 'boolean' }, statement: str }),
        automatedDecisions: str,
        yourRights: strings,
        requestDeadline: str,
        complaints: obj({ name: str, address: str, email: str, url: str }),
      }),
      data: {
        type: 'object',
        required: Object.keys(ITEMS),
        properties: Object.fromEntries(Object.entries(ITEMS).map(([store, items]) => [store, obj({ category: { enum: categoryIds }, items: { type: 'array', items }, count: int })])),
        additionalProperties: obj({ category: { enum: categoryIds }, items: { type: 'array' }, count: int }),
      },
    },
  };
}

/** The schema as the OpenAPI document publishes it (#/components/schemas/SubjectExport). */
export const SUBJECT_EXPORT_SCHEMA = { name: 'SubjectExport', schema: subjectExportSchema() };
