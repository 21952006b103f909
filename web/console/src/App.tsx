import { useEffect, useRef, useState } from 'react';
import { client, onSignedOut, unwrap } from './api';
import { I18nProvider, useI18n, type MessageId } from './i18n';
import { linkProps, navigate, usePath } from './router';
import { SignIn } from './screens/SignIn';
import { Dashboard } from './screens/Dashboard';
import { Search } from './screens/Search';
import { LicencePage } from './screens/LicencePage';
import { FraudQueue, FraudAlertPage } from './screens/Fraud';
import { PrivacyQueue, PrivacyRequestPage } from './screens/Privacy';
import { Breaches } from './screens/Breaches';
import { Register } from './screens/Register';
import { Admin } from './screens/Admin';
import { Audit } from './screens/Audit';
import { Telemetry } from './screens/Telemetry';
import { OfflineActivation } from './screens/OfflineActivation';

export type Role = 'support' | 'privacy_officer' | 'admin' | 'auditor';
export interface Me { id: string; email: string; roles: Role[] }

const NAV: { to: string; label: MessageId; roles: Role[] }[] = [
  { to: '/', label: 'nav.dashboard', roles: ['support', 'privacy_officer', 'admin', 'auditor'] },
  { to: '/search', label: 'nav.search', roles: ['support', 'admin', 'privacy_officer'] },
  { to: '/offline', label: 'nav.offline', roles: ['support', 'admin'] },
  { to: '/fraud', label: 'nav.fraud', roles: ['support', 'admin', 'privacy_officer'] },
  { to: '/privacy', label: 'nav.privacy', roles: ['privacy_officer'] },
  { to: '/breaches', label: 'nav.breaches', roles: ['privacy_officer'] },
  { to: '/register', label: 'nav.register', roles: ['privacy_officer', 'admin', 'auditor', 'support'] },
  { to: '/admin', label: 'nav.admin', roles: ['admin'] },
  { to: '/audit', label: 'nav.audit', roles: ['auditor', 'privacy_officer'] },
  { to: '/telemetry', label: 'nav.telemetry', roles: ['support', 'admin', 'privacy_officer'] },
];

function Screen({ path, me }: { path: string; me: Me }) {
  const licence = /^\/licences\/([0-9a-f-]{36})$/.exec(path);
  if (licence) return <LicencePage id={licence[1]} me={me} />;
  const offline = /^\/licences\/([0-9a-f-]{36})\/offline$/.exec(path);
  if (offline) return <OfflineActivation licenceId={offline[1]} />;
  const alert = /^\/fraud\/([0-9a-f-]{36})$/.exec(path);
  if (alert) return <FraudAlertPage id={alert[1]} me={me} />;
  const request = /^\/privacy\/([0-9a-f-]{36})$/.exec(path);
  if (request) return <PrivacyRequestPage id={request[1]} />;
  switch (path) {
    case '/search': return <Search />;
    case '/offline': return <OfflineActivation />;
    case '/fraud': return <FraudQueue />;
    case '/privacy': return <PrivacyQueue />;
    case '/breaches': return <Breaches />;
    case '/register': return <Register />;
    case '/admin': return <Admin me={me} />;
    case '/audit': return <Audit />;
    case '/telemetry': return <Telemetry />;
    default: return <Dashboard me={me} />;
  }
}

function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <label className="language">
      {t('app.language')}{' '}
      <select value={language} onChange={(e) => setLanguage(e.target.value as 'en' | 'nl')}>
        <option value="en" lang="en">English</option>
        <option value="nl" lang="nl">Nederlands</option>
      </select>
    </label>
  );
}

function Shell() {
  const { t } = useI18n();
  const path = usePath();
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    unwrap<{ staff: Me }>(client.GET('/v1/staff/sessions/current')).then((s) => setMe(s.staff), () => setMe(null));
    return onSignedOut(() => setMe(null));
  }, []);
  // Moving to another screen puts the focus on its heading, as a page load would for a screen reader.
  useEffect(() => { main.current?.querySelector<HTMLElement>('h1')?.focus(); }, [path]);
  if (me === undefined) return <p className="loading">{t('app.loading')}</p>;
  if (me === null) return <><header className="top"><span className="brand">Nomina</span><LanguageSwitch /></header><main id="main" ref={main}><SignIn onSignedIn={(m) => { setMe(m); navigate('/'); }} /></main></>;
  async function signOut() {
    await client.DELETE('/v1/staff/sessions/current');
    setMe(null);
  }
  return (
    <>
      <a className="skip" href="#main">{t('app.skip')}</a>
      <header className="top">
        <span className="brand">Nomina</span>
        <nav aria-label={t('nav.label')}>
          <ul>
            {NAV.filter((n) => n.roles.some((r) => me.roles.includes(r))).map((n) => (
              <li key={n.to}><a {...linkProps(n.to)} aria-current={path === n.to ? 'page' : undefined}>{t(n.label)}</a></li>
            ))}
          </ul>
        </nav>
        <span className="who">{me.email} ({me.roles.map((r) => t(`role.${r}` as MessageId)).join(', ')})</span>
        <LanguageSwitch />
        <button type="button" onClick={signOut}>{t('app.signOut')}</button>
      </header>
      <main id="main" ref={main}><Screen path={path} me={me} /></main>
    </>
  );
}

export function App() {
  return <I18nProvider><Shell /></I18nProvider>;
}
