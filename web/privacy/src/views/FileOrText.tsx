import { useId } from 'react';
import { Field } from '../../../shared/forms';

/**
 * One file two ways: chosen from a USB stick, or its text pasted (from an e-mail, or typed).
 * A group with its own legend, so a screen reader hears which file the two fields are about.
 */
export function FileOrText({ legend, fileLabel, textLabel, hint, accept, text, onFile, onText }: {
  legend: string; fileLabel: string; textLabel: string; hint: string; accept: string; text: string;
  onFile(file: File | null): void; onText(text: string): void;
}) {
  const hintId = useId();
  return (
    <fieldset className="file-or-text" aria-describedby={hintId}>
      <legend>{legend}</legend>
      <p className="hint" id={hintId}>{hint}</p>
      <Field label={fileLabel}>
        <input type="file" accept={accept} onChange={(e) => onFile(e.target.files?.[0] ?? null)} />
      </Field>
      <Field label={textLabel}>
        <textarea rows={5} spellCheck={false} autoCapitalize="off" value={text} onChange={(e) => onText(e.target.value)} />
      </Field>
    </fieldset>
  );
}
