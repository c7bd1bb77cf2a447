// The list of one place's incidents (a place chosen in the search, or in a
// link) and of a cluster's (many incidents at one point of the map).

import { fetchFeature } from './api.js';

const PLACE_ZOOM = 9;

export class PlaceList {
  /** `app`: {state, source, view, panel, search, display, history, compact()}; `list` the map's places. */
  constructor(app) {
    this.app = app;
    this.list = [];
    // Places chosen from the search, which may be provinces the map has no dot for.
    this.chosen = new Map();
  }

  /** Remembers the places a search found, so that choosing one needs no request. */
  remember(places) {
    for (const p of places) this.chosen.set(String(p.id), p);
  }

  find(id) {
    return this.list.find((p) => String(p.id) === id) || this.chosen.get(id);
  }

  /** Lists the chosen place's incidents, at any date. */
  async show() {
    const { state, source, panel } = this.app;
    const f = this.find(state.place);
    if (!f) {
      state.place = null;
      return false;
    }
    const items = await source.atPlace(state.place, state.filters);
    panel.renderPlace(f, items);
    state.listed = items;
    document.body.dataset.place = state.place;
    return f;
  }

  /** Chooses a place (null: back to the list): the map goes there and lists its incidents. */
  async choose(id, { from = 'list' } = {}) {
    const { state, view, panel, search, display, history, compact } = this.app;
    state.place = id || null;
    if (state.cluster) {
      state.cluster = false; // back from a cluster's list
      display.render();
      return;
    }
    if (!state.place) {
      delete document.body.dataset.place;
      if (search.active) search.run(); else display.render();
      if (from !== 'history') history.commit('push');
      return;
    }
    let f = this.find(state.place);
    if (!f) {
      // A province or country named in a link: ask for it.
      f = await fetchFeature('places', state.place).catch(() => null);
      if (f) this.chosen.set(state.place, f);
    }
    this.show();
    if (f && f.geometry && f.geometry.type === 'Point') {
      const [lng, lat] = f.geometry.coordinates;
      view.map.flyTo([lat, lng], Math.max(view.map.getZoom(), PLACE_ZOOM), { animate: from === 'list' });
      view.highlightPlace(String(f.id));
    }
    if (compact()) panel.setSheetOpen(true);
    if (from !== 'history') history.commit('push');
  }

  /** A cluster's incidents, newest first. */
  cluster(items) {
    const { state, panel, compact } = this.app;
    state.cluster = true;
    panel.renderGroup(items.sort((a, b) => b.from - a.from));
    if (compact()) panel.setSheetOpen(true);
  }
}
