// The one place that decides which incidents are "in force" on a day and
// counts them per month. Today every incident is loaded once and filtered
// here in the browser; the public methods are async so that this module can
// switch to the server's `datetime=` and `category=` queries (and a count
// endpoint) when the dataset grows, without touching its callers.

import { fetchItems } from './api.js';
import { dayOf, monthsBetween } from './dates.js';

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

function sortKey(a, b) {
  // Newest start first: what just happened heads the list.
  return b.from - a.from || a.to - b.to || a.id.localeCompare(b.id);
}

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

  /** Incidents in force on `day` (day number) in the given categories (a Set; null = all). */
  async inForce(day, categories = null) {
    return this.items
      .filter((it) => it.from <= day && day <= it.to && (!categories || categories.has(it.category)))
      .sort(sortKey);
  }

  /**
   * For every month in [fromDay, toDay]: how many incidents are in force on at
   * least one of its days, by category.
   */
  async monthly(fromDay, toDay, categories = null) {
    return monthsBetween(fromDay, toDay).map((m) => {
      const byCategory = {};
      let total = 0;
      for (const it of this.items) {
        if (categories && !categories.has(it.category)) continue;
        if (it.from <= m.end && it.to >= m.start) {
          byCategory[it.category] = (byCategory[it.category] || 0) + 1;
          total += 1;
        }
      }
      return { ...m, total, byCategory };
    });
  }
}
