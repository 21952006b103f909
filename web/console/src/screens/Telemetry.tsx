import { useState } from 'react';
import { client, unwrap } from '../api';
import { useI18n } from '../i18n';
import { BarChart, ErrorNotice, Field, Page, Select, useLoad } from '../parts';

interface Cell { key: string; events: number; activeUsers: number }
interface Stats { cells: Cell[]; suppressedCells: number; minCellUsers: number }

function monthRange(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  return { from: new Date(Date.UTC(y, m - 1, 1)).toISOString(), to: new Date(Date.UTC(y, m, 1)).toISOString() };
}

export function Telemetry() {
  const { t } = useI18n();
  const now = new Date();
  const [month, setMonth] = useState(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`);
  const [product, setProduct] = useState('');
  const [groupBy, setGroupBy] = useState<'feature' | 'version' | 'os' | 'day'>('feature');
  const products = useLoad(() => unwrap<{ items: { id: string; code: string; name: string }[] }>(client.GET('/v1/products')), []);
  const code = product || products.data?.items[0]?.code || '';
  const stats = useLoad(() => (code ? unwrap<Stats>(client.GET('/v1/telemetry/stats', { params: { query: { product: code, ...monthRange(month), groupBy } as never } })) : Promise.resolve(null)), [code, month, groupBy]);
  return (
    <Page title={t('telemetry.title')}>
      <div className="filters">
        <Select label={t('admin.product')} value={code} onChange={setProduct} options={(products.data?.items ?? []).map((p) => ({ value: p.code, label: `${p.code} — ${p.name}` }))} />
        <Field label={t('telemetry.month')} type="month" value={month} onChange={(v) => v && setMonth(v)} />
        <Select label={t('telemetry.groupBy')} value={groupBy} onChange={setGroupBy} options={(['feature', 'version', 'os', 'day'] as const).map((g) => ({ value: g, label: t(`telemetry.by.${g}`) }))} />
      </div>
      <ErrorNotice error={stats.error ?? products.error} />
      {stats.data && (
        <>
          <BarChart title={t('telemetry.users')} rows={stats.data.cells.map((c) => ({ label: c.key, value: c.activeUsers }))} empty={t('telemetry.empty')} valueLabel={t('telemetry.usersLabel')} />
          <BarChart title={t('telemetry.events')} rows={stats.data.cells.map((c) => ({ label: c.key, value: c.events }))} empty={t('telemetry.empty')} valueLabel={t('dash.count')} />
          <p className="notice">{t('telemetry.suppressed', { count: stats.data.suppressedCells, min: stats.data.minCellUsers })}</p>
        </>
      )}
    </Page>
  );
}
