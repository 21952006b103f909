import type { Loaded } from '../Holder';
import { useI18n } from '../i18n';
import { CategoryInfo } from './CategoryInfo';
import { Table } from './Table';
import { monthName, usageByMonth } from './usage-by-month';
import { UsageChart } from './UsageChart';

/** How usage is counted (chart + table) and who at the vendor used the holder's data, by role and reason. */
export function AccessAndUsage({ loaded }: { loaded: Loaded }) {
  const { t, lang, dateTime, number } = useI18n();
  const { data, howWeUseYourData: how } = loaded.export;
  const months = usageByMonth(data.telemetry_events.items);
  const contact = data.contact.items[0];
  const off = Boolean(contact?.objections.telemetry || contact?.restrictedAt);
  return (
    <>
      <h1 tabIndex={-1}>{t('nav.usage')}</h1>
      <section>
        <h2 id="usage-heading">{t('usage.heading')}</h2>
        <p>{t('usage.intro')}</p>
        {off && <p className="note">{t('usage.off')}</p>}
        {months.length === 0 ? <p>{t('usage.empty')}</p> : (
          <>
            <UsageChart months={months} />
            <Table caption={t('usage.chartTitle')} headers={[t('usage.month'), t('usage.events'), t('usage.sessions')]}
              rows={months.map((m) => [monthName(m.month, lang), number(m.events), number(m.sessions)])} />
          </>
        )}
        <CategoryInfo category="usage_telemetry" how={how} />
      </section>
      <section>
        <h2 id="access-heading">{t('access.heading')}</h2>
        <p>{t('access.intro')}</p>
        {loaded.accessLog.length === 0 ? <p>{t('access.empty')}</p> : (
          <Table caption={t('access.heading')} headers={[t('access.when'), t('access.who'), t('access.what'), t('access.why')]}
            rows={loaded.accessLog.map((e) => [dateTime(e.at), e.who.label[lang], e.what[lang], e.purpose ?? t('access.noPurpose')])} />
        )}
        <CategoryInfo category="access_log" how={how} />
      </section>
    </>
  );
}
