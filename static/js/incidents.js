// The one place that knows where incidents come from and decides which are
// shown: in force on a day, in a period, passing the filters, and counted
// per week for the chart. Its methods are async so that the incidents can
// come from the server's queries as well as from one download.

import { fetchItems } from './api.js';
import { dayOf } from './dates.js';

function normalise(feature) {
  const p = feature.properties || {};
  const from = dayOf(p.in_force_from || p.date_start);
  let to = dayOf(p.in_force_to || p.date_end || p.in_force_from || p.date_start);
  if (Number.isNaN(to) || to < from) to = from;
  return {
    id: String(feature.id ?? p.id ?? ''),
    feature,
    props: p,
    from,
    to,
    category: p.category,
    offMap: Boolean(p.off_map) || !feature.geometry,
  };
}

/** Whether an incident (or anything with from/to day numbers) is in force on a day. */
export function isInForce(item, day) {
  return item.from <= day && day <= item.to;
}

/**
 * The days the map shows for a time mode: the day itself; everything up to
 * it (from `min`); or `window` days either side of it.
 */
export function periodOf({ day, mode = 'day', window = 30, min = -Infinity }) {
  if (mode === 'cumulative') return [min, day];
  if (mode === 'window') return [day - window, day + window];
  return [day, day];
}

/**
 * Whether an incident passes the filters: {categories, verifications,
 * sources}, each a Set or null for "all". An incident passes the sources
 * filter when any of its sources is listed.
 */
export function passes(item, filters) {
  if (!filters) return true;
  const p = item.props;
  if (filters.categories && !filters.categories.has(item.category)) return false;
  if (filters.verifications && !filters.verifications.has(p.verification)) return false;
  if (filters.sources && !(p.sources || []).some((s) => filters.sources.has(s.id))) return false;
  return true;
}

function sortKey(a, b) {
  // Newest start first: what just happened heads the list.
  return b.from - a.from || a.to - b.to || a.id.localeCompare(b.id);
}

const PRECISE = new Set(['day', 'week']);

export class IncidentSource {
  constructor(features) {
    this.items = features.map(normalise).filter((it) => it.id && !Number.isNaN(it.from));
    this.byId = new Map(this.items.map((it) => [it.id, it]));
  }

  static async load() {
    const fc = await fetchItems('incidents');
    return new IncidentSource(fc.features);
  }

  get size() { return this.items.length; }

  /** The first and last day any incident is in force, or null when there are none. */
  extent() {
    if (!this.items.length) return null;
    let min = Infinity;
    let max = -Infinity;
    for (const it of this.items) {
      if (it.from < min) min = it.from;
      if (it.to > max) max = it.to;
    }
    return { min, max };
  }

  get(id) { return this.byId.get(id) || null; }

  /** Incidents in force on `day` that pass the filters. */
  async inForce(day, filters = null) {
    return this.inPeriod(day, day, filters);
  }

  /** Incidents in force on any day of [from, to] that pass the filters, newest first. */
  async inPeriod(from, to, filters = null) {
    return this.items.filter((it) => it.from <= to && it.to >= from && passes(it, filters)).sort(sortKey);
  }

  /**
   * For bins of `bin` days from `from` to `to`: how many incidents are in
   * force on some day of each, by category, apart for those whose date is
   * known to the day or week (precise) and those known only to the month,
   * season or year (imprecise, counted over their whole span).
   */
  async counts(from, to, bin, filters = null) {
    const bins = [];
    for (let s = from; s <= to; s += bin) bins.push({ start: s, end: Math.min(to, s + bin - 1), precise: {}, imprecise: {} });
    for (const it of this.items) {
      if (it.to < from || it.from > to || !passes(it, filters)) continue;
      const kind = PRECISE.has(it.props.date_precision || 'day') ? 'precise' : 'imprecise';
      const first = Math.max(0, Math.floor((it.from - from) / bin));
      const last = Math.min(bins.length - 1, Math.floor((it.to - from) / bin));
      for (let i = first; i <= last; i++) bins[i][kind][it.category] = (bins[i][kind][it.category] || 0) + 1;
    }
    return bins;
  }

  /** The outlets among the incidents' sources: [{outlet, ids: [source ids]}], by name. */
  outlets() {
    const map = new Map();
    for (const it of this.items) {
      for (const s of it.props.sources || []) {
        const name = s.outlet || s.id;
        if (!map.has(name)) map.set(name, new Set());
        map.get(name).add(s.id);
      }
    }
    return [...map].map(([outlet, ids]) => ({ outlet, ids: [...ids].sort() })).sort((a, b) => a.outlet.localeCompare(b.outlet));
  }
}
