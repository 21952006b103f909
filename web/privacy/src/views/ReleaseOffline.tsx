import { useRef, useState, type FormEvent } from 'react';
import { asProblem, type ApiClient, type Problem } from '../../../shared/api';
import { Message } from '../../../shared/forms';
import { RELEASE_ACCEPT, releaseFromText, textOf } from '../../../shared/offline-files';
import { useI18n } from '../i18n';
import { offlineProblemText } from '../problems';
import { FileOrText } from './FileOrText';

/** Upload or paste the release file the app wrote → POST /v1/privacy/me/offline-releases: the PC's place on the licence is free again. */
export function ReleaseOffline({ api, reload }: { api: ApiClient; reload(): Promise<void> }) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [releasedAt, setReleasedAt] = useState<string | null>(null);
  const outcomeRef = useRef<HTMLDivElement>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setReleasedAt(null);
    const release = releaseFromText(await textOf(text, file));
    if (release === null) return show(() => setProblem({ status: 0, code: 'NO_FILE' }));
    setBusy(true);
    try {
      const { data, error, response } = await api.POST('/v1/privacy/me/offline-releases', { body: { release } });
      if (error || !data) return show(() => setProblem(asProblem(error, response.status)));
      show(() => setReleasedAt(data.releasedAt));
      setText('');
      await reload();
    } catch {
      show(() => setProblem(asProblem(null)));
    } finally {
      setBusy(false);
    }
  }

  /** Sets the outcome and moves the focus to it, so a keyboard user continues from there. */
  function show(set: () => void) {
    set();
    window.setTimeout(() => outcomeRef.current?.focus(), 0);
  }

  return (
    <section aria-labelledby="offline-release-heading">
      <h2 id="offline-release-heading">{t('offline.release.heading')}</h2>
      <p>{t('offline.release.intro')}</p>
      <form onSubmit={submit} noValidate>
        <FileOrText legend={t('offline.release.legend')} hint={t('offline.release.hint')} fileLabel={t('offline.release.file')} textLabel={t('offline.release.text')}
          accept={RELEASE_ACCEPT} text={text} onFile={setFile} onText={setText} />
        <div className="actions"><button type="submit" disabled={busy}>{t('offline.release.submit')}</button></div>
      </form>
      <div ref={outcomeRef} tabIndex={-1}>
        {problem && <Message kind="error">{offlineProblemText(problem, 'release', i18n)}</Message>}
        {releasedAt && <Message kind="success">{t('offline.release.done', { time: dateTime(releasedAt) })}</Message>}
      </div>
    </section>
  );
}
