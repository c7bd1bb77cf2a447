// The selected incident: its card, its markers and areas on the map, its span
// on the timeline, and where focus goes when the card closes.

import { isInForce } from './incidents.js';

export class Selection {
  /**
   * `app`: {state, source, view, panel, timeline, history, compact(), embed,
   * initial, listing()} — listing() is true while the list shows search or
   * place results rather than the day's incidents.
   */
  constructor(app) {
    this.app = app;
    this.cardInForce = null;
    this.openedFrom = null;
  }

  get id() { return this.app.state.selectedId; }

  /** Selects an incident (or none); `source` says who asked: list, map, url, history, close, code. */
  select(id, { source: from = 'code' } = {}) {
    const { state, source, view, panel, timeline, compact, embed, initial } = this.app;
    const item = id ? source.get(id) : null;
    if (item && from === 'list' && this.app.listing() && !isInForce(item, state.day)) {
      timeline.setDay(item.from); // a result from another date: go there
    }
    const closedId = !item && state.selectedId;
    state.selectedId = item ? item.id : null;
    view.select(item).then((n) => { document.body.dataset.areas = String(n); });
    timeline.setSpan(item ? [item.from, item.to] : null);
    if (item) {
      if (from === 'map' || from === 'list') this.openedFrom = from;
      this.cardInForce = isInForce(item, state.day);
      panel.showCard(item, state.day, { focus: from === 'list' || from === 'map' });
      if (compact() && (from === 'map' || from === 'list')) panel.setSheetOpen(true);
      // An embed made for one incident shows its card, where the frame leaves room for the map beside it.
      if (embed && from === 'url' && window.innerWidth >= 600) panel.setSheetOpen(true);
      // A permalink without a map position still has to show what it points at;
      // a permalink lands at once, a click in the list glides.
      if (from === 'list' || (from === 'url' && !initial.center)) view.reveal(item, { animate: from === 'list' });
    } else {
      this.cardInForce = null;
      // Closed by the reader: focus goes back to what opened the card.
      const marker = closedId && from === 'close' && this.openedFrom === 'map' ? view.incidents.markerElements(closedId)[0] : null;
      panel.hideCard({ focus: from === 'close' && !marker });
      if (marker) marker.focus({ preventScroll: true });
    }
    if (from !== 'url' && from !== 'history') this.app.history.commit('push');
  }

  /** Zooms to an incident from its card's "Show on map". */
  showOnMap(id) {
    const { source, view, panel, compact } = this.app;
    const item = source.get(id);
    if (!view.latLngsFor(item).length) return;
    if (compact()) panel.setSheetOpen(false);
    view.zoomTo(item);
    const first = view.incidents.markerElements(id)[0];
    if (first && !compact()) first.focus({ preventScroll: true });
  }

  /** Redraws the card when the day moves it in or out of force. */
  refresh() {
    const { state, source, panel } = this.app;
    if (!state.selectedId) return;
    const item = source.get(state.selectedId);
    const nowInForce = item && isInForce(item, state.day);
    if (item && nowInForce !== this.cardInForce) {
      this.cardInForce = nowInForce;
      panel.showCard(item, state.day);
    }
  }
}
