import { client, unwrap } from '../api';
import type { Me } from '../App';
import { useI18n } from '../i18n';
import { linkProps } from '../router';
import { BarChart, ErrorNotice, Page, Status, useLoad } from '../parts';

interface Stats { totals: Record<string, number> }
interface AlertSummary { id: string; title: string; severity: string; status: string; openedAt: string }
interface RequestRow { id: string; type: string; status: string; dueAt: string; overdue: boolean }
interface BreachRow { id: string; title: string; notificationDeadline: string; notificationState: string }

const daysLeft = (iso: string) => Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);
const hoursLeft = (iso: string) => Math.round((new Date(iso).getTime() - Date.now()) / 3_600_000);

function ValidationCharts() {
  const { t } = useI18n();
  const day = useLoad(() => unwrap<Stats>(client.GET('/v1/stats/validations', { params: { query: { window: '24h' } } })), []);
  const month = useLoad(() => unwrap<Stats>(client.GET('/v1/stats/validations', { params: { query: { window: '30d' } } })), []);
  const rows = (s: Stats | null) => Object.entries(s?.totals ?? {}).sort((a, b) => b[1] - a[1]).map(([label, value]) => ({ label, value }));
  return (
    <div className="grid2">
      <ErrorNotice error={day.error ?? month.error} />
      <BarChart title={t('dash.validations24h')} rows={rows(day.data)} empty={t('dash.noValidations')} valueLabel={t('dash.count')} />
      <BarChart title={t('dash.validations30d')} rows={rows(month.data)} empty={t('dash.noValidations')} valueLabel={t('dash.count')} />
    </div>
  );
}

function OpenAlerts() {
  const { t, formatDate } = useI18n();
  const alerts = useLoad(() => unwrap<{ items: AlertSummary[] }>(client.GET('/v1/fraud/alerts', { params: { query: { status: 'open', limit: 10 } } })), []);
  return (
    <section aria-labelledby="dash-alerts"><h2 id="dash-alerts">{t('dash.openAlerts')}</h2>
      <ErrorNotice error={alerts.error} />
      {alerts.data && alerts.data.items.length === 0 && <p>{t('dash.noAlerts')}</p>}
      <ul className="plain">{alerts.data?.items.map((a) => <li key={a.id}><a {...linkProps(`/fraud/${a.id}`)}>{a.title}</a> · <Status value={a.severity} /> · {formatDate(a.openedAt)}</li>)}</ul>
    </section>
  );
}

function Deadlines() {
  const { t } = useI18n();
  const requests = useLoad(() => unwrap<{ items: RequestRow[] }>(client.GET('/v1/privacy/requests', { params: { query: { status: 'open', limit: 50 } } })), []);
  const breaches = useLoad(() => unwrap<{ items: BreachRow[] }>(client.GET('/v1/breaches', { params: { query: { state: 'pending' } } })), []);
  const sorted = [...(requests.data?.items ?? [])].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return (
    <div className="grid2">
      <section aria-labelledby="dash-requests"><h2 id="dash-requests">{t('dash.requests')}</h2>
        <ErrorNotice error={requests.error} />
        {requests.data && sorted.length === 0 && <p>{t('dash.noRequests')}</p>}
        <ul className="plain">{sorted.map((r) => (
          <li key={r.id} className={r.overdue ? 'overdue' : undefined}>
            <a {...linkProps(`/privacy/${r.id}`)}>{t(`type.${r.type}` as never)}</a> · {r.overdue ? <strong>{t('privacy.overdue', { days: -daysLeft(r.dueAt) })}</strong> : t('privacy.daysLeft', { days: daysLeft(r.dueAt) })}
          </li>))}
        </ul>
      </section>
      <section aria-labelledby="dash-breaches"><h2 id="dash-breaches">{t('dash.breaches')}</h2>
        <ErrorNotice error={breaches.error} />
        {breaches.data && breaches.data.items.length === 0 && <p>{t('dash.noBreaches')}</p>}
        <ul className="plain">{breaches.data?.items.map((b) => <li key={b.id} className={hoursLeft(b.notificationDeadline) < 24 ? 'overdue' : undefined}>{b.title} · {t('breach.hoursLeft', { hours: hoursLeft(b.notificationDeadline) })}</li>)}</ul>
      </section>
    </div>
  );
}

export function Dashboard({ me }: { me: Me }) {
  const { t } = useI18n();
  const has = (...roles: Me['roles']) => roles.some((r) => me.roles.includes(r));
  return (
    <Page title={t('dash.title')}>
      <ValidationCharts />
      {has('support', 'admin', 'privacy_officer') && <OpenAlerts />}
      {has('privacy_officer') && <Deadlines />}
    </Page>
  );
}
