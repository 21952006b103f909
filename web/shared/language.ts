/** Which language to speak (pure, no DOM: the tests and the screens share it). */
export type Lang = 'en' | 'nl';
export const LANGS: readonly Lang[] = ['en', 'nl'];
export const STORAGE_KEY = 'nomina.lang';

/** The person's choice if any, else the first browser language we have, else English. */
export function preferredLanguage(stored: string | null, browserLanguages: readonly string[]): Lang {
  if (stored === 'en' || stored === 'nl') return stored;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'en' || base === 'nl') return base;
  }
  return 'en';
}

