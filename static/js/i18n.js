// The interface's words in English and Korean. Text is looked up by its
// English form (what a reader of the code sees where it is used), with
// {placeholders}; Korean comes from ko.js. A missing Korean entry falls back
// to the English, and a test lists every English string in the modules that
// has no Korean.

// The Korean dictionary is loaded only for a reader who reads Korean.
let KO = {};

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

/** Sets the interface's language, loading its dictionary first. */
export async function setLanguage(code) {
  lang = code in LANGUAGES ? code : 'en';
  if (lang === 'ko') ({ KO } = await import('./ko.js'));
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
  return t(n === 1 ? one : many, { n: number(n) });
}

/** A number as the reader's language writes it: 4,835. */
export function number(n) {
  return typeof n === 'number' ? n.toLocaleString(lang === 'ko' ? 'ko-KR' : 'en-GB') : n;
}

/**
 * A field of the data in the reader's language where the data has it
 * (title_ko beside title), else in English: {text, lang}, so that the
 * element can say which language it holds.
 */
export function localized(props, field) {
  const ko = props[`${field}_ko`];
  if (lang === 'ko' && ko) return { text: ko, lang: 'ko' };
  return { text: props[field] || '', lang: 'en' };
}

/** The language attribute for data text that is in English whatever the interface. */
export function englishData() {
  return lang === 'en' ? undefined : 'en';
}

const TRANSLATED_ATTRS = ['aria-label', 'title', 'placeholder', 'alt'];

/**
 * Puts a page's own markup (index.html, embed.html, present.html) into the
 * current language: every text node and label attribute whose English is in
 * the dictionary. Data text is added later by the modules, already in the
 * right language; elements marked data-no-translate are left alone.
 */
export function translateDocument(root = document.documentElement) {
  if (lang === 'en') return;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.nodeType === 1 && (n.closest('[data-no-translate], script, style')) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.currentNode; n; n = walker.nextNode()) {
    if (n.nodeType === 3) {
      const text = n.nodeValue.trim();
      if (text && KO[text]) n.nodeValue = n.nodeValue.replace(text, KO[text]);
    } else {
      for (const a of TRANSLATED_ATTRS) {
        const v = n.getAttribute(a);
        if (v && KO[v.trim()]) n.setAttribute(a, KO[v.trim()]);
      }
    }
  }
  if (KO[document.title]) document.title = KO[document.title];
}
