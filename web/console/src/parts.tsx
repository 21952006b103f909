/**
 * Primitives that do accessibility once: a labelled field (aria-invalid, aria-describedby), the
 * one mapping from a problem+json to what a person reads, a reason form for audited actions, and
 * a chart that is also a table (its text alternative).
 */
import { useCallback, useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from './api';
import { useI18n, type MessageId } from './i18n';
import { en } from './messages/en';

export function Field(props: { label: string; value: string; onChange(v: string): void; type?: string; error?: string | null; hint?: string; required?: boolean; autoComplete?: string; multiline?: boolean; minLength?: number }) {
  const id = useId();
  const describedBy = [props.hint ? `${id}-hint` : null, props.error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const common = { id, value: props.value, required: props.required, 'aria-invalid': props.error ? true : undefined, 'aria-describedby': describedBy };
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline
        ? <textarea {...common} rows={3} onChange={(e) => props.onChange(e.target.value)} />
        : <input {...common} type={props.type ?? 'text'} autoComplete={props.autoComplete} minLength={props.minLength} onChange={(e) => props.onChange(e.target.value)} />}
      {props.hint && <p className="hint" id={`${id}-hint`}>{props.hint}</p>}
      {props.error && <p className="field-error" id={`${id}-error`}>{props.error}</p>}
    </div>
  );
}

/** A labelled file picker; `onFile` gets the chosen file (or null when the choice is cleared). */
export function FileField(props: { label: string; accept: string; onFile(file: File | null): void; hint?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input id={id} type="file" accept={props.accept} aria-describedby={props.hint ? `${id}-hint` : undefined} onChange={(e) => props.onFile(e.target.files?.[0] ?? null)} />
      {props.hint && <p className="hint" id={`${id}-hint`}>{props.hint}</p>}
    </div>
  );
}

/** A labelled select (label and control tied by id, so the name is the label alone). */
export function Select<V extends string | number>(props: { label: string; value: NoInfer<V>; onChange(v: NoInfer<V>): void; options: { value: V; label: string }[] }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={String(props.value)} onChange={(e) => props.onChange(props.options.find((o) => String(o.value) === e.target.value)!.value)}>
        {props.options.map((o) => <option key={String(o.value)} value={String(o.value)}>{o.label}</option>)}
      </select>
    </div>
  );
}

/** What a person reads for a failed request: never a raw code. */
export function problemMessage(error: unknown, t: (id: MessageId) => string): string {
  if (!(error instanceof ApiError)) return t('error.network');
  const { status, code, detail } = error.problem;
  if (code === 'INVALID_CREDENTIALS') return t('error.credentials');
  // Refusals with a code of their own (an offline activation's validation codes, the transfer budget, …), in words.
  if (code && (status === 409 || status === 422) && `refusal.${code}` in en) return t(`refusal.${code}` as MessageId);
  if (status === 400 && error.problem.errors?.some((e) => /^\/(request|release)\b/.test(e.pointer))) return t('refusal.unreadable');
  if (status === 429) return t('error.rateLimited');
  if (status === 403) return t('error.forbidden');
  if (status === 404) return t('error.notFound');
  if (status === 400 || status === 409 || status === 422) return detail ?? t('error.invalid');
  return t('error.server');
}

export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useI18n();
  if (!error) return null;
  // Focusable, so that a form can move the focus to what went wrong.
  return <p className="notice error" role="alert" tabIndex={-1}>{problemMessage(error, t)}</p>;
}

/** Loads data for a screen; `reload` after an action. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: unknown; reload(): void } {
  const [state, setState] = useState<{ data: T | null; error: unknown }>({ data: null, error: null });
  const [tick, setTick] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    run().then((data) => live && setState({ data, error: null }), (error: unknown) => live && setState({ data: null, error }));
    return () => { live = false; };
  }, [run, tick]);
  return { ...state, reload: () => setTick((n) => n + 1) };
}

export function Page({ title, children }: { title: string; children: ReactNode }) {
  useEffect(() => { document.title = `${title} · Nomina`; }, [title]);
  return <section className="page" aria-labelledby="page-title"><h1 id="page-title" tabIndex={-1}>{title}</h1>{children}</section>;
}

/** An action that goes into the audit trail: a required reason, then `run(reason)`. */
export function ReasonForm({ label, submit, run, danger, extra }: { label: string; submit: string; run(reason: string): Promise<unknown>; danger?: boolean; extra?: ReactNode }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);
  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim().length < 3) { setFieldError(t('reason.required')); return; }
    setBusy(true); setError(null); setFieldError(null);
    try { await run(reason.trim()); setReason(''); } catch (err) { setError(err); } finally { setBusy(false); }
  }
  return (
    <form className="reason-form" onSubmit={onSubmit} noValidate>
      <Field label={label} value={reason} onChange={setReason} error={fieldError} required multiline />
      {extra}
      <ErrorNotice error={error} />
      <button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>{submit}</button>
    </form>
  );
}

export interface Series { label: string; value: number }

/** A bar chart that is also its own text alternative: the SVG is labelled, the numbers are in a table. */
export function BarChart({ title, rows, empty, valueLabel }: { title: string; rows: Series[]; empty: string; valueLabel: string }) {
  const { formatNumber } = useI18n();
  const id = useId();
  if (rows.length === 0) return <figure className="chart"><figcaption>{title}</figcaption><p>{empty}</p></figure>;
  const max = Math.max(...rows.map((r) => r.value), 1);
  const width = 560; const barH = 22; const height = rows.length * (barH + 6);
  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`}>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-labelledby={`${id}-cap`} aria-describedby={`${id}-table`}>
        {rows.map((r, i) => (
          <g key={r.label} transform={`translate(0 ${i * (barH + 6)})`}>
            <text x="0" y={barH - 6} className="bar-label">{r.label}</text>
            <rect x="190" y="0" height={barH} width={Math.max(2, ((width - 260) * r.value) / max)} className="bar" />
            <text x={200 + ((width - 260) * r.value) / max} y={barH - 6} className="bar-value">{formatNumber(r.value)}</text>
          </g>
        ))}
      </svg>
      <table id={`${id}-table`} className="chart-table">
        <thead><tr><th scope="col">{title}</th><th scope="col">{valueLabel}</th></tr></thead>
        <tbody>{rows.map((r) => <tr key={r.label}><th scope="row">{r.label}</th><td>{formatNumber(r.value)}</td></tr>)}</tbody>
      </table>
    </figure>
  );
}

export function Status({ value }: { value: string }) {
  const { t } = useI18n();
  const id = `status.${value}` as MessageId;
  return <span className={`badge badge-${value}`}>{t(id) ?? value}</span>;
}
