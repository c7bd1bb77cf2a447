// The one place that knows where incidents come from and decides which are
// shown: in force on a day, in a period, passing the filters, and counted
// per week for the chart. A small dataset (the 52 incidents that ship, a
// static copy) is downloaded once and filtered here; a large one is asked of
// the server per period (items with datetime= and the filters) and counted
// by it (/collections/incidents/counts), so the browser never holds it all.

import { fetchItems, fetchFeature, getJSON } from './api.js';
import { dayOf, isoOf } from './dates.js';
import { siteURL, STATIC } from './site.js';

// Up to this many incidents the map downloads them all.
const DOWNLOAD_ALL = 2000;
// At most this many in one period (the newest); the list says how many more.
const PERIOD_LIMIT = 1000;
const CACHED_QUERIES = 60;
// A period is answered from a span of days around it, asked once: the
// slider's next steps are then filtered here, with no round trip. The next
// span is asked for before the slider reaches the edge of this one.
const SPAN_PAD = 20;
const SPAN_LIMIT = 4000;
const SPAN_PREFETCH = 6;

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

/** The filters as API parameters. */
function filterParams(filters) {
  const p = {};
  if (!filters) return p;
  if (filters.categories) p.category = [...filters.categories].join(',');
  if (filters.verifications) p.verification = [...filters.verifications].join(',');
  if (filters.sources) p.source = [...filters.sources].sort().join(',');
  return p;
}

/** Whether filters leave nothing (an empty set): no need to ask. */
function empty(filters) {
  return Boolean(filters && ['categories', 'verifications', 'sources'].some((k) => filters[k] && !filters[k].size));
}

/** The outlets among sources: [{outlet, ids: [source ids]}], by name. */
function outletsOf(sources) {
  const map = new Map();
  for (const s of sources) {
    const name = s.outlet || s.id;
    if (!map.has(name)) map.set(name, new Set());
    map.get(name).add(s.id);
  }
  return [...map].map(([outlet, ids]) => ({ outlet, ids: [...ids].sort() })).sort((a, b) => a.outlet.localeCompare(b.outlet));
}

export class IncidentSource {
  constructor(features) {
    this.items = features.map(normalise).filter((it) => it.id && !Number.isNaN(it.from));
    this.byId = new Map(this.items.map((it) => [it.id, it]));
  }

  /** All incidents if there are few (or this is a static copy), else a source that asks the server. */
  static async load() {
    if (STATIC) return new IncidentSource((await fetchItems('incidents')).features);
    // How many, first: one feature's worth.
    const probe = await fetchItems('incidents', { limit: '1' }, { follow: false });
    if (probe.numberMatched <= DOWNLOAD_ALL) return new IncidentSource((await fetchItems('incidents')).features);
    return ServerIncidents.open(probe.numberMatched);
  }

  /** Makes items of features that arrived another way (search results). */
  adopt(features) {
    return features.map((f) => this.get(String(f.id))).filter(Boolean);
  }

  /** The incident, fetched if it is not at hand; null if there is none. */
  async ensure(id) { return this.get(id); }

  /** How many incidents are in force in [from, to] and pass the filters. */
  async count(from, to, filters = null) {
    return (await this.inPeriod(from, to, filters)).length;
  }

  /** Incidents tied to a place, at any date, oldest first. */
  async atPlace(placeId, filters = null) {
    return this.items.filter((it) => (it.props.places || []).some((p) => p.id === placeId) && passes(it, filters))
      .sort((a, b) => a.from - b.from);
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
  async outlets() {
    return outletsOf(this.items.flatMap((it) => it.props.sources || []));
  }
}

const PRECISE_CODES = ['day', 'week'];

/**
 * Incidents asked of the server: each period is one query (cached), the
 * chart's counts another; incidents met on the way are kept by id.
 */
class ServerIncidents {
  static async open(total) {
    const src = new ServerIncidents(total);
    const counts = await getJSON(siteURL('collections/incidents/counts?bin=month'), 'the counts');
    src.range = { min: dayOf(counts.from), max: dayOf(counts.to) };
    return src;
  }

  constructor(total) {
    this.total = total;
    this.byId = new Map();
    this.cache = new Map();
    this.spans = new Map(); // filters → [{from, to, items: Promise}]
  }

  /**
   * Incidents in force on some day of a span around [from, to] with these
   * filters, or null when that span holds more than SPAN_LIMIT (the period
   * is then asked for on its own).
   */
  async span(from, to, filters) {
    const key = new URLSearchParams(filterParams(filters)).toString();
    if (!this.spans.has(key)) this.spans.set(key, []);
    const spans = this.spans.get(key);
    let hit = spans.find((s) => s.from <= from && to <= s.to);
    if (!hit) {
      hit = { from: Math.max(this.range.min, from - SPAN_PAD), to: Math.min(this.range.max, to + SPAN_PAD) };
      hit.items = this.query({ datetime: `${isoOf(hit.from)}/${isoOf(hit.to)}`, ...filterParams(filters), limit: String(SPAN_LIMIT) })
        .then((page) => (page.numberMatched > page.features.length ? null : this.adopt(page.features)));
      hit.items.catch(() => spans.splice(spans.indexOf(hit), 1));
      spans.push(hit);
      if (spans.length > 4) spans.shift();
    }
    // Near an edge: the next span, before it is needed.
    if (hit.to < this.range.max && hit.to - to < SPAN_PREFETCH) setTimeout(() => this.span(hit.to + 1, hit.to + 1, filters), 0);
    if (hit.from > this.range.min && from - hit.from < SPAN_PREFETCH) setTimeout(() => this.span(hit.from - 1, hit.from - 1, filters), 0);
    return hit.items;
  }

