/**
 * The registry of subject-data stores, in erasure order: dependants before what they depend on
 * (device MACs before devices before licences), the contact row after everything that points
 * to it, and the data key last of all — until then a crash can still resume and re-read
 * what it needs.
 *
 * Each domain owns the stores of its tables (imported below from the domain folders); the privacy
 * module keeps its own (requests, codes, erasure jobs, data key), the contact, the access log and
 * the billing records.
 */
import { breachNoticesStore } from '../../breaches/breach-subject-data';
import { deviceMacsStore, devicesStore } from '../../devices/device-subject-data';
import { fraudAlertsStore, fraudObservationsStore } from '../../fraud/subject-fraud-data';
import { licencesStore, licenceUsersStore } from '../../licences/licence-subject-data';
import { telemetryEventsStore } from '../../telemetry/subject-telemetry';
import type { SubjectDataStore } from '../subject-data';
import { auditEntriesStore } from './audit-entries.store';
import { billingRecordsStore } from './billing-records.store';
import { contactsStore } from './contacts.store';
import { erasureJobsStore } from './erasure-jobs.store';
import { privacyRequestsStore } from './privacy-requests.store';
import { restrictionExceptionsStore } from '../restriction/restriction-exceptions.store';
import { subjectKeyStore } from './subject-key.store';
import { validationEventsStore } from './validation-events.store';
import { verificationCodesStore } from './verification-codes.store';

export const SUBJECT_DATA_STORES: readonly SubjectDataStore[] = [
  verificationCodesStore,
  telemetryEventsStore,
  validationEventsStore,
  fraudAlertsStore,
  fraudObservationsStore,
  deviceMacsStore,
  devicesStore,
  licenceUsersStore,
  licencesStore,
  billingRecordsStore,
  privacyRequestsStore,
  restrictionExceptionsStore,
  auditEntriesStore,
  breachNoticesStore,
  contactsStore,
  erasureJobsStore,
  subjectKeyStore,
];

/** Export order: the person first, then what hangs off them. */
export const EXPORT_ORDER: readonly SubjectDataStore[] = [
  contactsStore, licencesStore, licenceUsersStore, devicesStore, deviceMacsStore, validationEventsStore, telemetryEventsStore,
  fraudAlertsStore, fraudObservationsStore, privacyRequestsStore, restrictionExceptionsStore, auditEntriesStore, breachNoticesStore, verificationCodesStore, billingRecordsStore, erasureJobsStore, subjectKeyStore,
];
