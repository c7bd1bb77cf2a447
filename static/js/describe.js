// An incident's places and sources in words, for the presentation and the
// printed page (the panel's card lays them out as lists instead).

import { shortDate } from './dates.js';

/**
 * The places in words, grouped by kind: "North Korea–China border; North
 * Hamgyong, Ryanggang and Chagang provinces; Hyesan".
 */
export function placesText(props) {
  const places = Array.isArray(props.places) ? props.places : [];
  if (!places.length) return 'No named place';
  const groups = new Map();
  for (const p of places) {
    if (!groups.has(p.kind)) groups.set(p.kind, []);
    groups.get(p.kind).push(p.name || p.id);
  }
  const list = (names) => (names.length < 2 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`);
  return [...groups].map(([kind, names]) => {
    if (kind === 'province') return `${list(names)} province${names.length > 1 ? 's' : ''}`;
    if (kind === 'county') return `${list(names)} count${names.length > 1 ? 'ies' : 'y'}`;
    return list(names);
  }).join('; ');
}

/** A source as a projector has room for: the outlet and the date. */
export function sourceShort(s) {
  const when = s.published ? `${s.published_inferred ? 'about ' : ''}${shortDate(s.published)}` : '';
  return [s.outlet, when].filter(Boolean).join(', ');
}

/** A source in full, for paper: outlet (and whom it reports), headline, date, address. */
export function sourceLong(s) {
  const who = s.original_reporter ? `${s.outlet}, reporting ${s.original_reporter}` : s.outlet;
  const when = s.published ? `${s.published_inferred ? 'published about ' : 'published '}${shortDate(s.published)}` : '';
  return [who, s.headline ? `“${s.headline}”` : '', when, s.url || 'no link known'].filter(Boolean).join(', ');
}
