import type { ApiClient } from '../../../shared/api';
import { LICENCE_FILE_NAME } from '../../../shared/offline-files';
import { useI18n } from '../i18n';
import type { MessageKey } from '../messages';
import { ActivateOffline } from './ActivateOffline';
import { ReleaseOffline } from './ReleaseOffline';

const STEPS: MessageKey[] = ['offline.step1', 'offline.step2', 'offline.step3', 'offline.step4', 'offline.step5'];

/** "Activate a PC without internet": the steps in order, the request upload, and releasing such a PC with its release file. */
export function OfflinePc({ api, reload }: { api: ApiClient; reload(): Promise<void> }) {
  const { t } = useI18n();
  return (
    <>
      <h1 tabIndex={-1}>{t('offline.heading')}</h1>
      <p>{t('offline.intro')}</p>
      <section aria-labelledby="offline-steps-heading">
        <h2 id="offline-steps-heading">{t('offline.steps')}</h2>
        <ol className="steps">{STEPS.map((step) => <li key={step}>{t(step, { file: LICENCE_FILE_NAME })}</li>)}</ol>
        <p className="note">{t('offline.renew')}</p>
      </section>
      <ActivateOffline api={api} reload={reload} />
      <ReleaseOffline api={api} reload={reload} />
    </>
  );
}
