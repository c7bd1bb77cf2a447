// An incident's places and sources in words, for the presentation and the
// printed page (the panel's card lays them out as lists instead).

import { shortDate } from './dates.js';
import { t } from './i18n.js';

/**
 * The places in words, grouped by kind: "North Korea–China border; North
 * Hamgyong, Ryanggang and Chagang provinces; Hyesan".
 */
export function placesText(props) {
  const places = Array.isArray(props.places) ? props.places : [];
  if (!places.length) return t('No named place');
  const groups = new Map();
  for (const p of places) {
    if (!groups.has(p.kind)) groups.set(p.kind, []);
    groups.get(p.kind).push(p.name || p.id);
  }
  const list = (names) => (names.length < 2 ? names[0] : t('{a} and {b}', { a: names.slice(0, -1).join(', '), b: names[names.length - 1] }));
  return [...groups].map(([kind, names]) => {
    if (kind === 'province') return t(names.length > 1 ? '{list} provinces' : '{list} province', { list: list(names) });
    if (kind === 'county') return t(names.length > 1 ? '{list} counties' : '{list} county', { list: list(names) });
    return list(names);
  }).join('; ');
}

/** A source as a projector has room for: the outlet and the date. */
export function sourceShort(s) {
  const when = s.published ? (s.published_inferred ? t('about {date}', { date: shortDate(s.published) }) : shortDate(s.published)) : '';
  return [s.outlet, when].filter(Boolean).join(', ');
}

/** A source in full, for paper: outlet (and whom it reports), headline, date, address. */
export function sourceLong(s) {
  const who = s.original_reporter ? t('{outlet}, reporting {reporter}', { outlet: s.outlet, reporter: s.original_reporter }) : s.outlet;
  const when = s.published ? t(s.published_inferred ? 'published about {date}' : 'published {date}', { date: shortDate(s.published) }) : '';
  return [who, s.headline ? `“${s.headline}”` : '', when, s.url || t('no link known')].filter(Boolean).join(', ');
}
