import { useState } from 'react';
import { client, unwrap } from '../api';
import type { Me } from '../App';
import { useI18n, type MessageId } from '../i18n';
import { linkProps } from '../router';
import { ErrorNotice, Page, ReasonForm, Select, Status, useLoad } from '../parts';

interface AlertSummary { id: string; licenceId: string; title: string; severity: string; status: string; openedAt: string; lastEvidenceAt: string }
interface Alert extends AlertSummary {
  explanation: { title: string; innocentCauses: string; [k: string]: string };
  evidence: AlertEvidence | null; evidenceErased: boolean;
  decision: { reason: string | null } | null;
}

export function FraudQueue() {
  const { t, formatDate } = useI18n();
  const [status, setStatus] = useState<'open' | 'under_review' | 'confirmed' | 'dismissed'>('open');
  const alerts = useLoad(() => unwrap<{ items: AlertSummary[] }>(client.GET('/v1/fraud/alerts', { params: { query: { status, limit: 100 } } })), [status]);
  return (
    <Page title={t('fraud.title')}>
      <Select label={t('fraud.filter')} value={status} onChange={setStatus} options={(['open', 'under_review', 'confirmed', 'dismissed'] as const).map((s) => ({ value: s, label: t(`status.${s}`) }))} />
      <ErrorNotice error={alerts.error} />
      {alerts.data && alerts.data.items.length === 0 && <p>{t('dash.noAlerts')}</p>}
      {alerts.data && alerts.data.items.length > 0 && (
        <table><thead><tr><th scope="col">{t('fraud.signal')}</th><th scope="col">{t('fraud.severity')}</th><th scope="col">{t('licence.status')}</th><th scope="col">{t('fraud.opened')}</th><th scope="col">{t('fraud.lastEvidence')}</th></tr></thead>
          <tbody>{alerts.data.items.map((a) => <tr key={a.id}><td><a {...linkProps(`/fraud/${a.id}`)}>{a.title}</a></td><td><Status value={a.severity} /></td><td><Status value={a.status} /></td><td>{formatDate(a.openedAt)}</td><td>{formatDate(a.lastEvidenceAt)}</td></tr>)}</tbody></table>
      )}
    </Page>
  );
}

interface EvidenceItem { key: string; kind: string; firstAt: string; lastAt: string; count: number; detail?: Record<string, unknown> }
interface AlertEvidence { summary: Record<string, string | number>; items: EvidenceItem[]; occurrences: number; firstAt: string; lastAt: string }
const SUMMARY_KEYS = ['distinct', 'threshold', 'windowHours', 'activations', 'releases', 'windowDays', 'clashingMacs', 'otherLicences', 'acrossCustomers', 'networks', 'returns', 'windowMinutes', 'driftMinutes', 'toleranceMinutes'] as const;

/** Evidence as sentences and a table a person reads, not JSON. */
function Evidence({ evidence }: { evidence: AlertEvidence }) {
  const { t, formatDate } = useI18n();
  return (
    <>
      <h2>{t('fraud.evidence')}</h2>
      <ul>
        {SUMMARY_KEYS.filter((k) => evidence.summary[k] !== undefined).map((k) => <li key={k}>{t(`evidence.${k}`, { value: evidence.summary[k] })}</li>)}
        <li>{t('evidence.occurrences', { count: evidence.occurrences, first: formatDate(evidence.firstAt), last: formatDate(evidence.lastAt) })}</li>
      </ul>
      {evidence.items.length > 0 && (
        <table><thead><tr><th scope="col">{t('evidence.what')}</th><th scope="col">{t('evidence.firstSeen')}</th><th scope="col">{t('evidence.lastSeen')}</th><th scope="col">{t('evidence.times')}</th></tr></thead>
          <tbody>{evidence.items.map((i) => (
            <tr key={i.key}><td>{t(`evidence.kind.${i.kind}` as MessageId)} {i.key}</td><td>{formatDate(i.firstAt)}</td><td>{formatDate(i.lastAt)}</td><td>{i.count}</td></tr>))}
          </tbody></table>
      )}
    </>
  );
}

export function FraudAlertPage({ id, me }: { id: string; me: Me }) {
  const { t, formatDate } = useI18n();
  const alert = useLoad(() => unwrap<Alert>(client.GET('/v1/fraud/alerts/{id}', { params: { path: { id } } })), [id]);
  // Support may take an alert under review; confirming or dismissing is for a privacy officer or an admin.
  const decides = me.roles.includes('privacy_officer') || me.roles.includes('admin');
  const choices = (decides ? ['under_review', 'confirmed', 'dismissed'] : ['under_review']) as ('under_review' | 'confirmed' | 'dismissed')[];
  const [decision, setDecision] = useState<'confirmed' | 'dismissed' | 'under_review'>(decides ? 'dismissed' : 'under_review');
  const [suspend, setSuspend] = useState(false);
  const a = alert.data;
  return (
    <Page title={a ? a.title : t('licence.loading')}>
      <ErrorNotice error={alert.error} />
      {a && (
        <>
          <p><Status value={a.status} /> · <Status value={a.severity} /> · {t('fraud.openedAt', { at: formatDate(a.openedAt) })} · <a {...linkProps(`/licences/${a.licenceId}`)}>{t('fraud.toLicence')}</a></p>
          {Object.entries(a.explanation).filter(([k]) => k !== 'title' && k !== 'innocentCauses').map(([k, v]) => <p key={k}>{v}</p>)}
          <p><strong>{t('fraud.innocent')}</strong> {a.explanation.innocentCauses}</p>
          {a.evidence ? <Evidence evidence={a.evidence} /> : <p>{t('fraud.evidenceErased')}</p>}
          <p className="hint">{t('fraud.human')}</p>
          {a.decision && <p>{t('fraud.decided', { reason: a.decision.reason ?? '' })}</p>}
          {(a.status === 'open' || (a.status === 'under_review' && decides)) && (
            <section aria-labelledby="decide"><h2 id="decide">{t('fraud.decide')}</h2>
              <fieldset><legend>{t('fraud.decision')}</legend>
                {choices.filter((d) => d !== a.status).map((d) => (
                  <label key={d} className="check"><input type="radio" name="decision" value={d} checked={decision === d} onChange={() => setDecision(d)} /> {t(`status.${d}`)}</label>
                ))}
              </fieldset>
              <ReasonForm label={t('reason.label')} submit={t('fraud.record')}
                extra={decision === 'confirmed' ? <label className="check"><input type="checkbox" checked={suspend} onChange={(e) => setSuspend(e.target.checked)} /> {t('fraud.suspend')}</label> : null}
                run={async (reason) => { await unwrap(client.POST('/v1/fraud/alerts/{id}/decision', { params: { path: { id } }, body: { decision, reason, suspendLicence: decision === 'confirmed' && suspend } })); alert.reload(); }} />
            </section>
          )}
        </>
      )}
    </Page>
  );
}
