/**
 * English and Dutch, from the browser's language, switchable (remembered in localStorage).
 * Dutch addresses staff with "u". Messages are ids; `{name}` placeholders are filled at render.
 * The catalogues are checked by the type-checker: Dutch must have every English id.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './messages/en';
import { nl } from './messages/nl';

export type MessageId = keyof typeof en;
export type Language = 'en' | 'nl';
const CATALOGUES: Record<Language, Record<MessageId, string>> = { en, nl };

function initialLanguage(): Language {
  const stored = localStorage.getItem('nomina.language');
  if (stored === 'en' || stored === 'nl') return stored;
  return navigator.languages.some((l) => l.toLowerCase().startsWith('nl')) ? 'nl' : 'en';
}

export type Translate = (id: MessageId, values?: Record<string, string | number>) => string;
interface I18n { language: Language; setLanguage(language: Language): void; t: Translate; formatDate(iso: string | null): string; formatNumber(n: number): string }

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem('nomina.language', language);
  }, [language]);
  const value = useMemo<I18n>(() => {
    const locale = language === 'nl' ? 'nl-BE' : 'en-GB';
    const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Brussels' });
    const numbers = new Intl.NumberFormat(locale);
    return {
      language, setLanguage,
      t: (id, values) => CATALOGUES[language][id].replace(/\{(\w+)\}/g, (_m, name: string) => String(values?.[name] ?? '')),
      formatDate: (iso) => (iso ? dates.format(new Date(iso)) : '—'),
      formatNumber: (n) => numbers.format(n),
    };
  }, [language]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
