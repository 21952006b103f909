import { useState, type FormEvent } from 'react';
import { client, unwrap } from '../api';
import type { Me } from '../App';
import { useI18n } from '../i18n';
import { ErrorNotice, Field, Page } from '../parts';

export function SignIn({ onSignedIn }: { onSignedIn(me: Me): void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true); setError(null);
    try {
      const res = await unwrap<{ staff: Me }>(client.POST('/v1/staff/sessions', { body: { email, password, session: 'cookie' } }));
      onSignedIn(res.staff);
    } catch (err) { setError(err); } finally { setBusy(false); }
  }
  return (
    <Page title={t('signIn.title')}>
      <form className="narrow" onSubmit={submit}>
        <Field label={t('signIn.email')} type="email" value={email} onChange={setEmail} autoComplete="username" required />
        <Field label={t('signIn.password')} type="password" value={password} onChange={setPassword} autoComplete="current-password" required />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy}>{t('signIn.submit')}</button>
        <p className="hint">{t('signIn.idle')}</p>
      </form>
    </Page>
  );
}
