/**
 * The export as a readable document (HTML that prints well): the same content as the JSON
 * export, store by store, with headings and column names a person understands, in English or
 * Dutch. The access log is shown by role and in words (src/privacy/access-log), never by staff
 * id or action code. The document is self-contained (inline styles only, no scripts), so it can
 * be saved, printed or attached to a complaint as it is.
 */
import type { Label } from '../access-log/action-labels';
import type { ReadableAccessEntry } from '../access-log/read-access-log';
import { ACTIVITIES_NL } from '../register/catalogue-nl';
import { COLUMN_LABELS } from './column-labels';

export type Lang = 'en' | 'nl';

const STORE_TITLES: Record<string, Label> = {
  contact: { en: 'Your contact details', nl: 'Uw contactgegevens' },
  licences: { en: 'Your licences', nl: 'Uw licenties' },
  licence_users: { en: 'Windows accounts that use your licence', nl: 'Windows-accounts die uw licentie gebruiken' },
  devices: { en: 'Your computers', nl: 'Uw computers' },
  device_macs: { en: 'Network adapters of your computers', nl: 'Netwerkadapters van uw computers' },
  validation_events: { en: 'Licence checks', nl: 'Licentiecontroles' },
  telemetry_events: { en: 'Usage statistics (pseudonymised)', nl: 'Gebruiksstatistieken (gepseudonimiseerd)' },
  fraud_observations: { en: 'Observations for fraud detection', nl: 'Waarnemingen voor fraudedetectie' },
  fraud_alerts: { en: 'Fraud alerts about your licence', nl: 'Fraudemeldingen over uw licentie' },
  privacy_requests: { en: 'Your requests', nl: 'Uw verzoeken' },
  access_log: { en: 'Who used your data', nl: 'Wie uw gegevens gebruikte' },
  verification_codes: { en: 'Sign-in codes', nl: 'Aanmeldcodes' },
  billing_records: { en: 'Billing records', nl: 'Factuurgegevens' },
  erasure_jobs: { en: 'Erasures', nl: 'Wissingen' },
  data_key: { en: 'Your encryption key', nl: 'Uw versleutelingssleutel' },
};

const TEXT = {
  title: { en: 'Your data at Nomina', nl: 'Uw gegevens bij Nomina' },
  generated: { en: 'Made on', nl: 'Gemaakt op' },
  format: { en: 'Machine-readable version: the JSON export, format', nl: 'Machineleesbare versie: de JSON-export, formaat' },
  none: { en: 'Nothing recorded.', nl: 'Niets vastgelegd.' },
  how: { en: 'How we use your data', nl: 'Hoe wij uw gegevens gebruiken' },
  purpose: { en: 'Purpose', nl: 'Doel' },
  legalBasis: { en: 'Legal basis', nl: 'Rechtsgrond' },
  retention: { en: 'How long it is kept', nl: 'Hoe lang het bewaard wordt' },
  recipients: { en: 'Who receives it', nl: 'Wie het ontvangt' },
  when: { en: 'When', nl: 'Wanneer' },
  who: { en: 'Who', nl: 'Wie' },
  what: { en: 'What', nl: 'Wat' },
  why: { en: 'Stated purpose', nl: 'Opgegeven doel' },
  noPurpose: { en: '(none stated)', nl: '(geen opgegeven)' },
  controller: { en: 'Controller', nl: 'Verwerkingsverantwoordelijke' },
  rights: { en: 'Your rights', nl: 'Uw rechten' },
  deadline: { en: 'Deadline for answers', nl: 'Termijn voor antwoorden' },
  complaints: { en: 'Complaints', nl: 'Klachten' },
} satisfies Record<string, Label>;

export interface ExportDocument {
  format: string; version: number; generatedAt: string;
  howWeUseYourData: {
    controller: { name: string; address?: string; dpo?: unknown };
    purposes: { id?: string; purpose: string; legalBasis: string; categories: string[]; recipients: string[]; retention: string }[];
    yourRights: string[]; requestDeadline: string; complaints: unknown;
  };
  data: Record<string, { category: string; items: Record<string, unknown>[]; count: number }>;
}

