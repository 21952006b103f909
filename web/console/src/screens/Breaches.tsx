import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../api';
import { useI18n, type MessageId } from '../i18n';
import { ErrorNotice, Field, Page, useLoad } from '../parts';

interface Breach { id: string; title: string; awareAt: string; notificationDeadline: string; notificationState: string; categories: string[]; approxSubjects: number; authorityNotifiedAt: string | null }

export function Breaches() {
  const { t, formatDate } = useI18n();
  const list = useLoad(() => unwrap<{ items: Breach[] }>(client.GET('/v1/breaches', { params: { query: { limit: 100 } } })), []);
  const [form, setForm] = useState({ title: '', description: '', awareAt: '', categories: '', approxSubjects: '0', measures: '' });
  const [error, setError] = useState<unknown>(null);
  const set = (k: keyof typeof form) => (v: string) => setForm({ ...form, [k]: v });
  async function submit(e: FormEvent) {
    e.preventDefault(); setError(null);
    try {
      await unwrap(client.POST('/v1/breaches', { body: {
        title: form.title, description: form.description, awareAt: new Date(form.awareAt || Date.now()).toISOString(),
        categories: form.categories.split(',').map((c) => c.trim()).filter(Boolean), approxSubjects: Number(form.approxSubjects) || 0, approxRecords: Number(form.approxSubjects) || 0, measures: form.measures,
      } }));
      setForm({ title: '', description: '', awareAt: '', categories: '', approxSubjects: '0', measures: '' });
      list.reload();
    } catch (err) { setError(err); }
  }
  const hours = (iso: string) => Math.round((new Date(iso).getTime() - Date.now()) / 3_600_000);
  return (
    <Page title={t('breach.title')}>
      <ErrorNotice error={list.error} />
      {list.data && list.data.items.length === 0 && <p>{t('dash.noBreaches')}</p>}
      {list.data && list.data.items.length > 0 && (
        <table><thead><tr><th scope="col">{t('breach.name')}</th><th scope="col">{t('breach.aware')}</th><th scope="col">{t('breach.deadline')}</th><th scope="col">{t('breach.state')}</th><th scope="col">{t('breach.subjects')}</th></tr></thead>
          <tbody>{list.data.items.map((b) => (
            <tr key={b.id} className={b.notificationState === 'overdue' || (b.notificationState === 'pending' && hours(b.notificationDeadline) < 24) ? 'overdue' : undefined}>
              <td>{b.title}</td><td>{formatDate(b.awareAt)}</td>
              <td>{formatDate(b.notificationDeadline)}{b.notificationState === 'pending' && ` (${t('breach.hoursLeft', { hours: hours(b.notificationDeadline) })})`}</td>
              <td>{t(`breach.${b.notificationState}` as MessageId)}</td><td>{b.approxSubjects}</td>
            </tr>))}
          </tbody></table>
      )}
      <section aria-labelledby="record"><h2 id="record">{t('breach.record')}</h2>
        <form className="narrow" onSubmit={submit}>
          <Field label={t('breach.name')} value={form.title} onChange={set('title')} required />
          <Field label={t('breach.description')} value={form.description} onChange={set('description')} multiline required />
          <Field label={t('breach.aware')} type="datetime-local" value={form.awareAt} onChange={set('awareAt')} required />
          <Field label={t('breach.categories')} hint={t('breach.categoriesHint')} value={form.categories} onChange={set('categories')} required />
          <Field label={t('breach.subjects')} type="number" value={form.approxSubjects} onChange={set('approxSubjects')} />
          <Field label={t('breach.measures')} value={form.measures} onChange={set('measures')} multiline required />
          <ErrorNotice error={error} />
          <button type="submit">{t('breach.record')}</button>
        </form>
      </section>
    </Page>
  );
}
