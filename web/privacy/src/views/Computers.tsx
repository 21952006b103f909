import { useState } from 'react';
import { asProblem, type ApiClient, type Problem } from '../../../shared/api';
import { Message } from '../../../shared/forms';
import type { DeviceItem, SubjectExport } from '../export-types';
import { useI18n } from '../i18n';
import { problemText } from '../problems';
import { CategoryInfo } from './CategoryInfo';
import { Table } from './Table';

/** The holder's computers, with "release" for those still in use (within the licence's transfer budget). */
export function Computers({ api, devices, how, reload }: { api: ApiClient; devices: DeviceItem[]; how: SubjectExport['howWeUseYourData']; reload(): Promise<void> }) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const [busy, setBusy] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  async function release(device: DeviceItem) {
    setBusy(device.id);
    setProblem(null);
    setDone(null);
    try {
      const { error, response } = await api.POST('/v1/privacy/me/devices/{deviceId}/release', { params: { path: { deviceId: device.id } } });
      if (error) return setProblem(asProblem(error, response.status));
      setDone(t('devices.released', { name: device.pcName ?? '' }));
      await reload();
    } catch {
      setProblem(asProblem(null));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section>
      <h2 id="devices-heading">{t('devices.heading')}</h2>
      <p>{t('devices.intro')}</p>
      {done && <Message kind="success">{done}</Message>}
      {problem && <Message kind="error">{problemText(problem, i18n)}</Message>}
      {devices.length === 0 ? <p>{t('devices.none')}</p> : (
        <Table caption={t('devices.heading')}
          headers={[t('devices.pcName'), t('devices.lastSeen'), t('devices.account'), t('devices.state'), '']}
          rows={devices.map((d) => [
            d.pcName ?? '—', dateTime(d.lastSeenAt), d.lastNtAccount ?? '—',
            <DeviceState key="state" device={d} />,
            d.releasedAt ? '' : isOffline(d) ? <span className="hint">{t('devices.offlineRelease')}</span> : (
              <button type="button" disabled={busy !== null} onClick={() => void release(d)}>{t('devices.release', { name: d.pcName ?? '' })}</button>
            ),
          ])} />
      )}
      <CategoryInfo category="device_data" how={how} />
    </section>
  );
}

/**
 * A PC activated without internet keeps working from its licence file until that file expires,
 * whatever the service records: it is released with the release file it writes (or by staff, if
 * it is lost), not with the button, which would free the place while the file still works.
 */
const isOffline = (d: DeviceItem) => d.activationMode === 'offline' && !d.releasedAt;

function DeviceState({ device: d }: { device: DeviceItem }) {
  const { t, date } = useI18n();
  if (d.releasedAt) return <>{t('devices.releasedOn', { date: date(d.releasedAt) })}</>;
  if (!isOffline(d)) return <>{t('devices.inUse')}</>;
  return (
    <>
      <span className="badge">{t('devices.offlineHow')}</span>{' '}
      {d.offlineExpiresAt ? t('devices.offline', { date: date(d.offlineExpiresAt) }) : null}
    </>
  );
}
