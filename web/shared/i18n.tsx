/**
 * Translations for the screens: one catalogue per language with the same keys (the type makes
 * a missing Dutch string a compile error), the language taken from the browser unless the person
 * chose one, and html[lang] kept in step so screen readers pronounce the page right.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { preferredLanguage, STORAGE_KEY, type Lang } from './language';

export { LANGS, type Lang } from './language';

export interface I18n<K extends string> {
  lang: Lang;
  setLang(lang: Lang): void;
  /** the message `key`, with {name} placeholders filled from `vars` */
  t(key: K, vars?: Record<string, string | number>): string;
  date(iso: string | null | undefined): string;
  dateTime(iso: string | null | undefined): string;
  /**
   * The calendar day of a legal deadline. Deadlines end at the last moment of their day (in UTC,
   * or in Brussels, both before midnight UTC), so the day is read in UTC: in the reader's own time
   * zone 23:59 UTC would already be the next day.
   */
  deadline(iso: string | null | undefined): string;
  number(n: number): string;
}

const LOCALES: Record<Lang, string> = { en: 'en-GB', nl: 'nl-BE' };

export function createI18n<K extends string>(catalogues: Record<Lang, Record<K, string>>) {
  const Context = createContext<I18n<K> | null>(null);

  function I18nProvider({ children }: { children: ReactNode }) {
    const [lang, setLangState] = useState<Lang>(() => preferredLanguage(safeStorage()?.getItem(STORAGE_KEY) ?? null, navigator.languages ?? [navigator.language]));
    useEffect(() => { document.documentElement.lang = lang; }, [lang]);
    const setLang = useCallback((next: Lang) => { safeStorage()?.setItem(STORAGE_KEY, next); setLangState(next); }, []);
    const value = useMemo<I18n<K>>(() => {
      const locale = LOCALES[lang];
      const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long' });
      const deadlineFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
      const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
      const numberFormat = new Intl.NumberFormat(locale);
      return {
        lang, setLang,
        t: (key, vars) => {
          const text = catalogues[lang][key] ?? catalogues.en[key] ?? key;
          return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text;
        },
        date: (iso) => (iso ? dateFormat.format(new Date(iso)) : '—'),
        dateTime: (iso) => (iso ? dateTimeFormat.format(new Date(iso)) : '—'),
        deadline: (iso) => (iso ? deadlineFormat.format(new Date(iso)) : '—'),
        number: (n) => numberFormat.format(n),
      };
    }, [lang, setLang]);
    return <Context.Provider value={value}>{children}</Context.Provider>;
  }

  function useI18n(): I18n<K> {
    const value = useContext(Context);
    if (!value) throw new Error('useI18n outside I18nProvider');
    return value;
  }

  return { I18nProvider, useI18n };
}

function safeStorage(): Storage | null {
  try { return window.localStorage; } catch { return null; }
}
