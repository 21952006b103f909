import type { ReactNode } from 'react';

/**
 * A table. On a narrow screen (a phone, or 200 % zoom) each row becomes a block of "label: value"
 * lines (styles.css, from data-label) rather than columns too narrow to read; should a cell still
 * be too wide, the region scrolls and is reachable by keyboard.
 */
export function Table({ caption, headers, rows }: { caption: string; headers: string[]; rows: ReactNode[][] }) {
  return (
    <div className="table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead><tr>{headers.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
        <tbody>{rows.map((r, i) => <tr key={i}>{r.map((c, j) => <td key={j} data-label={headers[j] || undefined}>{c}</td>)}</tr>)}</tbody>
      </table>
    </div>
  );
}