const STAFF_ID = /staffId$/i;

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function cell(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(cell).join('<br>');
  if (typeof value === 'object') {
    // Staff are named by role in the access log; a staff id tells a person nothing.
    return Object.entries(value as Record<string, unknown>).filter(([k]) => !STAFF_ID.test(k)).map(([k, v]) => `${escape(k)}: ${cell(v)}`).join('<br>');
  }
  return escape(String(value));
}

function table(headers: string[], rows: string[][]): string {
  return `<table><thead><tr>${headers.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>`
    + `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function storeSection(name: string, store: ExportDocument['data'][string], lang: Lang): string {
  const title = STORE_TITLES[name]?.[lang] ?? name;
  if (store.items.length === 0) return `<section><h2>${escape(title)}</h2><p>${TEXT.none[lang]}</p></section>`;
  const columns = [...new Set(store.items.flatMap((item) => Object.keys(item)))];
  const headers = columns.map((c) => escape(COLUMN_LABELS[c]?.[lang] ?? c));
  return `<section><h2>${escape(title)} (${store.count})</h2>${table(headers, store.items.map((item) => columns.map((c) => cell(item[c]))))}</section>`;
}

function accessLogSection(entries: ReadableAccessEntry[], lang: Lang): string {
  const title = STORE_TITLES.access_log[lang];
  if (entries.length === 0) return `<section><h2>${title}</h2><p>${TEXT.none[lang]}</p></section>`;
  return `<section><h2>${title} (${entries.length})</h2>${table([TEXT.when[lang], TEXT.who[lang], TEXT.what[lang], TEXT.why[lang]],
    entries.map((e) => [escape(e.at), escape(e.who.label[lang]), escape(e.what[lang]), e.purpose ? escape(e.purpose) : TEXT.noPurpose[lang]]))}</section>`;
}

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#111;max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #333}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #777;padding:.25rem .4rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eee}@media print{body{max-width:none;font-size:11pt}section{break-inside:auto}tr{break-inside:avoid}h2{break-after:avoid}}`;

export function renderExportHtml(doc: ExportDocument, accessLog: ReadableAccessEntry[], lang: Lang): string {
  const how = doc.howWeUseYourData;
  const purposes = table([TEXT.purpose[lang], TEXT.legalBasis[lang], TEXT.retention[lang], TEXT.recipients[lang]],
    how.purposes.map((p) => {
      const text = lang === 'nl' && p.id && ACTIVITIES_NL[p.id] ? ACTIVITIES_NL[p.id] : p;
      return [escape(text.purpose), escape(text.legalBasis), escape(text.retention), cell(p.recipients)];
    }));
  const stores = Object.entries(doc.data).map(([name, store]) => (name === 'access_log' ? accessLogSection(accessLog, lang) : storeSection(name, store, lang)));
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`
    + `<title>${TEXT.title[lang]}</title><style>${STYLE}</style></head><body><main>`
    + `<h1>${TEXT.title[lang]}</h1><p>${TEXT.generated[lang]} ${escape(doc.generatedAt)}. ${TEXT.format[lang]} <code>${escape(doc.format)}</code> v${doc.version}.</p>`
    + stores.join('')
    + `<section><h2>${TEXT.how[lang]}</h2>${purposes}`
    + `<h3>${TEXT.controller[lang]}</h3><p>${cell(how.controller)}</p>`
    + `<h3>${TEXT.rights[lang]}</h3><ul>${how.yourRights.map((r) => `<li>${escape(r)}</li>`).join('')}</ul>`
    + `<h3>${TEXT.deadline[lang]}</h3><p>${escape(how.requestDeadline)}</p>`
    + `<h3>${TEXT.complaints[lang]}</h3><p>${cell(how.complaints)}</p></section>`
    + '</main></body></html>';
}
