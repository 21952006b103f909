import { useCallback, useEffect, useRef, useState } from 'react';
import { asProblem, type ApiClient, type Problem } from '../../shared/api';
import { Message } from '../../shared/forms';
import type { SubjectExport } from './export-types';
import { useI18n } from './i18n';
import type { MessageKey } from './messages';
import { problemText } from './problems';
import type { Session } from './SignIn';
import { AccessAndUsage } from './views/AccessAndUsage';
import { MyData } from './views/MyData';
import { MyRequests } from './views/MyRequests';
import { MyRights } from './views/MyRights';
import { OfflinePc } from './views/OfflinePc';
import type { AccessEntry, RequestItem } from './views/types';

type View = 'data' | 'offline' | 'usage' | 'rights' | 'requests';
const VIEWS: { id: View; label: MessageKey }[] = [
  { id: 'data', label: 'nav.data' }, { id: 'offline', label: 'nav.offline' }, { id: 'usage', label: 'nav.usage' }, { id: 'rights', label: 'nav.rights' }, { id: 'requests', label: 'nav.requests' },
];

export interface Loaded { export: SubjectExport; accessLog: AccessEntry[]; requests: RequestItem[] }

/** The signed-in page: loads everything once (and again after each action), shows one view at a time. */
export function Holder({ api, session, onSignOut }: { api: ApiClient; session: Session; onSignOut(): void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [view, setView] = useState<View>('data');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  const reload = useCallback(async () => {
    try {
      const [exported, log, requests] = await Promise.all([
        api.GET('/v1/privacy/me/export', { parseAs: 'json' }),
        api.GET('/v1/privacy/me/access-log'),
        api.GET('/v1/privacy/me/requests'),
      ]);
      const failed = [exported, log, requests].find((r) => r.error);
      if (failed) return setProblem(asProblem(failed.error, failed.response.status));
      setProblem(null);
      setLoaded({
        export: exported.data as unknown as SubjectExport,
        accessLog: log.data!.items,
        requests: (requests.data as unknown as { items: RequestItem[] }).items,
      });
    } catch {
      setProblem(asProblem(null));
    }
  }, [api]);

  useEffect(() => { void reload(); }, [reload]);
  useEffect(() => {
    if (firstRender.current) { firstRender.current = false; return; }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [view]);

  return (
    <>
      <nav className="views" aria-label={t('nav.label')}>
        <ul>
          {VIEWS.map((v) => (
            <li key={v.id}>
              <button type="button" aria-current={view === v.id ? 'page' : undefined} onClick={() => setView(v.id)}>{t(v.label)}</button>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={main}>
        <p className="session">
          {t('session.until', { email: session.email, time: i18n.dateTime(session.expiresAt) })}{' '}
          <button type="button" className="link" onClick={onSignOut}>{t('session.signout')}</button>
        </p>
        {problem && <Message kind="error">{problemText(problem, i18n)}</Message>}
        {!loaded && !problem && <p role="status">{t('loading')}</p>}
        {loaded && view === 'data' && <MyData api={api} loaded={loaded} reload={reload} />}
        {loaded && view === 'offline' && <OfflinePc api={api} reload={reload} />}
        {loaded && view === 'usage' && <AccessAndUsage loaded={loaded} />}
        {loaded && view === 'rights' && <MyRights api={api} loaded={loaded} reload={reload} />}
        {loaded && view === 'requests' && <MyRequests loaded={loaded} />}
      </main>
    </>
  );
}
