import { LANGS } from '../../shared/i18n';
import { useI18n } from './i18n';

/** Two buttons, each labelled in its own language, the current one marked for screen readers. */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="language" role="group" aria-label={t('lang.label')}>
      {LANGS.map((l) => (
        <button key={l} type="button" lang={l} aria-pressed={l === lang} onClick={() => setLang(l)}>
          {t(`lang.${l}`)}
        </button>
      ))}
    </div>
  );
}
