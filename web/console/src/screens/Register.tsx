import { client, unwrap } from '../api';
import { useI18n } from '../i18n';
import { ErrorNotice, Page, useLoad } from '../parts';

interface Activity { id: string; purpose: string; legalBasis: string; retention: string; recipients: string[] }
interface SubProcessor { name: string; service: string; location: string }

export function Register() {
  const { t } = useI18n();
  const register = useLoad(() => unwrap<{ activities: Activity[]; subProcessors: SubProcessor[] }>(client.GET('/v1/privacy/register', {})), []);
  return (
    <Page title={t('register.title')}>
      <ErrorNotice error={register.error} />
      <p><a href="/v1/privacy/register?format=html">{t('register.html')}</a></p>
      {register.data && (
        <table><thead><tr><th scope="col">{t('register.purpose')}</th><th scope="col">{t('register.basis')}</th><th scope="col">{t('register.retention')}</th><th scope="col">{t('register.recipients')}</th></tr></thead>
          <tbody>{register.data.activities.map((a) => <tr key={a.id}><td>{a.purpose}</td><td>{a.legalBasis}</td><td>{a.retention}</td><td>{a.recipients.join(', ')}</td></tr>)}</tbody></table>
      )}
      {register.data && register.data.subProcessors.length > 0 && (
        <><h2>{t('register.subProcessors')}</h2><ul>{register.data.subProcessors.map((s) => <li key={s.name}>{s.name} — {s.service} ({s.location})</li>)}</ul></>
      )}
    </Page>
  );
}
