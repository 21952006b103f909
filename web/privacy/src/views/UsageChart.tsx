import { useId } from 'react';
import { useI18n } from '../i18n';
import { monthName, type MonthUsage } from './usage-by-month';

/**
 * A bar chart of events per month, drawn as SVG (no inline styles: the page's CSP forbids them).
 * It is an image with a text summary for screen readers; the table next to it holds the numbers.
 */
export function UsageChart({ months }: { months: MonthUsage[] }) {
  const { t, lang, number } = useI18n();
  const titleId = useId();
  const descId = useId();
  const max = Math.max(1, ...months.map((m) => m.events));
  const top = months.reduce((a, b) => (b.events > a.events ? b : a), months[0]);
  const total = months.reduce((sum, m) => sum + m.events, 0);
  const barWidth = 48;
  const gap = 16;
  const height = 160;
  // room for at least six months, so one or two bars are not blown up to the full width
  const width = Math.max(months.length, 6) * (barWidth + gap) + gap;
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${titleId} ${descId}`} viewBox={`0 0 ${width} ${height + 40}`} width={width} preserveAspectRatio="xMinYMin meet" className="chart-svg">
        <title id={titleId}>{t('usage.chartTitle')}</title>
        <desc id={descId}>{t('usage.chartSummary', { total: number(total), months: months.length, top: monthName(top.month, lang), topCount: number(top.events) })}</desc>
        <line x1={0} y1={height} x2={width} y2={height} className="axis" />
        {months.map((m, i) => {
          const h = Math.round((m.events / max) * (height - 24));
          const x = gap + i * (barWidth + gap);
          return (
            <g key={m.month}>
              <rect x={x} y={height - h} width={barWidth} height={h} className="bar" />
              <text x={x + barWidth / 2} y={height - h - 6} textAnchor="middle" className="value">{number(m.events)}</text>
              <text x={x + barWidth / 2} y={height + 20} textAnchor="middle" className="label">{monthName(m.month, lang)}</text>
            </g>
          );
        })}
      </svg>
      <figcaption>{t('usage.chartTitle')}</figcaption>
    </figure>
  );
}
