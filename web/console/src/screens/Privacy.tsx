import { useState } from 'react';
import { client, unwrap } from '../api';
import { useI18n, type MessageId } from '../i18n';
import { linkProps } from '../router';
import { ErrorNotice, Page, ReasonForm, Select, Status, useLoad } from '../parts';

interface PrivacyRequest {
  id: string; type: string; status: string; channel: string; receivedAt: string; dueAt: string; overdue: boolean; reason: string | null;
  receipt: string | null; extendedDueAt: string | null; extensionReason: string | null; identityVerifiedAt: string | null; identityMethod: string | null; closedAt: string | null; outcome: string | null; contactId: string | null;
}
interface Category { id: string; name: string; retention: string; personal: boolean }

export const daysLeft = (iso: string) => Math.ceil((new Date(iso).getTime() - Date.now()) / 86_400_000);
/** What erasure keeps, and why: the register's categories that outlive a subject's erasure. */
const KEPT = ['billing_records', 'privacy_requests', 'access_log', 'erasure_proof'];

export function PrivacyQueue() {
  const { t, formatDate } = useI18n();
  const [status, setStatus] = useState<'open' | 'completed' | 'rejected'>('open');
  const queue = useLoad(() => unwrap<{ items: PrivacyRequest[] }>(client.GET('/v1/privacy/requests', { params: { query: { status, limit: 200 } } })), [status]);
  const rows = [...(queue.data?.items ?? [])].sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  return (
    <Page title={t('privacy.title')}>
      <Select label={t('fraud.filter')} value={status} onChange={setStatus} options={[{ value: 'open' as const, label: t('privacy.open') }, { value: 'completed' as const, label: t('status.completed') }, { value: 'rejected' as const, label: t('status.rejected') }]} />
      <ErrorNotice error={queue.error} />
      {queue.data && rows.length === 0 && <p>{t('dash.noRequests')}</p>}
      {rows.length > 0 && (
        <table><thead><tr><th scope="col">{t('privacy.type')}</th><th scope="col">{t('licence.status')}</th><th scope="col">{t('privacy.received')}</th><th scope="col">{t('privacy.due')}</th><th scope="col">{t('privacy.left')}</th></tr></thead>
          <tbody>{rows.map((r) => (
            <tr key={r.id} className={r.overdue ? 'overdue' : undefined}>
              <td><a {...linkProps(`/privacy/${r.id}`)}>{t(`type.${r.type}` as MessageId)}</a></td><td><Status value={r.status} /></td>
              <td>{formatDate(r.receivedAt)}</td><td>{formatDate(r.dueAt)}</td>
              <td>{r.closedAt ? '—' : r.overdue ? <strong>{t('privacy.overdue', { days: -daysLeft(r.dueAt) })}</strong> : t('privacy.daysLeft', { days: daysLeft(r.dueAt) })}</td>
            </tr>))}
          </tbody></table>
      )}
    </Page>
  );
}

