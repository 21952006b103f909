/**
 * The register of processing activities (GDPR Art. 30), declared once. It is served at
 * GET /v1/privacy/register (JSON and HTML), printed as the README's privacy section
 * (`npm run register:markdown`), and quoted in every subject's export ("how we use your data"),
 * so the three cannot drift apart. The erasure and export stores name the data category they
 * hold (`DataCategoryId`), and a test checks that every category a store uses is declared here.
 *
 * The controller, its DPO and the initial sub-processors are the operator's configuration
 * (src/privacy/privacy-settings.ts); the sub-processors in force are the register staff maintain
 * (src/privacy/sub-processors/). Both are passed in, so the catalogue stays pure.
 */
import type { PrivacySettings } from '../privacy-settings';

export type DataCategoryId =
  | 'contact_data' | 'licence_data' | 'device_data' | 'validation_history' | 'fraud_evidence'
  | 'usage_telemetry' | 'privacy_requests' | 'identity_verification' | 'access_log' | 'billing_records' | 'erasure_proof'
  | 'breach_notifications';

export interface DataCategory { id: DataCategoryId; name: string; fields: string[]; personal: boolean; retention: string }

export interface ProcessingActivity {
  id: string;
  purpose: string;
  legalBasis: string;
  categories: DataCategoryId[];
  subjects: string[];
  recipients: string[];
  retention: string;
  /** how the subject can object, where Art. 21 applies */
  objection?: string;
}

export interface SubProcessor { name: string; service: string; location: string; categories: DataCategoryId[] }

/**
 * Billing records (Belgian VAT Code art. 60): kept 10 full calendar years after the year in which
 * the licence period they record ended, then removed by the retention run (src/retention/).
 */
export const BILLING_RECORD_RETENTION_YEARS = 10;

export const REGISTER_VERSION = '2026-11-22';

export const SUPERVISORY_AUTHORITY = {
  name: 'Gegevensbeschermingsautoriteit / Autorité de protection des données (Belgian Data Protection Authority)',
  address: 'Drukpersstraat 35 / Rue de la Presse 35, 1000 Brussel/Bruxelles', email: 'contact@apd-gba.be', url: 'https://www.gegevensbeschermingsautoriteit.be',
} as const;

export const DATA_CATEGORIES: DataCategory[] = [
  { id: 'contact_data', name: 'Identity and contact details', personal: true, fields: ['title', 'first and last name', 'job title', 'department', 'address', 'phone', 'fax', 'e-mail', 'roles at the customer', 'objections and restriction'], retention: 'until 2 years after the customer’s licence agreement ends, or erasure' },
  { id: 'licence_data', name: 'Nominative licences', personal: true, fields: ['licence id and status', 'validity dates', 'entitlements', 'bound Windows (NT) accounts', 'last 4 characters of the key'], retention: 'until 2 years after the licence agreement ends, or erasure' },
  { id: 'device_data', name: 'Devices (activations)', personal: true, fields: ['PC name', 'MAC addresses of physical adapters', 'NT account last seen', 'first/last seen', 'release'], retention: 'until the licence is erased (2 years after the agreement ends at the latest)' },
  { id: 'validation_history', name: 'Validation history', personal: true, fields: ['time', 'result code', 'device', 'application and OS version', 'keyed hash of the network prefix (never the IP address)'], retention: '180 days' },
  { id: 'fraud_evidence', name: 'Fraud alerts and decisions', personal: true, fields: ['signal', 'evidence (devices, accounts, times)', 'status', 'staff decision and reason', 'staff comments'], retention: 'with the licence; erased with the subject' },
  { id: 'usage_telemetry', name: 'Pseudonymised usage statistics', personal: true, fields: ['monthly pseudonym (never the licence, the contact, the NT user, the PC name, a MAC or IP address)', 'event type (session start or end, feature used, error) and name', 'time and duration', 'application and OS version', 'up to 20 short properties per event (counts, switches, labels, an error message and stack) in which user-profile paths, e-mail addresses, MAC and IP addresses, the device’s NT user name, domain and PC name are replaced by placeholders — by the application, and again by the server'], retention: 'raw events 13 months; afterwards only daily aggregates without pseudonyms (cells under 5 suppressed)' },
  { id: 'privacy_requests', name: 'Data-subject requests', personal: true, fields: ['type', 'status', 'dates and deadlines', 'reason given', 'how identity was checked', 'outcome', 'signed receipt'], retention: 'while the subject’s data exists; after erasure only the non-identifying record (type, dates, receipt) for 5 years (accountability, Art. 5(2))' },
  { id: 'identity_verification', name: 'One-time verification codes', personal: true, fields: ['keyed hash of the e-mail address', 'hashed code (argon2id)', 'attempts', 'expiry'], retention: '10 minutes of validity; deleted after 24 hours' },
  { id: 'access_log', name: 'Staff-access and action log (audit trail)', personal: true, fields: ['who (staff id)', 'what', 'when', 'stated purpose', 'details (encrypted with the subject key)'], retention: 'hash-chained and kept; the personal details of an entry are erased with the subject' },
  { id: 'billing_records', name: 'Minimal contract/billing records', personal: false, fields: ['customer (organisation)', 'licence reference', 'product code', 'issue and validity dates'], retention: `${BILLING_RECORD_RETENTION_YEARS} full calendar years after the year in which the licence period ended (Belgian VAT Code art. 60), then removed by the retention run; a record of an open-ended licence is kept while the licence exists` },
  { id: 'breach_notifications', name: 'Breach and sub-processor notices', personal: true, fields: ['personal-data breaches that affected you (reference, title, date, categories, measures)', 'notices sent to you and when (breaches, changes of sub-processors)'], retention: 'while your data exists; on erasure the link to you is removed, and only the fact that a notice was sent is kept' },
  { id: 'erasure_proof', name: 'Proof of erasure', personal: false, fields: ['random subject reference', 'date of key destruction', 'signed erasure receipt'], retention: 'kept as evidence that erasure took place; holds no personal data' },
];

