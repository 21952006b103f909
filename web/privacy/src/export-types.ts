/** The JSON export, format nomina.subject-export v1 (src/privacy/export/export-format.md), as the page reads it. */
export interface Purpose { id?: string; purpose: string; legalBasis: string; categories: string[]; recipients: string[]; retention: string; howToObject?: string }
export interface DataCategory { id: string; name: string; fields: string[]; personal: boolean; retention: string }

export interface ContactItem {
  id: string; organisation: string | null; roles: string[]; title: string | null; firstName: string | null; lastName: string | null;
  jobTitle: string | null; department: string | null; address: string | null; phone: string | null; fax: string | null; email: string | null;
  objections: { telemetry: boolean; directMarketing: boolean; fraudProfiling: boolean }; restrictedAt: string | null;
}
export interface LicenceItem { id: string; organisation: string | null; product: string; productName: string; status: string; keyEndsWith: string; validFrom: string; validUntil: string | null }
export interface LicenceUserItem { licenceId: string; ntAccount: string | null; boundAt: string | null }
export interface DeviceItem { id: string; licenceId: string; pcName: string | null; lastNtAccount: string | null; firstSeenAt: string | null; lastSeenAt: string | null; releasedAt: string | null; releasedBy: string | null;
  /** docs/offline-activation.md §6: `offline` for a PC activated with a licence file, until when that file works */
  activationMode: 'online' | 'offline'; offlineExpiresAt: string | null;
}
export interface TelemetryItem { month: string; at: string; type: string; name: string }
export interface SignalExplanation { title: string; what: string; why: string; innocentCauses: string }
export interface FraudAlertItem {
  id: string; licenceId: string; signal: string; explanation: SignalExplanation | null; severity: string; status: string; statusExplanation: string;
  openedAt: string; lastEvidenceAt: string; decision: { at: string; reason: string | null; licenceSuspended: boolean } | null;
  contests: { requestId: string; status: string; receivedAt: string; dueAt: string; outcome: string | null }[];
}

interface Store<T> { category: string; items: T[]; count: number }

export interface SubjectExport {
  format: 'nomina.subject-export'; version: number; generatedAt: string;
  howWeUseYourData: { purposes: Purpose[]; dataCategories: DataCategory[]; requestDeadline: string };
  data: {
    contact: Store<ContactItem>; licences: Store<LicenceItem>; licence_users: Store<LicenceUserItem>; devices: Store<DeviceItem>;
    telemetry_events: Store<TelemetryItem>; fraud_alerts: Store<FraudAlertItem>; [store: string]: Store<unknown>;
  };
}
