import { useState, type FormEvent } from 'react';
import { asProblem, fieldErrors, type ApiClient, type Problem } from '../../../shared/api';
import { Field, Message } from '../../../shared/forms';
import type { ContactItem } from '../export-types';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { fieldText, problemText } from '../problems';

const FIELDS = ['title', 'firstName', 'lastName', 'jobTitle', 'department', 'address', 'phone', 'fax', 'email'] as const;
type FieldName = (typeof FIELDS)[number];
const REQUIRED = new Set<FieldName>(['firstName', 'lastName', 'email']);
const AUTOCOMPLETE: Record<FieldName, string> = {
  title: 'honorific-prefix', firstName: 'given-name', lastName: 'family-name', jobTitle: 'organization-title', department: 'off',
  address: 'street-address', phone: 'tel', fax: 'off', email: 'email',
};

/** Rectification (PATCH /v1/privacy/me): only the changed fields are sent; an emptied optional field is cleared. */
export function CorrectDetails({ api, contact, reload }: { api: ApiClient; contact: ContactItem; reload(): Promise<void> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const initial = Object.fromEntries(FIELDS.map((f) => [f, contact[f] ?? ''])) as Record<FieldName, string>;
  const [values, setValues] = useState(initial);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [outcome, setOutcome] = useState<'saved' | 'nothing' | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setOutcome(null);
    const changed = FIELDS.filter((f) => values[f].trim() !== initial[f]);
    if (changed.length === 0) return setOutcome('nothing');
    const body = Object.fromEntries(changed.map((f) => [f, values[f].trim() === '' && !REQUIRED.has(f) ? null : values[f].trim()]));
    setBusy(true);
    try {
      const { error, response } = await api.PATCH('/v1/privacy/me', { body: body as never });
      if (error) return setProblem(asProblem(error, response.status));
      setOutcome('saved');
      await reload();
    } catch {
      setProblem(asProblem(null));
    } finally {
      setBusy(false);
    }
  }

  const errors = fieldErrors(problem);
  return (
    <section aria-labelledby="correct-heading">
      <h2 id="correct-heading">{t('correct.heading')}</h2>
      <p>{t('correct.intro')}</p>
      {problem && <Message kind="error">{problemText(problem, i18n)}</Message>}
      {outcome && <Message kind={outcome === 'saved' ? 'success' : 'info'}>{t(outcome === 'saved' ? 'correct.saved' : 'correct.nothing')}</Message>}
      <form onSubmit={save} noValidate className="grid-form">
        {FIELDS.map((f) => (
          <Field key={f} label={t(`contact.${f}` as MessageKey)} error={fieldText(errors[f], i18n)}>
            <input name={f} type={f === 'email' ? 'email' : f === 'phone' || f === 'fax' ? 'tel' : 'text'} autoComplete={AUTOCOMPLETE[f]}
              required={REQUIRED.has(f)} value={values[f]} onChange={(e) => setValues({ ...values, [f]: e.target.value })} />
          </Field>
        ))}
        <div><button type="submit" className="primary" disabled={busy}>{t('correct.save')}</button></div>
      </form>
    </section>
  );
}
