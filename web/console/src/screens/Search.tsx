import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../api';
import { useI18n } from '../i18n';
import { linkProps } from '../router';
import { ErrorNotice, Field, Page, Status } from '../parts';

export interface LicenceRow {
  id: string; key: string; productCode: string; status: string; validUntil: string | null; customerId: string; policyId: string;
  holder: { id: string; firstName: string | null; lastName: string | null; email: string | null; erased: boolean };
  view: 'full' | 'masked';
}

export function Search() {
  const { t, formatDate } = useI18n();
  const [q, setQ] = useState(() => new URLSearchParams(window.location.search).get('q') ?? '');
  const [results, setResults] = useState<LicenceRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!q.trim()) return;
    try {
      const page = await unwrap<{ items: LicenceRow[] }>(client.GET('/v1/licences', { params: { query: { q: q.trim(), limit: 50 } } }));
      setResults(page.items);
      window.history.replaceState(null, '', `?q=${encodeURIComponent(q.trim())}`);
    } catch (err) { setError(err); setResults(null); }
  }
  return (
    <Page title={t('search.title')}>
      <form role="search" className="search" onSubmit={submit}>
        <Field label={t('search.label')} hint={t('search.hint')} value={q} onChange={setQ} type="search" />
        <button type="submit">{t('search.submit')}</button>
      </form>
      <ErrorNotice error={error} />
      {results && (
        <section aria-labelledby="results" aria-live="polite">
          <h2 id="results">{t('search.results', { count: results.length })}</h2>
          {results.length > 0 && (
            <table>
              <thead><tr><th scope="col">{t('licence.key')}</th><th scope="col">{t('licence.holder')}</th><th scope="col">{t('licence.email')}</th><th scope="col">{t('licence.status')}</th><th scope="col">{t('licence.validUntil')}</th></tr></thead>
              <tbody>{results.map((l) => (
                <tr key={l.id}>
                  <td><a {...linkProps(`/licences/${l.id}`)}>{l.key}</a></td>
                  <td>{l.holder.erased ? t('licence.erased') : `${l.holder.firstName ?? ''} ${l.holder.lastName ?? ''}`}</td>
                  <td>{l.holder.email}</td>
                  <td><Status value={l.status} /></td>
                  <td>{formatDate(l.validUntil)}</td>
                </tr>))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Page>
  );
}
