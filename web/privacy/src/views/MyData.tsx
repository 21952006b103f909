import type { ApiClient } from '../../../shared/api';
import type { Loaded } from '../Holder';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { CategoryInfo } from './CategoryInfo';
import { Computers } from './Computers';
import { FraudAlerts } from './FraudAlerts';
import { Table } from './Table';

const CONTACT_FIELDS = ['organisation', 'title', 'firstName', 'lastName', 'jobTitle', 'department', 'address', 'phone', 'fax', 'email'] as const;

/** What we know about the holder: contact details, licences, computers, Windows accounts, fraud alerts. */
export function MyData({ api, loaded, reload }: { api: ApiClient; loaded: Loaded; reload(): Promise<void> }) {
  const { t, date } = useI18n();
  const { data, howWeUseYourData: how } = loaded.export;
  const contact = data.contact.items[0];
  const licences = data.licences.items;
  const accounts = data.licence_users.items;
  return (
    <>
      <h1 tabIndex={-1}>{t('data.heading')}</h1>
      <p>{t('data.intro')}</p>

      <section>
        <h2 id="contact-heading">{t('contact.heading')}</h2>
        {contact && (
          <dl className="facts">
            {CONTACT_FIELDS.map((f) => (
              <div key={f}><dt>{t(`contact.${f}` as MessageKey)}</dt><dd>{contact[f] || '—'}</dd></div>
            ))}
          </dl>
        )}
        <CategoryInfo category="contact_data" how={how} />
      </section>

      <section>
        <h2 id="licences-heading">{t('licences.heading')}</h2>
        {licences.length === 0 ? <p>{t('licences.none')}</p> : (
          <Table caption={t('licences.heading')}
            headers={[t('licences.product'), t('licences.status'), t('licences.key'), t('licences.validFrom'), t('licences.validUntil')]}
            rows={licences.map((l) => [l.productName, t(`status.${l.status}` as MessageKey), `…${l.keyEndsWith}`, date(l.validFrom), l.validUntil ? date(l.validUntil) : t('licences.noEnd')])} />
        )}
        <CategoryInfo category="licence_data" how={how} />
      </section>

      <Computers api={api} devices={data.devices.items} how={how} reload={reload} />

      <section>
        <h2 id="accounts-heading">{t('accounts.heading')}</h2>
        <p>{t('accounts.intro')}</p>
        {accounts.length === 0 ? <p>{t('accounts.none')}</p> : (
          <Table caption={t('accounts.heading')} headers={[t('accounts.account'), t('accounts.since')]}
            rows={accounts.map((a) => [a.ntAccount ?? '—', date(a.boundAt)])} />
        )}
      </section>

      <FraudAlerts api={api} alerts={data.fraud_alerts.items} how={how} reload={reload} />
    </>
  );
}