const CUSTOMER_CONTACTS = 'Contact persons at customer organisations (licence holders, billing, IT and management contacts)';
const STAFF = 'Vendor staff on a need-to-know basis: support (masked unless a purpose is stated), privacy officer, administrators';

export const ACTIVITIES: ProcessingActivity[] = [
  { id: 'licence_management', purpose: 'Issue and manage nominative licences for the customer’s named users', legalBasis: 'Contract (GDPR Art. 6(1)(b)) with the customer; legitimate interest (Art. 6(1)(f)) in knowing who the named licence holder is', categories: ['contact_data', 'licence_data'], subjects: [CUSTOMER_CONTACTS], recipients: [STAFF], retention: 'until 2 years after the licence agreement ends' },
  { id: 'licence_validation', purpose: 'Validate licences against NT username, PC name and MAC address, and enforce the contractual machine and user limits', legalBasis: 'Contract (Art. 6(1)(b))', categories: ['device_data', 'validation_history'], subjects: [CUSTOMER_CONTACTS], recipients: [STAFF], retention: 'devices with the licence; validation events 180 days' },
  { id: 'fraud_prevention', purpose: 'Detect fraudulent use of licences (shared keys, cloned machines); every alert is decided by a person, never automatically (Art. 22)', legalBasis: 'Legitimate interest (Art. 6(1)(f)) in protecting the licensed software', categories: ['device_data', 'validation_history', 'fraud_evidence'], subjects: [CUSTOMER_CONTACTS], recipients: [STAFF], retention: 'with the licence; validation events 180 days', objection: 'object to fraud profiling from the privacy page; contractual limits still apply' },
  { id: 'usage_statistics', purpose: 'Improve the software from pseudonymised usage statistics', legalBasis: 'Legitimate interest (Art. 6(1)(f)); collection stops on objection or restriction', categories: ['usage_telemetry'], subjects: [CUSTOMER_CONTACTS], recipients: ['Product team: aggregates only, cells under 5 suppressed'], retention: 'raw events 13 months, then aggregates without pseudonyms', objection: 'object to telemetry from the privacy page; the application stops sending at its next validation' },
  { id: 'customer_communication', purpose: 'Service and product communication to customer contacts', legalBasis: 'Legitimate interest (Art. 6(1)(f)); an objection to direct marketing is always honoured (Art. 21(3))', categories: ['contact_data'], subjects: [CUSTOMER_CONTACTS], recipients: [STAFF], retention: 'until 2 years after the licence agreement ends', objection: 'object to direct marketing from the privacy page' },
  { id: 'data_subject_rights', purpose: 'Verify identity and handle requests for access, rectification, erasure, restriction, objection and portability', legalBasis: 'Legal obligation (Art. 6(1)(c), Art. 12–22 GDPR)', categories: ['privacy_requests', 'identity_verification', 'erasure_proof'], subjects: [CUSTOMER_CONTACTS], recipients: ['Privacy officer'], retention: 'codes: 10 minutes (deleted after 24 h); requests: see category' },
  { id: 'security_accountability', purpose: 'Record every staff access to personal data with its purpose, keep the system secure, and notify personal-data breaches', legalBasis: 'Legal obligation (Art. 5(2), 32–34 GDPR)', categories: ['access_log', 'breach_notifications'], subjects: [CUSTOMER_CONTACTS, 'Vendor staff'], recipients: ['Privacy officer', 'Auditors (read-only)'], retention: 'kept; personal details erased with the subject' },
  { id: 'billing', purpose: 'Keep the contract and billing records that tax law requires', legalBasis: 'Legal obligation (Art. 6(1)(c)): Belgian VAT Code art. 60 (10 years)', categories: ['billing_records'], subjects: ['Customer organisations (no personal data is kept in these records)'], recipients: ['Accounting', 'Tax authority on request'], retention: `${BILLING_RECORD_RETENTION_YEARS} full calendar years after the licence period ended, then removed` },
];

