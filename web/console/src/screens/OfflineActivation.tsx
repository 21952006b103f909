import { useI18n } from '../i18n';
import { Page } from '../parts';
import { linkProps } from '../router';
import { AcceptReleaseFile, IssueLicenceFile } from './offline-parts';

/**
 * Offline (air-gapped) activation for support and admin (docs/offline-activation.md): a PC that
 * never reaches the service sends its request file by e-mail or on a stick; support turns it into
 * a licence file, or accepts the release file that PC wrote. Reached from a licence's page, or
 * from the menu; the server refuses any other role anyway.
 */
export function OfflineActivation({ licenceId }: { licenceId?: string }) {
  const { t } = useI18n();
  return (
    <Page title={t('offline.title')}>
      {licenceId && <p><a {...linkProps(`/licences/${licenceId}`)}>{t('offline.back')}</a></p>}
      <p>{t('offline.intro')}</p>
      <div className="grid2">
        <IssueLicenceFile />
        <AcceptReleaseFile />
      </div>
    </Page>
  );
}
