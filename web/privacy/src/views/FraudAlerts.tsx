import { useState, type FormEvent } from 'react';
import { asProblem, fieldErrors, type ApiClient, type Problem } from '../../../shared/api';
import { Field, Message } from '../../../shared/forms';
import type { FraudAlertItem, SubjectExport } from '../export-types';
import { useI18n } from '../i18n';
import { DECISIONS_NL, SIGNALS_NL } from '../messages';
import { fieldText, problemText } from '../problems';
import { CategoryInfo } from './CategoryInfo';

/** Fraud alerts about the holder's licence, each explained in plain words, each contestable. */
export function FraudAlerts({ api, alerts, how, reload }: { api: ApiClient; alerts: FraudAlertItem[]; how: SubjectExport['howWeUseYourData']; reload(): Promise<void> }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">{t('alerts.heading')}</h2>
      <p>{t('alerts.intro')}</p>
      {alerts.length === 0 ? <p>{t('alerts.none')}</p> : alerts.map((a) => <Alert key={a.id} api={api} alert={a} reload={reload} />)}
      <CategoryInfo category="fraud_evidence" how={how} />
    </section>
  );
}

function Alert({ api, alert, reload }: { api: ApiClient; alert: FraudAlertItem; reload(): Promise<void> }) {
  const i18n = useI18n();
  const { t, lang, date, deadline } = i18n;
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sentDue, setSentDue] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const explanation = (lang === 'nl' ? SIGNALS_NL[alert.signal] : null) ?? alert.explanation;
  const stateText = lang === 'nl' ? DECISIONS_NL[alert.status] ?? alert.statusExplanation : alert.statusExplanation;
  const openContest = alert.contests.find((c) => c.status !== 'completed' && c.status !== 'rejected');

  async function contest(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.POST('/v1/privacy/me/fraud-alerts/{id}/contest', { params: { path: { id: alert.id } }, body: { reason } });
      if (error) return setProblem(asProblem(error, response.status));
      setSentDue((data as { dueAt: string }).dueAt);
      setReason('');
      await reload();
    } catch {
      setProblem(asProblem(null));
    } finally {
      setBusy(false);
    }
  }

  return (
    <article className="card" aria-labelledby={`alert-${alert.id}`}>
      <h3 id={`alert-${alert.id}`}>{explanation?.title ?? alert.signal}</h3>
      <p className="muted">{t('alerts.opened', { date: date(alert.openedAt) })}</p>
      {explanation && (
        <dl>
          <dt>{t('alerts.what')}</dt><dd>{explanation.what}</dd>
          <dt>{t('alerts.why')}</dt><dd>{explanation.why}</dd>
          <dt>{t('alerts.innocent')}</dt><dd>{explanation.innocentCauses}</dd>
          <dt>{t('alerts.state')}</dt><dd>{stateText}</dd>
        </dl>
      )}
      {alert.decision && <p>{t('alerts.decision', { date: date(alert.decision.at), reason: alert.decision.reason ?? '—' })}</p>}
      {sentDue && <Message kind="success">{t('alerts.contested', { date: deadline(sentDue) })}</Message>}
      {openContest && !sentDue && <p>{t('alerts.contestOpen', { date: date(openContest.receivedAt), date2: deadline(openContest.dueAt) })}</p>}
      {!openContest && (
        <form onSubmit={contest} noValidate>
          <h4>{t('alerts.contest')}</h4>
          {problem && <Message kind="error">{problemText(problem, i18n)}</Message>}
          <Field label={t('alerts.contestReason')} hint={t('alerts.contestHint')} error={fieldText(fieldErrors(problem).reason, i18n)}>
            <textarea name="reason" rows={3} required value={reason} onChange={(e) => setReason(e.target.value)} />
          </Field>
          <button type="submit" disabled={busy}>{t('alerts.contestSend')}</button>
        </form>
      )}
    </article>
  );
}
