import { useEffect, useRef, useState, type FormEvent } from 'react';
import { asProblem, fieldErrors, type ApiClient, type Problem } from '../../shared/api';
import { Field, Message } from '../../shared/forms';
import { useI18n } from './i18n';
import { fieldText, problemText } from './problems';

export interface Session { token: string; expiresAt: string; email: string; organisation: string }
interface Offered { contactId: string; organisation: string; token: string; expiresAt: string }

/**
 * Sign-in by e-mail: ask for a code, then enter it. The mail's link opens this page with
 * `#code=…&email=…`: the fragment never reaches a server; it is read here, then removed from the
 * address bar so it stays out of the history.
 */
export function SignIn({ api, notice, onSignedIn }: { api: ApiClient; notice: 'signedOut' | 'expired' | null; onSignedIn(session: Session): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [step, setStep] = useState<'email' | 'code' | 'choose'>('email');
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [fromLink, setFromLink] = useState(false);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [offered, setOffered] = useState<Offered[]>([]);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    // Read on load, and when the link is opened in a tab that already shows the page.
    const readFragment = () => {
      const fragment = new URLSearchParams(window.location.hash.slice(1));
      const linkCode = fragment.get('code');
      const linkEmail = fragment.get('email');
      if (linkCode && linkEmail) {
        setEmail(linkEmail);
        setCode(linkCode);
        setFromLink(true);
        setSent(false);
        setProblem(null);
        setStep('code');
      }
      if (window.location.hash) window.history.replaceState(null, '', window.location.pathname);
    };
    readFragment();
    window.addEventListener('hashchange', readFragment);
    return () => window.removeEventListener('hashchange', readFragment);
  }, []);
  useEffect(() => { if (step !== 'email' || problem) heading.current?.focus(); }, [step]); // eslint-disable-line react-hooks/exhaustive-deps

  async function askCode(event?: FormEvent) {
    event?.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { error, response } = await api.POST('/v1/privacy/verification', { body: { email } });
      if (error) return setProblem(asProblem(error, response.status));
      setSent(true);
      setFromLink(false);
      setCode('');
      setStep('code');
    } catch {
      setProblem(asProblem(null));
    } finally {
      setBusy(false);
    }
  }

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const { data, error, response } = await api.POST('/v1/privacy/sessions', { body: { email, code } });
      if (error || !data) return setProblem(asProblem(error, response.status));
      const sessions = (data as { sessions: Offered[] }).sessions;
      if (sessions.length === 1) return onSignedIn({ ...sessions[0], email });
      setOffered(sessions);
      setStep('choose');
    } catch {
      setProblem(asProblem(null));
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(problem);
  const problemMessage = problem && <Message kind="error">{problemText(problem, i18n)}</Message>;

  return (
    <main id="main" className="narrow">
      {step === 'email' && (
        <form onSubmit={askCode} noValidate>
          <h1 ref={heading} tabIndex={-1}>{t('signin.heading')}</h1>
          {notice && <Message kind="info">{t(notice === 'expired' ? 'signin.expired' : 'signin.signedOut')}</Message>}
          <p>{t('signin.intro')}</p>
          {problemMessage}
          <Field label={t('signin.email')} hint={t('signin.emailHint')} error={fieldText(errors.email, i18n)}>
            <input type="email" name="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <button type="submit" className="primary" disabled={busy}>{t('signin.send')}</button>
        </form>
      )}
      {step === 'code' && (
        <form onSubmit={signIn} noValidate>
          <h1 ref={heading} tabIndex={-1}>{t('signin.codeHeading')}</h1>
          {sent && <Message kind="info">{t('signin.sent')}</Message>}
          {fromLink && <Message kind="info">{t('signin.fromLink')}</Message>}
          {problemMessage}
          <p className="muted">{t('signin.email')}: <strong>{email}</strong></p>
          <Field label={t('signin.code')} hint={t('signin.codeHint')} error={fieldText(errors.code, i18n)}>
            <input name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
          </Field>
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>{t('signin.submit')}</button>
            <button type="button" onClick={() => void askCode()} disabled={busy}>{t('signin.again')}</button>
            <button type="button" className="link" onClick={() => { setStep('email'); setProblem(null); setSent(false); }}>{t('signin.otherAddress')}</button>
          </div>
        </form>
      )}
      {step === 'choose' && (
        <section>
          <h1 ref={heading} tabIndex={-1}>{t('signin.heading')}</h1>
          <p>{t('signin.choose')}</p>
          <ul className="plain">
            {offered.map((s) => (
              <li key={s.contactId}><button type="button" onClick={() => onSignedIn({ ...s, email })}>{s.organisation}</button></li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
