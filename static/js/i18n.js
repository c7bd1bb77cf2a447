// The interface's words in English and Korean. Text is looked up by its
// English form (what a reader of the code sees where it is used), with
// {placeholders}; Korean comes from ko.js. A missing Korean entry falls back
// to the English, and a test lists every English string in the modules that
// has no Korean.

import { KO } from './ko.js';

export const LANGUAGES = {
  en: { name: 'English', htmlLang: 'en' },
  ko: { name: '한국어', htmlLang: 'ko' },
};

let lang = 'en';

/** The browser's preferred language if this map speaks it, else English. */
export function browserLanguage(nav = typeof navigator === 'undefined' ? null : navigator) {
  const prefs = nav ? [...(nav.languages || []), nav.language].filter(Boolean) : [];
  for (const p of prefs) {
    const base = p.toLowerCase().split('-')[0];
    if (base in LANGUAGES) return base;
  }
  return 'en';
}

export function setLanguage(code) {
  lang = code in LANGUAGES ? code : 'en';
  if (typeof document !== 'undefined') document.documentElement.lang = LANGUAGES[lang].htmlLang;
}

export function language() { return lang; }

/** The text in the current language, with {name} placeholders filled from vars. */
export function t(english, vars) {
  const text = (lang === 'ko' && KO[english]) || english;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

/** One or many: plural('incident', n) → "1 incident" / "2 incidents" (Korean has one form). */
export function count(n, one, many) {
  return t(n === 1 ? one : many, { n });
}
