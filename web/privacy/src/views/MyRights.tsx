import { useState } from 'react';
import { asProblem, type ApiClient, type Problem } from '../../../shared/api';
import { Message } from '../../../shared/forms';
import type { Loaded } from '../Holder';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { problemText } from '../problems';
import { CorrectDetails } from './CorrectDetails';
import { Downloads } from './Downloads';

type Right = 'objectTelemetry' | 'objectFraud' | 'restrict' | 'erase';
const REQUESTS: Record<Right, { type: 'objection' | 'restriction' | 'erasure'; scope?: ('telemetry' | 'fraud_profiling')[] }> = {
  objectTelemetry: { type: 'objection', scope: ['telemetry'] },
  objectFraud: { type: 'objection', scope: ['fraud_profiling'] },
  restrict: { type: 'restriction' },
  erase: { type: 'erasure' },
};

/** Download, correct, object, restrict, erase: each right with one sentence on what it does and one on what is kept. */
export function MyRights({ api, loaded, reload }: { api: ApiClient; loaded: Loaded; reload(): Promise<void> }) {
  const { t } = useI18n();
  const contact = loaded.export.data.contact.items[0];
  const inForce: Partial<Record<Right, string | null>> = contact ? {
    objectTelemetry: contact.objections.telemetry ? '' : null,
    objectFraud: contact.objections.fraudProfiling ? '' : null,
    restrict: contact.restrictedAt,
  } : {};
  return (
    <>
      <h1 tabIndex={-1}>{t('rights.heading')}</h1>
      <p>{t('rights.intro')}</p>
      <Downloads api={api} />
      {contact && <CorrectDetails api={api} contact={contact} reload={reload} />}
      {(Object.keys(REQUESTS) as Right[]).map((right) => (
        <RightCard key={right} api={api} right={right} inForce={inForce[right] ?? null} reload={reload} />
      ))}
    </>
  );
}

function RightCard({ api, right, inForce, reload }: { api: ApiClient; right: Right; inForce: string | null; reload(): Promise<void> }) {
  const i18n = useI18n();
  const { t, date, deadline } = i18n;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sent, setSent] = useState<{ status: string; dueAt: string } | null>(null);
  const key = (suffix: string) => `${right}.${suffix}` as MessageKey;

  async function submit() {
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.POST('/v1/privacy/me/requests', { body: REQUESTS[right] });
      if (error) return setProblem(asProblem(error, response.status));
      setSent(data as { status: string; dueAt: string });
      setConfirming(false);
      await reload();
    } catch {
      setProblem(asProblem(null));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${right}-heading`}>
      <h2 id={`${right}-heading`}>{t(key('heading'))}</h2>
      <p>{t(key('does'))}</p>
      <p>{t(key('keeps'))}</p>
      {problem && <Message kind="error">{problemText(problem, i18n)}</Message>}
      {sent && (
        <Message kind="success">
          {sent.status === 'completed' ? t('right.done') : t('right.sent', { status: t(`reqstatus.${sent.status}` as MessageKey), date: deadline(sent.dueAt) })}
        </Message>
      )}
      {inForce !== null && !sent && <p className="note">{inForce ? t('right.inForce', { date: date(inForce) }) : t('right.active')}</p>}
      {inForce === null && !sent && !confirming && (
        <button type="button" className={right === 'erase' ? 'danger' : undefined} disabled={busy}
          onClick={() => (right === 'erase' ? setConfirming(true) : void submit())}>{t(key('button'))}</button>
      )}
      {confirming && (
        <div className="confirm" role="group" aria-labelledby={`${right}-confirm`}>
          <p id={`${right}-confirm`}><strong>{t('erase.confirm')}</strong></p>
          <div className="actions">
            <button type="button" className="danger" disabled={busy} onClick={() => void submit()}>{t('erase.yes')}</button>
            <button type="button" onClick={() => setConfirming(false)}>{t('erase.cancel')}</button>
          </div>
        </div>
      )}
    </section>
  );
}
