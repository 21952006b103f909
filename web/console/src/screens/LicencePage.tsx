import { useState, type FormEvent } from 'react';
import { client, purposeHeader, unwrap } from '../api';
import type { Me } from '../App';
import { useI18n } from '../i18n';
import { linkProps } from '../router';
import { ErrorNotice, Field, Page, ReasonForm, Status, useLoad } from '../parts';
import type { LicenceRow } from './Search';

interface Licence extends LicenceRow { validFrom: string; statusReason: string | null; entitlements: string[]; users?: { id: string; ntAccount: string }[] }
interface Device {
  id: string; pcName: string | null; lastNtAccount: string | null; macAddresses: { mac: string }[]; lastSeenAt: string; releasedAt: string | null;
  /** docs/offline-activation.md §6 */
  activationMode: 'online' | 'offline'; offlineExpiresAt: string | null;
}
interface Validation { id: string; at: string; code: string; appVersion: string | null }
interface AlertSummary { id: string; title: string; status: string; severity: string }

/** A purpose given for a licence is remembered for the rest of the browser session, for that licence only. */
const purposeKey = (id: string) => `nomina.purpose.${id}`;

function Unmask({ id, onPurpose }: { id: string; onPurpose(p: string): void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  function submit(e: FormEvent) {
    e.preventDefault();
    const p = value.trim();
    // The API's rule (a ticket reference, or 6+ characters with a letter and a digit), checked here first for a quick answer.
    if (!(/^[A-Za-z][A-Za-z0-9]*-\d+$/.test(p) || (p.length >= 6 && /\p{L}/u.test(p) && /\p{N}/u.test(p)))) { setError(t('unmask.rule')); return; }
    sessionStorage.setItem(purposeKey(id), p);
    onPurpose(p);
  }
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <Field label={t('unmask.label')} hint={t('unmask.hint')} value={value} onChange={setValue} error={error} />
      <button type="submit">{t('unmask.submit')}</button>
    </form>
  );
}