export function PrivacyRequestPage({ id }: { id: string }) {
  const { t, formatDate } = useI18n();
  const request = useLoad(() => unwrap<PrivacyRequest>(client.GET('/v1/privacy/requests/{id}', { params: { path: { id } } })), [id]);
  const register = useLoad(() => unwrap<{ dataCategories: Category[] }>(client.GET('/v1/privacy/register', {})), []);
  const [months, setMonths] = useState<1 | 2>(2);
  const [endLicences, setEndLicences] = useState(false);
  const r = request.data;
  const act = async (call: Promise<{ data?: unknown; error?: unknown; response: Response }>) => { await unwrap(call); request.reload(); };
  const open = r && !r.closedAt;
  return (
    <Page title={r ? t('privacy.requestTitle', { type: t(`type.${r.type}` as MessageId) }) : t('licence.loading')}>
      <ErrorNotice error={request.error} />
      {r && (
        <dl className="facts">
          <dt>{t('licence.status')}</dt><dd><Status value={r.status} /></dd>
          <dt>{t('privacy.channel')}</dt><dd>{r.channel}</dd>
          <dt>{t('privacy.received')}</dt><dd>{formatDate(r.receivedAt)}</dd>
          <dt>{t('privacy.due')}</dt><dd className={r.overdue ? 'overdue' : undefined}>{formatDate(r.dueAt)} {open && `(${r.overdue ? t('privacy.overdue', { days: -daysLeft(r.dueAt) }) : t('privacy.daysLeft', { days: daysLeft(r.dueAt) })})`}</dd>
          <dt>{t('privacy.identity')}</dt><dd>{r.identityVerifiedAt ? (r.identityMethod ? t('privacy.verifiedAt', { at: formatDate(r.identityVerifiedAt), method: r.identityMethod }) : t('privacy.verifiedAtOnly', { at: formatDate(r.identityVerifiedAt) })) : t('privacy.notVerified')}</dd>
          {r.extensionReason && <><dt>{t('privacy.extension')}</dt><dd>{r.extensionReason}</dd></>}
          {r.outcome && <><dt>{t('privacy.outcome')}</dt><dd>{r.outcome}</dd></>}
          {r.receipt && <><dt>{t('privacy.receipt')}</dt><dd><details><summary>{t('privacy.receiptShow')}</summary><code className="jws">{r.receipt}</code></details></dd></>}
        </dl>
      )}
      {r && open && (
        <div className="grid2">
          {!r.identityVerifiedAt && (
            <section aria-labelledby="verify"><h2 id="verify">{t('privacy.verify')}</h2>
              <ReasonForm label={t('privacy.verifyHow')} submit={t('privacy.verify')} run={(method) => act(client.POST('/v1/privacy/requests/{id}/actions/verify-identity', { params: { path: { id } }, body: { method } }))} />
            </section>
          )}
          {!r.extensionReason && (
            <section aria-labelledby="extend"><h2 id="extend">{t('privacy.extend')}</h2>
              <ReasonForm label={t('privacy.extendReason')} submit={t('privacy.extend')}
                extra={<Select label={t('privacy.months')} value={months} onChange={setMonths} options={[{ value: 1 as const, label: '1' }, { value: 2 as const, label: '2' }]} />}
                run={(reason) => act(client.POST('/v1/privacy/requests/{id}/actions/extend', { params: { path: { id } }, body: { months, reason } }))} />
            </section>
          )}
          {r.identityVerifiedAt && (
            <section aria-labelledby="complete"><h2 id="complete">{t('privacy.complete')}</h2>
              {r.type === 'erasure' && (
                <>
                  <p>{t('privacy.erasureKeeps')}</p>
                  <ul>{register.data?.dataCategories.filter((c) => KEPT.includes(c.id)).map((c) => <li key={c.id}><strong>{c.name}</strong>: {c.retention}</li>)}</ul>
                </>
              )}
              <ReasonForm label={t('privacy.outcomeLabel')} submit={t('privacy.complete')} danger={r.type === 'erasure'}
                extra={r.type === 'erasure' ? <label className="check"><input type="checkbox" checked={endLicences} onChange={(e) => setEndLicences(e.target.checked)} /> {t('privacy.endLicences')}</label> : null}
                run={(outcome) => act(client.POST('/v1/privacy/requests/{id}/actions/complete', { params: { path: { id } }, body: { outcome, endRunningLicences: endLicences } }))} />
            </section>
          )}
          <section aria-labelledby="reject"><h2 id="reject">{t('privacy.reject')}</h2>
            <ReasonForm label={t('reason.label')} submit={t('privacy.reject')} run={(reason) => act(client.POST('/v1/privacy/requests/{id}/actions/reject', { params: { path: { id } }, body: { reason } }))} />
          </section>
        </div>
      )}
    </Page>
  );
}
