import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en, type MessageKey } from './en.js';
import { zhTW } from './zh-TW.js';

export const LOCALES = { en: 'English', 'zh-TW': '繁體中文' } as const;
export type Locale = keyof typeof LOCALES;
const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { en, 'zh-TW': zhTW };

interface I18n {
  locale: Locale;
  setLocale(locale: Locale): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
}

const Context = createContext<I18n | null>(null);

function initialLocale(): Locale {
  const saved = localStorage.getItem('locale');
  if (saved === 'en' || saved === 'zh-TW') return saved;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-TW' : 'en';
}

/** UI language (English or Traditional Chinese), kept in the browser; dates and numbers follow it too. */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const setLocale = useCallback((next: Locale) => {
    localStorage.setItem('locale', next);
    setLocaleState(next);
  }, []);
  // The page's language (read by screen readers and the browser's spell checker) from the first render on.
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({
      locale,
      setLocale,
      t: (key, vars) => DICTIONARIES[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars?.[name] ?? '')),
    }),
    [locale, setLocale],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