export function LicencePage({ id, me }: { id: string; me: Me }) {
  const { t, formatDate } = useI18n();
  const [purpose, setPurpose] = useState<string | null>(() => sessionStorage.getItem(purposeKey(id)));
  const [newKey, setNewKey] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const headers = purposeHeader(purpose);
  const licence = useLoad(() => unwrap<Licence>(client.GET('/v1/licences/{id}', { params: { path: { id } }, headers })), [id, purpose]);
  const devices = useLoad(() => unwrap<{ items: Device[] }>(client.GET('/v1/licences/{id}/devices', { params: { path: { id } }, headers })), [id, purpose]);
  const history = useLoad(() => unwrap<{ items: Validation[] }>(client.GET('/v1/licences/{id}/validations', { params: { path: { id }, query: { limit: 20 } }, headers })), [id, purpose]);
  const alerts = useLoad(() => unwrap<{ items: AlertSummary[] }>(client.GET('/v1/fraud/alerts', { params: { query: { licenceId: id } } })), [id]);
  const customer = useLoad(() => (licence.data ? unwrap<{ name: string }>(client.GET('/v1/customers/{id}', { params: { path: { id: licence.data.customerId } } })) : Promise.resolve(null)), [licence.data?.customerId]);
  const policy = useLoad(() => (licence.data ? unwrap<{ name: string; maxMachines: number; maxUsers: number; transfersPer30Days: number }>(client.GET('/v1/policies/{id}', { params: { path: { id: licence.data.policyId } } })) : Promise.resolve(null)), [licence.data?.policyId]);
  const canAct = me.roles.includes('support') || me.roles.includes('admin');
  const l = licence.data;
  const reloadAll = () => { licence.reload(); devices.reload(); history.reload(); };

  async function statusAction(action: 'suspend' | 'reinstate' | 'revoke', reason: string) {
    const path = `/v1/licences/{id}/actions/${action}` as '/v1/licences/{id}/actions/suspend';
    await unwrap(client.POST(path, { params: { path: { id } }, body: { reason }, headers }));
    reloadAll();
  }
  async function rotate(reason: string) {
    const res = await unwrap<{ key: string }>(client.POST('/v1/licences/{id}/actions/rotate-key', { params: { path: { id } }, body: { reason }, headers }));
    setNewKey(res.key); setCopied(false);
    licence.reload();
  }
  return (
    <Page title={l ? t('licence.title', { key: l.key }) : t('licence.loading')}>
      <ErrorNotice error={licence.error} />
      {l && (
        <>
          <dl className="facts">
            <dt>{t('licence.holder')}</dt><dd>{l.holder.erased ? t('licence.erased') : `${l.holder.firstName ?? ''} ${l.holder.lastName ?? ''}`}</dd>
            <dt>{t('licence.email')}</dt><dd>{l.holder.email}</dd>
            <dt>{t('licence.customer')}</dt><dd>{customer.data?.name ?? '…'}</dd>
            <dt>{t('licence.policy')}</dt><dd>{policy.data ? t('licence.policyLine', { name: policy.data.name, machines: policy.data.maxMachines, users: policy.data.maxUsers, transfers: policy.data.transfersPer30Days }) : '…'}</dd>
            <dt>{t('licence.status')}</dt><dd><Status value={l.status} />{l.statusReason ? ` — ${l.statusReason}` : ''}</dd>
            <dt>{t('licence.validity')}</dt><dd>{formatDate(l.validFrom)} – {formatDate(l.validUntil)}</dd>
            <dt>{t('licence.ntAccounts')}</dt><dd>{l.users?.map((u) => u.ntAccount).join(', ') || '—'}</dd>
          </dl>
          {l.view === 'masked'
            ? <Unmask id={id} onPurpose={setPurpose} />
            : purpose && <p className="notice">{t('unmask.active', { purpose })}</p>}
        </>
      )}
      {newKey && (
        <div className="notice key" role="status">
          <p>{t('rotate.shownOnce')}</p>
          <code id="new-key">{newKey}</code>{' '}
          <button type="button" onClick={() => { void navigator.clipboard?.writeText(newKey).then(() => setCopied(true), () => setCopied(false)); }}>{t('rotate.copy')}</button>
          {copied && <span> {t('rotate.copied')}</span>}
        </div>
      )}
      <section aria-labelledby="devices"><h2 id="devices">{t('licence.devices')}</h2>
        <ErrorNotice error={devices.error} />
        {devices.data && devices.data.items.length === 0 && <p>{t('licence.noDevices')}</p>}
        {devices.data && devices.data.items.length > 0 && (
          <table>
            <thead><tr><th scope="col">{t('device.pcName')}</th><th scope="col">{t('device.ntUser')}</th><th scope="col">{t('device.macs')}</th><th scope="col">{t('device.lastSeen')}</th><th scope="col">{t('device.state')}</th>{canAct && <th scope="col">{t('device.action')}</th>}</tr></thead>
            <tbody>{devices.data.items.map((d) => (
              <tr key={d.id}>
                <td>{d.pcName}</td><td>{d.lastNtAccount}</td><td>{d.macAddresses.map((m) => m.mac).join(', ')}</td><td>{formatDate(d.lastSeenAt)}</td>
                <td>{d.releasedAt ? t('device.released', { at: formatDate(d.releasedAt) }) : t('device.active')}
                  {d.activationMode === 'offline' && <> <span className="badge badge-offline">{t('device.offline')}</span>{!d.releasedAt && d.offlineExpiresAt && <> {t('device.offlineUntil', { at: formatDate(d.offlineExpiresAt) })}</>}</>}</td>
                {canAct && <td>{!d.releasedAt && <ReleaseDevice licenceId={id} device={d} headers={headers} done={devices.reload} />}</td>}
              </tr>))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="history"><h2 id="history">{t('licence.history')}</h2>
        <ErrorNotice error={history.error} />
        {history.data && history.data.items.length === 0 && <p>{t('licence.noHistory')}</p>}
        {history.data && history.data.items.length > 0 && (
          <table><thead><tr><th scope="col">{t('history.at')}</th><th scope="col">{t('history.code')}</th><th scope="col">{t('history.app')}</th></tr></thead>
            <tbody>{history.data.items.map((v) => <tr key={v.id}><td>{formatDate(v.at)}</td><td>{v.code}</td><td>{v.appVersion ?? '—'}</td></tr>)}</tbody></table>
        )}
      </section>
      <section aria-labelledby="alerts"><h2 id="alerts">{t('licence.alerts')}</h2>
        {alerts.data && alerts.data.items.length === 0 && <p>{t('dash.noAlerts')}</p>}
        <ul className="plain">{alerts.data?.items.map((a) => <li key={a.id}><a {...linkProps(`/fraud/${a.id}`)}>{a.title}</a> · <Status value={a.status} /></li>)}</ul>
      </section>
      {canAct && l && (
        <section aria-labelledby="actions"><h2 id="actions">{t('licence.actions')}</h2>
          <div className="grid2">
            {l.status === 'active' && <details><summary>{t('action.suspend')}</summary><ReasonForm label={t('reason.label')} submit={t('action.suspend')} run={(r) => statusAction('suspend', r)} /></details>}
            {l.status === 'suspended' && <details><summary>{t('action.reinstate')}</summary><ReasonForm label={t('reason.label')} submit={t('action.reinstate')} run={(r) => statusAction('reinstate', r)} /></details>}
            {l.status !== 'revoked' && <details><summary>{t('action.revoke')}</summary><ReasonForm label={t('reason.label')} submit={t('action.revoke')} danger run={(r) => statusAction('revoke', r)} /></details>}
            <details><summary>{t('action.rotate')}</summary><ReasonForm label={t('reason.label')} submit={t('action.rotate')} run={rotate} /></details>
          </div>
          <p><a {...linkProps(`/licences/${id}/offline`)}>{t('offline.fromLicence')}</a></p>
        </section>
      )}
    </Page>
  );
}

function ReleaseDevice({ licenceId, device, headers, done }: { licenceId: string; device: Device; headers: Record<string, string>; done(): void }) {
  const { t } = useI18n();
  const [override, setOverride] = useState(false);
  return (
    <details>
      <summary>{t('action.release')}<span className="sr-only"> {device.pcName}</span></summary>
      <ReasonForm label={t('reason.label')} submit={t('action.release')}
        extra={<label className="check"><input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> {t('release.override')}</label>}
        run={async (reason) => {
          await unwrap(client.POST('/v1/licences/{id}/devices/{deviceId}/actions/release', { params: { path: { id: licenceId, deviceId: device.id } }, body: { reason, overrideTransferBudget: override }, headers }));
          done();
        }} />
    </details>
  );
}