export const TRANSFERS = { outsideEea: false, statement: 'No personal data is transferred outside the European Economic Area; sub-processors are bound to process in the EEA and to give 30 days’ notice of a new sub-processor.' } as const;

export const SECURITY_MEASURES: string[] = [
  'Confidentiality: every personal field is encrypted (AES-256-GCM) with a per-person key, itself wrapped by a master key kept outside the database; lookups use keyed blind indexes',
  'Erasure reaches backups: a person’s key is destroyed on erasure, and data backups never contain the keys (the key store is backed up separately and honours every destruction)',
  'Pseudonymised telemetry: monthly keyed pseudonyms, no licence, device, NT user, PC name, MAC or IP address; user names, paths and addresses in event properties are scrubbed on the device and again on the server (counted in a metric)',
  'Access limited by role (support, privacy officer, admin, auditor), masked views for support, every access recorded with its purpose in a hash-chained audit trail',
  'Integrity: licence verdicts and receipts are signed (Ed25519); the audit trail detects any change',
  'Availability and resilience: stateless service instances on PostgreSQL; backups with a tested restore procedure',
  'Logs carry no personal data, keys or tokens; one-time codes and passwords are hashed with argon2id',
  'Periodic testing of these measures by an automated test suite on every change',
];

export const RIGHTS: string[] = [
  'information', 'access', 'rectification', 'erasure', 'restriction of processing', 'objection', 'data portability',
  'not to be subject to a decision based solely on automated processing (fraud alerts are always decided by a person)',
];

export const REQUEST_DEADLINE = 'Requests are answered within one calendar month and at most 30 days, whichever ends first, counted in the controller’s time zone; this can be extended by at most two further months, in which case you are told why within that first period.';

/** The controller as the register and exports show it: the configured identity, DPO and authority. */
export function controllerOf(settings: Pick<PrivacySettings, 'controller' | 'dpo'>) {
  return { ...settings.controller, dpo: settings.dpo, supervisoryAuthority: SUPERVISORY_AUTHORITY };
}

export function registerDocument(settings: Pick<PrivacySettings, 'controller' | 'dpo'>, subProcessors: SubProcessor[]) {
  return {
    version: REGISTER_VERSION,
    controller: controllerOf(settings),
    activities: ACTIVITIES,
    dataCategories: DATA_CATEGORIES,
    subProcessors: subProcessors.map(({ name, service, location, categories }) => ({ name, service, location, categories })),
    transfers: TRANSFERS,
    securityMeasures: SECURITY_MEASURES,
    rights: RIGHTS,
    requestDeadline: REQUEST_DEADLINE,
  };
}

/** The part of the register that applies to one category of a subject's data (for exports and receipts). */
export function categoryInfo(id: DataCategoryId) {
  const category = DATA_CATEGORIES.find((c) => c.id === id);
  if (!category) throw new Error(`undeclared data category ${id}`);
  return category;
}
