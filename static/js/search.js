// The search box above the list: incidents at any date (the server's
// full-text search, q=) and places by any of their names (English, Korean,
// Chinese, other spellings). Results go to the panel; choosing one is the
// caller's business.

import { fetchItems } from './api.js';
import { words, matches } from './staticdata.js';
import { debounce } from './dom.js';
import { MAX_QUERY } from './state.js';
import { STATIC } from './site.js';

const MIN_QUERY = 2;
const LIMIT = 100;

/** Whether text is worth searching: two characters or more, with a letter or digit. */
export function searchable(text) {
  return text.length >= MIN_QUERY && /[\p{L}\p{N}]/u.test(text);
}

/** Places whose names match every word of the text, exact names first. */
export function findPlaces(text, places) {
  const q = text.trim().toLowerCase();
  const scored = [];
  for (const f of places) {
    const p = f.properties || {};
    const names = [p.name_en, p.name_ko, p.name_zh, ...(Array.isArray(p.alt_names) ? p.alt_names : [])].filter(Boolean);
    if (!matches(text, words(names.join(' '))) && !names.some((n) => n.toLowerCase().startsWith(q))) continue;
    const exact = names.some((n) => n.toLowerCase() === q);
    scored.push({ f, exact });
  }
  return scored.sort((a, b) => Number(b.exact) - Number(a.exact)).map((s) => s.f);
}

export class Search {
  /**
   * `places`: the place features to search; `onResults(text, {items,
   * matched, places, error})` with the raw incident features the server
   * found; `onClear()`; `onInput(text)` as the reader types (for the URL).
   */
  constructor({ places, onResults, onClear, onInput }) {
    this.input = document.querySelector('#search-input');
    this.clearBtn = document.querySelector('#search-clear');
    this.form = document.querySelector('#search-form');
    this.places = places;
    this.onResults = onResults;
    this.onClear = onClear;
    this.onInput = onInput;
    this.text = '';
    this.seq = 0;
    const soon = debounce(() => this.run(), 250);
    this.input.addEventListener('input', () => {
      this.text = this.input.value.trim().slice(0, MAX_QUERY);
      this.clearBtn.hidden = !this.text;
      this.onInput(this.text);
      soon();
    });
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      soon.flush();
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.input.value) {
        e.preventDefault();
        e.stopPropagation();
        this.clear();
      }
    });
    this.clearBtn.addEventListener('click', () => this.clear());
  }

  get active() { return searchable(this.text); }

  /** Puts text in the box (from the URL, or Back and Forward) without searching. */
  set(text) {
    this.text = text || '';
    this.input.value = this.text;
    this.clearBtn.hidden = !this.text;
  }

  clear() {
    this.set('');
    this.onInput('');
    this.run();
    this.input.focus();
  }

  async run() {
    const mine = ++this.seq;
    const text = this.text;
    if (!this.active) {
      this.onClear();
      return;
    }
    let fc;
    let places;
    try {
      // The server searches every place, provinces and countries too; a static copy its own towns.
      [fc, places] = await Promise.all([
        fetchItems('incidents', { q: text, limit: String(LIMIT) }, { follow: false }),
        STATIC ? findPlaces(text, this.places) : fetchItems('places', { q: text, limit: '10' }, { follow: false }).then((p) => p.features),
      ]);
    } catch (err) {
      places = findPlaces(text, this.places);
      if (mine === this.seq) this.onResults(text, { items: [], matched: 0, places, error: err.message });
      return;
    }
    if (mine !== this.seq) return; // the reader typed on
    const matched = typeof fc.numberMatched === 'number' ? fc.numberMatched : fc.features.length;
    this.onResults(text, { features: fc.features, matched, places });
  }
}
