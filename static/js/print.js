// Printing: the map page prints as a document — a title, the day shown and
// the filters, the map at that day, then every incident listed with its
// dates, place, how sure it is and its sources — and the presentation as a
// handout of its story. Before printing (the browser's beforeprint, or the
// print media query when a tool switches to it) the map is resized to the
// paper and refitted to the area that was on screen; afterwards it goes back.

import { el, clear } from './dom.js';
import { CATEGORIES, verification } from './categories.js';
import { incidentDateWords, longDate, shortDate } from './dates.js';
import { t, count, localized, englishData } from './i18n.js';
import { placesText, sourceLong } from './describe.js';

/** Calls `before` and `after` around printing, however it is started. */
export function onPrint(before, after) {
  let printing = false;
  const start = () => { if (!printing) { printing = true; before(); } };
  const end = () => { if (printing) { printing = false; after(); } };
  window.addEventListener('beforeprint', start);
  window.addEventListener('afterprint', end);
  window.matchMedia('print').addEventListener('change', (e) => (e.matches ? start() : end()));
}

// The map's size on paper: within the printable width of both A4 and US
// Letter (186 and 192 mm with the page margins in app.css). It is set on the
// map before printing, so the map can be fitted while the screen layout is
// still in force (beforeprint comes before the print layout).
const PAPER_MAP = { width: '180mm', height: '115mm' };

/** Keeps a map showing the same area on paper as on screen. */
export function printableMap(view, { onBefore = () => {} } = {}) {
  let saved = null;
  const container = view.map.getContainer();
  onPrint(() => {
    const { map } = view;
    // The whole region when that is what is on screen (paper has no legend
    // to keep clear of), otherwise the area the reader chose.
    saved = { center: map.getCenter(), zoom: map.getZoom(), bounds: view.isRegionView() ? view.regionBounds() : map.getBounds() };
    onBefore();
    Object.assign(container.style, { width: PAPER_MAP.width, height: PAPER_MAP.height, right: 'auto', bottom: 'auto' });
    map.invalidateSize({ pan: false });
    map.fitBounds(saved.bounds, { animate: false, padding: [6, 6] });
    view.declutter();
    document.body.dataset.print = 'ready';
  }, () => {
    delete document.body.dataset.print;
    for (const k of ['width', 'height', 'right', 'bottom']) container.style.removeProperty(k);
    view.map.invalidateSize({ pan: false });
    if (saved) view.map.setView(saved.center, saved.zoom, { animate: false });
    view.declutter();
  });
}

function incidentEntry(it) {
  const p = it.props;
  const v = verification(p.verification, p.verification_label);
  const cat = CATEGORIES.find((c) => c.id === p.category);
  const sources = Array.isArray(p.sources) ? p.sources : [];
  return el('li', { class: 'print-incident' },
    el('h3', { lang: localized(p, 'title').lang }, localized(p, 'title').text || it.id),
    el('p', { class: 'print-meta' },
      el('span', { class: 'print-cat' }, cat ? `${cat.letter} · ${t(cat.label)}` : p.category), ' — ',
      incidentDateWords(p, { inferred: true }), ' — ',
      placesText(p), it.offMap ? ` (${t('no single place on the map')})` : '', ' — ',
      el('strong', null, t(v.label))),
    p.summary ? el('p', { class: 'print-summary', lang: localized(p, 'summary').lang }, localized(p, 'summary').text) : null,
    p.contradictions ? el('p', { class: 'print-contradictions' }, `${t('Contradictions between reports')}: `, el('span', { lang: englishData() }, p.contradictions)) : null,
    sources.length ? el('ol', { class: 'print-sources' }, sources.map((s) => el('li', null, sourceLong(s)))) : null);
}

/**
 * Fills the printed page: `head` (before the map) says what is shown,
 * `report` (after it) lists `items`. `view` is {day, categories, query,
 * permalink}; items are IncidentSource items.
 */
export function renderReport(head, report, { day, categories, query, permalink }, items) {
  const cats = categories.length === CATEGORIES.length ? t('all categories')
    : t('only {list}', { list: categories.map((id) => t(CATEGORIES.find((c) => c.id === id).label)).join(', ') });
  const n = items.length;
  const what = query
    ? count(n, '{n} incident matching “{q}” at any date', '{n} incidents matching “{q}” at any date').replace('{q}', query)
    : count(n, '{n} incident in force on {day}', '{n} incidents in force on {day}').replace('{day}', longDate(day));
  clear(head).append(
    el('h1', null, t('Borderline: the North Korea–China border in the COVID-19 closure, 2020–2021')),
    el('p', { class: 'print-view' }, el('strong', null, t('The map on {day}', { day: longDate(day) })), ` · ${what} · ${cats}`),
    el('p', { class: 'print-link' }, `${t('This view online')}: ${permalink}`));
  clear(report).append(
    el('h2', null, query ? t('Incidents matching “{q}”', { q: query }) : t('Incidents in force on {day}', { day: longDate(day) })),
    el('p', { class: 'print-key' }, `${t('Marker letters')}: `, CATEGORIES.map((c) => `${c.letter} ${t(c.label)}`).join(' · '),
      `. ${t('A solid outline marks the town itself, a dashed one a place near it or part of a region, a pale wide disc a whole province or more; a paler marker has an inferred date; rings mean a date known only to the month (one) or the season or year (two).')}`),
    n ? el('ol', { class: 'print-incidents' }, items.map(incidentEntry)) : el('p', null, t('No incident is shown with these filters.')),
    el('p', { class: 'print-credit' },
      `${t('Almost every report rests on one anonymous source inside North Korea and cannot be verified. Summaries are Borderline’s own; cite the original reports.')} `,
      `${t('Map data © OpenStreetMap contributors (ODbL), Natural Earth (public domain), GeoNames (CC BY 4.0).')} `,
      t('Printed {date}.', { date: shortDate(Math.floor(Date.now() / 86400000)) })));
}
