import type { Loaded } from '../Holder';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { Table } from './Table';

/** The holder's requests: what, where it stands, and the date by which the vendor must answer. */
export function MyRequests({ loaded }: { loaded: Loaded }) {
  const { t, date, deadline } = useI18n();
  const requests = loaded.requests;
  return (
    <>
      <h1 tabIndex={-1}>{t('requests.heading')}</h1>
      <p>{t('requests.intro')}</p>
      {requests.length === 0 ? <p>{t('requests.none')}</p> : (
        <Table caption={t('requests.heading')}
          headers={[t('requests.type'), t('requests.status'), t('requests.received'), t('requests.due')]}
          rows={requests.map((r) => [
            t(`type.${r.type}` as MessageKey),
            <>{t(`reqstatus.${r.status}` as MessageKey)}{r.overdue && <strong className="late"> ({t('requests.overdue')})</strong>}</>,
            date(r.receivedAt), deadline(r.dueAt),
          ])} />
      )}
    </>
  );
}
