import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../api';
import { useI18n } from '../i18n';
import { ErrorNotice, Field, Page } from '../parts';

interface Entry { seq: string; at: string; actor: { type: string; id: string | null }; action: string; subjectId: string | null; purpose: string | null; resource: { type: string; id: string } | null }
interface Verification { ok: boolean; checked: number; firstBroken?: { seq: string | null; reason: string } }

export function Audit() {
  const { t, formatDate } = useI18n();
  const [filters, setFilters] = useState({ action: '', actorId: '', subjectId: '', from: '', to: '' });
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [verification, setVerification] = useState<Verification | null>(null);
  const set = (k: keyof typeof filters) => (v: string) => setFilters({ ...filters, [k]: v });
  async function search(e?: FormEvent) {
    e?.preventDefault(); setError(null);
    const query = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.trim()).map(([k, v]) => [k, k === 'from' || k === 'to' ? new Date(v).toISOString() : v.trim()]));
    try { setEntries((await unwrap<{ items: Entry[] }>(client.GET('/v1/audit', { params: { query: { ...query, limit: 100 } as never } }))).items); } catch (err) { setError(err); }
  }
  async function verify() {
    setError(null);
    try { setVerification(await unwrap<Verification>(client.GET('/v1/audit/verify'))); } catch (err) { setError(err); }
  }
  return (
    <Page title={t('audit.title')}>
      <section aria-labelledby="verify-h"><h2 id="verify-h">{t('audit.verifyTitle')}</h2>
        <button type="button" onClick={verify}>{t('audit.verify')}</button>
        <div role="status" aria-live="polite">
          {verification && (verification.ok
            ? <p className="notice ok">{t('audit.intact', { count: verification.checked })}</p>
            : <p className="notice error">{t('audit.broken', { seq: verification.firstBroken?.seq ?? '?', reason: verification.firstBroken?.reason ?? '' })}</p>)}
        </div>
      </section>
      <form className="filters" onSubmit={search}>
        <Field label={t('audit.action')} hint={t('audit.actionHint')} value={filters.action} onChange={set('action')} />
        <Field label={t('audit.actor')} value={filters.actorId} onChange={set('actorId')} />
        <Field label={t('audit.subject')} value={filters.subjectId} onChange={set('subjectId')} />
        <Field label={t('audit.from')} type="datetime-local" value={filters.from} onChange={set('from')} />
        <Field label={t('audit.to')} type="datetime-local" value={filters.to} onChange={set('to')} />
        <button type="submit">{t('audit.show')}</button>
      </form>
      <ErrorNotice error={error} />
      {entries && entries.length === 0 && <p>{t('audit.none')}</p>}
      {entries && entries.length > 0 && (
        <table><thead><tr><th scope="col">#</th><th scope="col">{t('history.at')}</th><th scope="col">{t('audit.actor')}</th><th scope="col">{t('audit.action')}</th><th scope="col">{t('audit.resource')}</th><th scope="col">{t('audit.purpose')}</th></tr></thead>
          <tbody>{entries.map((e) => <tr key={e.seq}><td>{e.seq}</td><td>{formatDate(e.at)}</td><td>{e.actor.type} {e.actor.id?.slice(0, 8)}</td><td>{e.action}</td><td>{e.resource ? `${e.resource.type} ${e.resource.id.slice(0, 8)}` : '—'}</td><td>{e.purpose ?? '—'}</td></tr>)}</tbody></table>
      )}
    </Page>
  );
}