  get size() { return this.total; }

  extent() { return this.range; }

  get(id) { return this.byId.get(id) || null; }

  adopt(features) {
    return features.map((f) => {
      const it = normalise(f);
      if (!this.byId.has(it.id)) this.byId.set(it.id, it);
      return this.byId.get(it.id);
    });
  }

  async ensure(id) {
    if (this.byId.has(id)) return this.byId.get(id);
    try {
      return this.adopt([await fetchFeature('incidents', id)])[0];
    } catch {
      return null;
    }
  }

  /** One query, remembered (the slider goes back and forth over the same days). */
  query(params) {
    const key = new URLSearchParams(params).toString();
    if (!this.cache.has(key)) {
      if (this.cache.size >= CACHED_QUERIES) this.cache.delete(this.cache.keys().next().value);
      const p = fetchItems('incidents', params, { follow: false });
      p.catch(() => this.cache.delete(key));
      this.cache.set(key, p);
    }
    return this.cache.get(key);
  }

  period(from, to) {
    const lo = Number.isFinite(from) ? isoOf(Math.max(from, this.range.min)) : '..';
    return from === to ? isoOf(from) : `${lo}/${isoOf(to)}`;
  }

  async inForce(day, filters = null) { return this.inPeriod(day, day, filters); }

  /**
   * Incidents in force in [from, to] passing the filters, newest first: at
   * most PERIOD_LIMIT of them, the newest; the array's `more` says how many
   * were left out.
   */
  async inPeriod(from, to, filters = null) {
    if (empty(filters)) return Object.assign([], { more: 0 });
    if (Number.isFinite(from) && to - from <= 2 * SPAN_PAD) {
      const items = await this.span(from, to, filters);
      if (items) return Object.assign(items.filter((it) => it.from <= to && it.to >= from).sort(sortKey), { more: 0 });
    }
    const params = { datetime: this.period(from, to), ...filterParams(filters) };
    let page = await this.query({ ...params, limit: String(PERIOD_LIMIT) });
    if (page.numberMatched > PERIOD_LIMIT) {
      page = await this.query({ ...params, limit: String(PERIOD_LIMIT), offset: String(page.numberMatched - PERIOD_LIMIT) });
    }
    const items = this.adopt(page.features).sort(sortKey);
    return Object.assign(items, { more: Math.max(0, page.numberMatched - items.length) });
  }

  async count(from, to, filters = null) {
    if (empty(filters)) return 0;
    if (Number.isFinite(from) && to - from <= 2 * SPAN_PAD) {
      const items = await this.span(from, to, filters);
      if (items) return items.filter((it) => it.from <= to && it.to >= from).length;
    }
    const page = await this.query({ datetime: this.period(from, to), ...filterParams(filters), limit: '1' });
    return page.numberMatched;
  }

  async atPlace(placeId, filters = null) {
    if (empty(filters)) return [];
    const page = await this.query({ place: placeId, ...filterParams(filters), limit: String(PERIOD_LIMIT) });
    return Object.assign(this.adopt(page.features).sort((a, b) => a.from - b.from), { more: Math.max(0, page.numberMatched - page.features.length) });
  }

  /** The server's weekly counts, as IncidentSource.counts gives them. */
  async counts(from, to, bin, filters = null) {
    const bins = [];
    for (let s = from; s <= to; s += bin) bins.push({ start: s, end: Math.min(to, s + bin - 1), precise: {}, imprecise: {} });
    if (empty(filters)) return bins;
    const q = new URLSearchParams({ bin: 'week', datetime: `${isoOf(from)}/${isoOf(to)}`, ...filterParams(filters) });
    const c = await getJSON(siteURL(`collections/incidents/counts?${q}`), 'the counts');
    for (const [cat, byPrecision] of Object.entries(c.category_precision || {})) {
      for (const [precision, series] of Object.entries(byPrecision)) {
        const kind = PRECISE_CODES.includes(precision) ? 'precise' : 'imprecise';
        series.forEach((n, i) => { if (bins[i] && n) bins[i][kind][cat] = (bins[i][kind][cat] || 0) + n; });
      }
    }
    return bins;
  }

  async outlets() {
    const cite = await getJSON(siteURL('cite?f=json'), 'the sources');
    return outletsOf(cite.sources || []);
  }
}
