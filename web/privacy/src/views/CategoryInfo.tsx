import { ACTIVITIES_NL, CATEGORIES_NL } from '../../../../src/privacy/register/catalogue-nl';
import type { SubjectExport } from '../export-types';
import { useI18n } from '../i18n';

/** For one kind of data: why we keep it (purpose, legal basis) and how long, from the register of processing activities. */
export function CategoryInfo({ category, how }: { category: string; how: SubjectExport['howWeUseYourData'] }) {
  const { t, lang } = useI18n();
  // The register is written in English; its Dutch texts live beside it (src/privacy/register/catalogue-nl.ts).
  const purposes = how.purposes.filter((p) => p.categories.includes(category))
    .map((p) => (lang === 'nl' && p.id && ACTIVITIES_NL[p.id] ? { ...p, ...ACTIVITIES_NL[p.id] } : p));
  const retention = lang === 'nl' && CATEGORIES_NL[category] ? CATEGORIES_NL[category].retention : how.dataCategories.find((c) => c.id === category)?.retention;
  if (purposes.length === 0 && !retention) return null;
  return (
    <details className="why">
      <summary>{t('category.why')}</summary>
      {purposes.map((p) => (
        <dl key={p.purpose}>
          <dt>{t('category.purpose')}</dt><dd>{p.purpose}</dd>
          <dt>{t('category.legalBasis')}</dt><dd>{p.legalBasis}</dd>
        </dl>
      ))}
      {retention && <dl><dt>{t('category.retention')}</dt><dd>{retention}</dd></dl>}
    </details>
  );
}
