// What the map shows for the period: the incidents on the map and in the
// list, the count under the date, the zones, the chart, and what a screen
// reader hears. One render at a time; a newer one overtakes an older one.

import { periodOf } from './incidents.js';
import { periodWords } from './panel.js';
import { BIN } from './timeline.js';
import { el, debounce } from './dom.js';
import { isoOf, longDate } from './dates.js';
import { t } from './i18n.js';

export class Display {
  /** `app`: {state, source, view, panel, timeline, range, selection, listing()}. */
  constructor(app) {
    this.app = app;
    this.seq = 0;
    const live = document.querySelector('#live');
    this.announce = debounce((text) => { live.textContent = text; }, 700);
  }

  /** The days the map shows now. */
  period() {
    const { state, range } = this.app;
    return periodOf({ day: state.day, mode: state.mode, window: state.window, min: range.min });
  }

  async render() {
    const { state, source, view, panel, timeline, range, selection } = this.app;
    const mine = ++this.seq;
    const [from, to] = this.period();
    const filtered = Object.values(state.filters).some(Boolean);
    const [shown, all] = await Promise.all([source.inPeriod(from, to, state.filters), filtered ? source.count(from, to, null) : null]);
    if (mine !== this.seq) return; // a newer render is under way
    const listedOut = shown.more || 0; // beyond what one period shows (a large dataset)
    const activeZones = view.show(shown, state.day);
    const period = { mode: state.mode, day: state.day, from: Math.max(from, range.min), to: Math.min(to, range.max) };
    if (!this.app.listing()) {
      panel.renderList(shown, period, { hidden: filtered ? all - shown.length - listedOut : 0, more: listedOut });
      state.listed = shown;
    }
    state.shown = shown.length + listedOut;
    const words = periodWords(state.shown, period);
    const countNode = document.querySelector('#date-count');
    countNode.textContent = words.heading;
    if (activeZones.length) countNode.appendChild(el('span', { class: 'zone-flag' }, ` · ${t('forbidden zone in force')}`));
    Object.assign(document.body.dataset, {
      day: isoOf(state.day), mode: state.mode, zone: activeZones.length ? 'on' : 'off', shown: String(state.shown),
    });
    selection.refresh();
    if (!timeline.playing) {
      this.announce(`${longDate(state.day)}: ${words.heading}${activeZones.length ? `; ${t('the forbidden zone along the border is in force')}` : ''}.`);
    }
    // How long a step of the slider took, map, list and all (read by the browser tests).
    if (performance.getEntriesByName('borderline-step-start').length) {
      performance.measure('borderline-step', 'borderline-step-start');
      performance.clearMarks('borderline-step-start');
    }
  }

  async renderChart() {
    const { state, source, timeline, range } = this.app;
    timeline.setBins(await source.counts(range.min, range.max, BIN, state.filters));
  }
}
