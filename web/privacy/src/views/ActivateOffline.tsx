import { useEffect, useRef, useState, type FormEvent } from 'react';
import { asProblem, type ApiClient, type Problem } from '../../../shared/api';
import { Message } from '../../../shared/forms';
import { LICENCE_FILE_NAME, REQUEST_ACCEPT, requestFromText, textOf } from '../../../shared/offline-files';
import { useLicenceFileUrl } from '../../../shared/use-licence-file-url';
import { useI18n } from '../i18n';
import { offlineProblemText } from '../problems';
import { FileOrText } from './FileOrText';

interface Issued { licenceFile: string; expiresAt: string; validUntil: string | null; newDevice: boolean }

/** Upload or paste the request → POST /v1/privacy/me/offline-activations → the licence file to download, and until when it works. */
export function ActivateOffline({ api, reload }: { api: ApiClient; reload(): Promise<void> }) {
  const i18n = useI18n();
  const { t, date } = i18n;
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const url = useLicenceFileUrl(issued?.licenceFile ?? null);
  const errorRef = useRef<HTMLDivElement>(null);
  const linkRef = useRef<HTMLAnchorElement>(null);
  // The download is the next thing to do: the focus goes to it once its link exists.
  useEffect(() => { if (url) linkRef.current?.focus(); }, [url]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    setIssued(null);
    const request = requestFromText(await textOf(text, file));
    if (request === null) return fail({ status: 0, code: 'NO_FILE' });
    setBusy(true);
    try {
      const { data, error, response } = await api.POST('/v1/privacy/me/offline-activations', { body: { request } });
      if (error || !data) return fail(asProblem(error, response.status));
      setIssued(data);
      await reload();
    } catch {
      fail(asProblem(null));
    } finally {
      setBusy(false);
    }
  }

  function fail(p: Problem) {
    setProblem(p);
    window.setTimeout(() => errorRef.current?.focus(), 0);
  }

  return (
    <section aria-labelledby="offline-activate-heading">
      <h2 id="offline-activate-heading">{t('offline.activate.heading')}</h2>
      <form onSubmit={submit} noValidate>
        <FileOrText legend={t('offline.activate.legend')} hint={t('offline.activate.hint')} fileLabel={t('offline.activate.file')} textLabel={t('offline.activate.text')}
          accept={REQUEST_ACCEPT} text={text} onFile={setFile} onText={setText} />
        <div className="actions"><button type="submit" className="primary" disabled={busy}>{t('offline.activate.submit')}</button></div>
      </form>
      {problem && <div ref={errorRef} tabIndex={-1}><Message kind="error">{offlineProblemText(problem, 'request', i18n)}</Message></div>}
      {issued && url && (
        <Message kind="success">
          <p>{t(issued.newDevice ? 'offline.activate.doneNew' : 'offline.activate.doneRenewed', { date: date(issued.expiresAt) })}</p>
          <p><a ref={linkRef} className="download" href={url} download={LICENCE_FILE_NAME}>{t('offline.activate.download', { file: LICENCE_FILE_NAME })}</a></p>
          <p>{t('offline.activate.next', { file: LICENCE_FILE_NAME })}</p>
        </Message>
      )}
    </section>
  );
}
