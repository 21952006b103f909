/**
 * The two forms of the offline screen: a file (or its pasted text) plus the reason the audit trail
 * keeps (8–500 characters, sealed like a purpose), and what came back. Results are announced in a
 * live region that is always present, and the focus moves to the next thing to do.
 */
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { client, unwrap } from '../api';
import { useI18n } from '../i18n';
import { ErrorNotice, Field, FileField } from '../parts';
import { linkProps } from '../router';
import { LICENCE_FILE_NAME, RELEASE_ACCEPT, REQUEST_ACCEPT, releaseFromText, requestFromText, textOf } from '../../../shared/offline-files';
import { useLicenceFileUrl } from '../../../shared/use-licence-file-url';

interface FileFormProps {
  fileLabel: string; textLabel: string; accept: string; submit: string; missing: string;
  /** Sends the file's text with the reason; false when the text holds nothing to send. */
  run(text: string, reason: string): Promise<boolean>;
}

function FileForm({ fileLabel, textLabel, accept, submit, missing, run }: FileFormProps) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const trimmed = reason.trim();
    const reasonOk = trimmed.length >= 8 && trimmed.length <= 500;
    setReasonError(reasonOk ? null : t('offline.reasonRule'));
    const content = await textOf(text, file);
    setFileError(content.trim() ? null : missing);
    if (!reasonOk || !content.trim()) {
      // The first field that needs attention gets the focus.
      window.setTimeout(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
      return;
    }
    setBusy(true);
    try {
      if (!(await run(content, trimmed))) setFileError(missing);
      else { setText(''); setReason(''); }
    } catch (err) {
      setError(err);
      window.setTimeout(() => form.current?.querySelector<HTMLElement>('[role="alert"]')?.focus(), 0);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form ref={form} onSubmit={onSubmit} noValidate>
      <FileField label={fileLabel} accept={accept} onFile={setFile} />
      <Field label={textLabel} value={text} onChange={setText} multiline error={fileError} />
      <Field label={t('offline.reason')} hint={t('offline.reasonHint')} value={reason} onChange={setReason} required multiline error={reasonError} />
      <ErrorNotice error={error} />
      <button type="submit" disabled={busy}>{submit}</button>
    </form>
  );
}

interface Issued { licenceFile: string; licenceId: string; newDevice: boolean; expiresAt: string }

/** Paste or upload the request, give a reason, issue → the licence file to download (POST /v1/offline-activations). */
export function IssueLicenceFile() {
  const { t, formatDate } = useI18n();
  const [issued, setIssued] = useState<Issued | null>(null);
  const url = useLicenceFileUrl(issued?.licenceFile ?? null);
  const link = useRef<HTMLAnchorElement>(null);
  // The download is the next thing to do: the focus goes to it once its link exists.
  useEffect(() => { if (url) link.current?.focus(); }, [url]);
  async function run(text: string, reason: string) {
    const request = requestFromText(text);
    if (request === null) return false;
    setIssued(null);
    const result = await unwrap<Issued>(client.POST('/v1/offline-activations', { body: { request, reason } }));
    setIssued(result);
    return true;
  }
  return (
    <section aria-labelledby="offline-issue"><h2 id="offline-issue">{t('offline.issue')}</h2>
      <p className="hint">{t('offline.issueHint')}</p>
      <FileForm fileLabel={t('offline.requestFile')} textLabel={t('offline.requestText')} accept={REQUEST_ACCEPT} submit={t('offline.issueSubmit')} missing={t('offline.requestMissing')} run={run} />
      <Outcome>
        {issued && url && (
          <>
            <p>{t(issued.newDevice ? 'offline.issuedNew' : 'offline.issuedRenewal', { date: formatDate(issued.expiresAt) })}</p>
            <p><a ref={link} href={url} download={LICENCE_FILE_NAME}>{t('offline.download', { file: LICENCE_FILE_NAME })}</a>{' · '}
              <a {...linkProps(`/licences/${issued.licenceId}`)}>{t('admin.openLicence')}</a></p>
          </>
        )}
      </Outcome>
    </section>
  );
}

/** Upload the release file the SDK wrote, with a reason → the seat is free (POST /v1/offline-releases). */
export function AcceptReleaseFile() {
  const { t, formatDate } = useI18n();
  const [released, setReleased] = useState<{ licenceId: string; releasedAt: string } | null>(null);
  const done = useRef<HTMLParagraphElement>(null);
  async function run(text: string, reason: string) {
    const release = releaseFromText(text);
    if (release === null) return false;
    setReleased(null);
    const result = await unwrap<{ licenceId: string; releasedAt: string }>(client.POST('/v1/offline-releases', { body: { release, reason } }));
    setReleased(result);
    window.setTimeout(() => done.current?.focus(), 0);
    return true;
  }
  return (
    <section aria-labelledby="offline-release"><h2 id="offline-release">{t('offline.release')}</h2>
      <p className="hint">{t('offline.releaseHint')}</p>
      <FileForm fileLabel={t('offline.releaseFile')} textLabel={t('offline.releaseText')} accept={RELEASE_ACCEPT} submit={t('offline.releaseSubmit')} missing={t('offline.releaseMissing')} run={run} />
      <Outcome>
        {released && (
          <p ref={done} tabIndex={-1}>{t('offline.released', { at: formatDate(released.releasedAt) })}{' '}
            <a {...linkProps(`/licences/${released.licenceId}`)}>{t('admin.openLicence')}</a></p>
        )}
      </Outcome>
    </section>
  );
}

/** A live region present from the start, so what appears in it is announced. */
function Outcome({ children }: { children: ReactNode }) {
  return <div className="notice ok outcome" role="status">{children}</div>;
}
