// The view in the address bar and the browser's history: what is on screen as
// a query string, written as a new entry for a step the reader may want to go
// Back to (a selection, a search, a filter, a mode, a place) and in place of
// the current entry for the rest (slider ticks, map pans).

import { buildSearch, writeState } from './state.js';
import { isoOf } from './dates.js';
import { debounce } from './dom.js';
import { language } from './i18n.js';

export class ViewHistory {
  /** `app`: {state, map, initial}; listeners hear of every write. */
  constructor(app) {
    this.app = app;
    this.listeners = [];
    this.typing = false;
    this.soon = debounce(() => this.commit(), 250);
  }

  /** The query string of what is on screen now. */
  search() {
    const { state, map, initial } = this.app;
    const c = map.getCenter();
    const f = state.filters;
    return buildSearch({
      date: isoOf(state.day),
      mode: state.mode,
      window: state.window,
      incident: state.selectedId || undefined,
      center: [c.lat, c.lng],
      zoom: map.getZoom(),
      categories: f.categories ? [...f.categories] : undefined,
      verifications: f.verifications ? [...f.verifications] : undefined,
      sources: f.sources ? [...f.sources].sort() : undefined,
      query: state.query || undefined,
      place: state.place || undefined,
      lang: initial.lang,
      // Labels are in the URL when they differ from the interface's language.
      labels: state.labels !== language() ? state.labels : undefined,
    });
  }

  /** 'push' makes a history entry, 'typing' one per search, the rest replace the current one. */
  commit(how = 'replace') {
    const search = this.search();
    if (how === 'typing') {
      writeState(search, { push: !this.typing });
      this.typing = true;
    } else {
      if (how === 'push') this.typing = false;
      writeState(search, { push: how === 'push' });
    }
    this.changed();
  }

  /** Tells the listeners (the share dialog, the embed's link) that the view changed. */
  changed() {
    for (const fn of this.listeners) fn();
  }

  onChange(fn) { this.listeners.push(fn); }
}
