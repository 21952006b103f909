import { useEffect, useMemo, useRef, useState } from 'react';
import { createApiClient } from '../../shared/api';
import { Holder } from './Holder';
import { useI18n } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { SignIn, type Session } from './SignIn';

/**
 * The page: sign-in, then the holder's data. The session token lives only in this component's
 * memory (15 minutes, never stored in the browser): reloading the page means signing in again.
 */
export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<'signedOut' | 'expired' | null>(null);
  const tokenRef = useRef<string | null>(null);
  tokenRef.current = session?.token ?? null;
  const api = useMemo(() => createApiClient(() => tokenRef.current, () => { setSession(null); setNotice('expired'); }), []);

  useEffect(() => { document.title = t('app.title'); }, [t]);
  useEffect(() => {
    if (!session) return;
    const timer = window.setTimeout(() => { setSession(null); setNotice('expired'); }, new Date(session.expiresAt).getTime() - Date.now());
    return () => window.clearTimeout(timer);
  }, [session]);

  return (
    <>
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="top">
        <p className="brand">{t('app.title')}</p>
        <LanguageSwitch />
      </header>
      {session
        ? <Holder api={api} session={session} onSignOut={() => { setSession(null); setNotice('signedOut'); }} />
        : <SignIn api={api} notice={notice} onSignedIn={(s) => { setNotice(null); setSession(s); }} />}
    </>
  );
}
