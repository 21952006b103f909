import { useState } from 'react';
import { asProblem, type ApiClient, type Problem } from '../../../shared/api';
import { Message } from '../../../shared/forms';
import { useI18n } from '../i18n';
import { problemText } from '../problems';

/**
 * The two downloads: the documented JSON (portability) and the readable document (HTML that
 * prints well), fetched with the session token and handed to the browser as a file.
 */
export function Downloads({ api }: { api: ApiClient }) {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const [problem, setProblem] = useState<Problem | null>(null);
  const [started, setStarted] = useState<string | null>(null);

  async function download(kind: 'json' | 'html') {
    setProblem(null);
    setStarted(null);
    try {
      const result = kind === 'json'
        ? await api.GET('/v1/privacy/me/export', { parseAs: 'blob' })
        : await api.GET('/v1/privacy/me/export.html', { params: { query: { lang } }, parseAs: 'blob' });
      if (result.error || !result.data) return setProblem(asProblem(result.error, result.response.status));
      const file = /filename="([^"]+)"/.exec(result.response.headers.get('Content-Disposition') ?? '')?.[1] ?? `nomina-export.${kind}`;
      const url = URL.createObjectURL(result.data as Blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = file;
      document.body.append(link);
      link.click();
      link.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setStarted(file);
    } catch {
      setProblem(asProblem(null));
    }
  }

  return (
    <section aria-labelledby="download-heading">
      <h2 id="download-heading">{t('download.heading')}</h2>
      <p>{t('download.intro')}</p>
      {problem && <Message kind="error">{problemText(problem, i18n)}</Message>}
      {started && <Message kind="success">{t('download.done', { file: started })}</Message>}
      <div className="actions">
        <button type="button" onClick={() => void download('html')}>{t('download.html')}</button>
        <button type="button" onClick={() => void download('json')}>{t('download.json')}</button>
      </div>
    </section>
  );
}
