/** The screens' language choice and the privacy page's catalogues (pure parts, no browser). */
import { preferredLanguage } from '../../web/shared/language';
import { messages } from '../../web/privacy/src/messages';
import { en as consoleEn } from '../../web/console/src/messages/en';
import { nl as consoleNl } from '../../web/console/src/messages/nl';

describe('preferredLanguage', () => {
  it('takes the person\'s choice first, then the first browser language we speak, else English', () => {
    expect(preferredLanguage('nl', ['en-GB'])).toBe('nl');
    expect(preferredLanguage(null, ['fr-BE', 'nl-BE', 'en'])).toBe('nl');
    expect(preferredLanguage(null, ['en-US', 'nl'])).toBe('en');
    expect(preferredLanguage(null, ['fr-FR', 'de'])).toBe('en');
    expect(preferredLanguage('xx', [])).toBe('en');
  });
});

describe('the privacy page catalogues', () => {
  it('have the same keys and placeholders in English and Dutch, and no empty text', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(messages.nl).sort()).toEqual(Object.keys(messages.en).sort());
    for (const [key, en] of Object.entries(messages.en)) {
      const nl = messages.nl[key as keyof typeof messages.en];
      expect([key, nl.trim().length > 0]).toEqual([key, true]);
      expect([key, placeholders(nl)]).toEqual([key, placeholders(en)]);
    }
  });

  it('address the reader as "u" in Dutch, never "je" or "jij"', () => {
    for (const [key, nl] of Object.entries(messages.nl)) expect([key, /\b(je|jij|jouw|jou)\b/i.test(nl)]).toEqual([key, false]);
  });
});

describe('the console catalogues', () => {
  it('have the same placeholders in English and Dutch, no empty text, and address staff as "u"', () => {
    const en = consoleEn;
    const nl = consoleNl;
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      const dutch = nl[key as keyof typeof en];
      expect([key, dutch.trim().length > 0]).toEqual([key, true]);
      expect([key, placeholders(dutch)]).toEqual([key, placeholders(text)]);
      expect([key, /\b(je|jij|jouw|jou)\b/i.test(dutch)]).toEqual([key, false]);
    }
  });
});
