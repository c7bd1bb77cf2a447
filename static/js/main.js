// Borderline front end: the full map (/) and the embed (/embed) — the same
// app; the page's markup decides which parts it has (the embed has no top bar
// and keeps its list in a sheet that opens on demand).
//   site.js       where this copy lives (server or static copy)
//   api.js        HTTP contract (OGC API – Features)
//   incidents.js  which incidents are in force on a day; counts per month
//   mapview.js    the map: base map, zones, places, markers, area outlines
//   timeline.js   chart, slider, play/pause
//   panel.js      list and card (side panel / bottom sheet)
//   share.js      the share dialog: link, embed code, presentation, downloads
//   embedframe.js what the embed tells its host page (height) and links to
//   state.js      view state in the URL
//   dom.js, dates.js, categories.js: helpers and code lists

import { fetchItems } from './api.js';
import { MapView, loadMapData } from './mapview.js';
import { Timeline } from './timeline.js';
import { Panel } from './panel.js';
import { setupShare } from './share.js';
import { setupEmbedFrame } from './embedframe.js';
import { printableMap, renderReport } from './print.js';
import { readState, writeState, buildSearch, MAX_QUERY } from './state.js';
import { pageURL, siteURL, STATIC } from './site.js';
import { el, debounce } from './dom.js';
import { CATEGORIES, CATEGORY_IDS } from './categories.js';
import { dayOf, isoOf, longDate, monthStart, monthEnd } from './dates.js';

const DEFAULT_RANGE = { min: dayOf('2020-01-01'), max: dayOf('2021-04-30') };
const DEFAULT_DAY = dayOf('2020-08-26');
// Shorter searches match nearly everything; the first page of results is enough
// to choose from (the count says how many there are).
const MIN_QUERY = 2;
const SEARCH_LIMIT = 100;
const phoneQuery = window.matchMedia('(max-width: 700px)');

const $ = (sel) => document.querySelector(sel);

function setStatus(text, { error = false } = {}) {
  const node = $('#map-status');
  node.textContent = text;
  node.hidden = !text;
  node.classList.toggle('is-error', error);
  if (error) node.setAttribute('role', 'alert');
}

function buildCategoryFilter(selected, onChange) {
  const fieldset = $('#category-filter');
  const toggle = $('#filters-toggle');
  if (!fieldset) return; // the embed has no filter bar: its filters come from the URL
  for (const c of CATEGORIES) {
    const input = el('input', { type: 'checkbox', name: 'category', value: c.id, id: `cat-${c.id}` });
    input.checked = selected.has(c.id);
    fieldset.appendChild(el('label', { class: ['cat-option', `cat-${c.id}`], for: `cat-${c.id}`, title: c.label },
      input,
      el('span', { class: 'chip-letter', 'aria-hidden': 'true', style: { background: c.color, color: c.ink } }, c.letter),
      el('span', { class: 'cat-name' }, window.innerWidth > 1100 ? c.short : c.label)));
  }
  const count = () => {
    const n = fieldset.querySelectorAll('input:checked').length;
    $('#filters-count').textContent = n === CATEGORIES.length ? '(all)' : `(${n} of ${CATEGORIES.length})`;
  };
  fieldset.addEventListener('change', () => {
    const now = new Set([...fieldset.querySelectorAll('input:checked')].map((i) => i.value));
    count();
    onChange(now);
  });
  const close = () => {
    toggle.setAttribute('aria-expanded', 'false');
    $('#filters').classList.remove('is-open');
  };
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    $('#filters').classList.toggle('is-open', open);
  });
  document.addEventListener('click', (e) => {
    if ($('#filters').classList.contains('is-open') && !$('#filters').contains(e.target)) close();
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && $('#filters').classList.contains('is-open')) {
      close();
      toggle.focus();
    }
  });
  count();
}

/** A static copy has data files, not the server's API: the footer says so. */
function describeStaticData() {
  const p = $('.data-links');
  if (!p) return;
  p.replaceChildren('The data: every incident as ',
    el('a', { href: siteURL('data/incidents.geojson'), download: 'borderline-incidents.geojson' }, 'GeoJSON'), ' or ',
    el('a', { href: siteURL('data/incidents.csv'), download: 'borderline-incidents.csv' }, 'CSV'),
    ', and ', el('a', { href: siteURL('data/') }, 'every layer as a file'), ' (the Borderline server also offers them to QGIS); ',
    el('a', { href: pageURL('cite') }, 'how to cite'), '.');
}

async function start() {
  const embed = document.body.dataset.page === 'embed';
  // The embed is a small window whatever the screen: list and card live in a sheet.
  const compact = () => embed || phoneQuery.matches;
  const initial = readState();
  const state = {
    categories: new Set(initial.categories || CATEGORY_IDS),
    selectedId: initial.incident || null,
    query: initial.query || '',
  };

  const legendOpen = !embed && !(phoneQuery.matches || window.innerHeight < 600 || window.innerWidth < 1200);
  const view = new MapView('map', {
    center: initial.center,
    zoom: initial.zoom,
    phone: phoneQuery.matches || (embed && window.innerWidth < 500),
    legendOpen,
    // The embed credits the sources and map data in its own footer.
    attribution: !embed,
    onSelect: (id, opts) => select(id, opts),
  });
  const { map } = view;

  /** The query string of what is on screen now. */
  function currentSearch() {
    const c = map.getCenter();
    return buildSearch({
      date: isoOf(state.day),
      incident: state.selectedId || undefined,
      center: [c.lat, c.lng],
      zoom: map.getZoom(),
      categories: CATEGORY_IDS.filter((id) => state.categories.has(id)),
      query: state.query || undefined,
    });
  }
  const stateListeners = [];
  const saveState = debounce(() => {
    writeState(currentSearch());
    for (const fn of stateListeners) fn();
  }, 250);

  let loaded;
  try {
    loaded = await loadMapData();
  } catch (err) {
    setStatus(`The map data could not be loaded. ${err.message}`, { error: true });
    throw err;
  }
  const { source } = loaded;
  view.draw(loaded);

  // --- time range --------------------------------------------------------
  const ext = source.extent();
  const range = ext ? { min: monthStart(ext.min), max: monthEnd(ext.max) } : DEFAULT_RANGE;
  let day = initial.date ? dayOf(initial.date) : NaN;
  if (Number.isNaN(day) && state.selectedId && source.get(state.selectedId)) day = source.get(state.selectedId).from;
  if (Number.isNaN(day)) day = DEFAULT_DAY;
  day = Math.min(range.max, Math.max(range.min, day));

  // --- announcements -------------------------------------------------------
  const live = $('#live');
  const announce = debounce((text) => { live.textContent = text; }, 700);

  // --- selection -----------------------------------------------------------
  const panel = new Panel({
    root: $('#panel'),
    onSelect: (id, opts) => select(id, opts),
    onClose: () => select(null, { source: 'close' }),
    onShowOnMap: (id) => showOnMap(id),
  });

  function showOnMap(id) {
    const item = source.get(id);
    if (!view.latLngsFor(item).length) return;
    if (compact()) panel.setSheetOpen(false);
    view.zoomTo(item);
    const first = view.incidents.markerElements(id)[0];
    if (first && !compact()) first.focus({ preventScroll: true });
  }

  let cardInForce = null;
  function select(id, { source: from = 'code' } = {}) {
    const item = id ? source.get(id) : null;
    if (item && from === 'list' && searching() && !(item.from <= state.day && state.day <= item.to)) {
      timeline.setDay(item.from); // a search result from another date: go there
    }
    state.selectedId = item ? item.id : null;
    view.select(item).then((n) => { document.body.dataset.areas = String(n); });
    if (item) {
      cardInForce = item.from <= state.day && state.day <= item.to;
      panel.showCard(item, state.day, { focus: from === 'list' || from === 'map' });
      if (compact() && (from === 'map' || from === 'list')) panel.setSheetOpen(true);
      // An embed made for one incident shows its card, where the frame leaves room for the map beside it.
      if (embed && from === 'url' && window.innerWidth >= 600) panel.setSheetOpen(true);
      // A permalink without a map position still has to show what it points at;
      // a permalink lands at once, a click in the list glides.
      if (from === 'list' || (from === 'url' && !initial.center)) view.reveal(item, { animate: from === 'list' });
    } else {
      cardInForce = null;
      panel.hideCard({ focus: from === 'close' });
    }
    saveState();
  }

  // --- the day -------------------------------------------------------------
  let seq = 0;
  async function update() {
    const mine = ++seq;
    const [shown, all] = await Promise.all([
      source.inForce(state.day, state.categories),
      source.inForce(state.day, null),
    ]);
    if (mine !== seq) return; // a newer update is under way
    const activeZones = view.show(shown, state.day);
    if (!searching()) {
      panel.renderList(shown, state.day, { total: all.length, hiddenByFilter: all.length - shown.length });
      state.listed = shown;
    }
    const n = shown.length;
    if (!searching()) state.shown = n;
    const count = $('#date-count');
    count.textContent = `${n} incident${n === 1 ? '' : 's'} in force`;
    if (activeZones.length) count.appendChild(el('span', { class: 'zone-flag' }, ' · forbidden zone in force'));
    document.body.dataset.day = isoOf(state.day);
    document.body.dataset.zone = activeZones.length ? 'on' : 'off';
    if (state.selectedId) {
      const item = source.get(state.selectedId);
      const nowInForce = item && item.from <= state.day && state.day <= item.to;
      if (item && nowInForce !== cardInForce) {
        cardInForce = nowInForce;
        panel.showCard(item, state.day);
      }
    }
    if (!timeline.playing) {
      announce(`${longDate(state.day)}: ${n} incident${n === 1 ? '' : 's'} in force${activeZones.length ? '; the forbidden zone along the border is in force' : ''}.`);
    }
    saveState();
  }

  async function updateChart() {
    timeline.setMonthly(await source.monthly(range.min, range.max, state.categories));
  }

  state.day = day;
  const timeline = new Timeline({
    root: $('#timeline'),
    minDay: range.min,
    maxDay: range.max,
    day,
    onChange: (d) => {
      state.day = d;
      update();
    },
  });

  buildCategoryFilter(state.categories, (cats) => {
    state.categories = cats;
    update();
    updateChart();
    if (searching()) runSearch();
  });

  // --- search ---------------------------------------------------------------
  // The server's full-text search (q=) over every date; choosing a result
  // moves the slider to a day it is in force.
  const searchInput = $('#search-input');
  const searchClear = $('#search-clear');
  searchInput.value = state.query;
  // Like the server, search only text with a letter or digit in it.
  function searching() { return state.query.length >= MIN_QUERY && /[\p{L}\p{N}]/u.test(state.query); }
  let searchSeq = 0;
  async function runSearch() {
    const mine = ++searchSeq;
    const text = state.query;
    searchClear.hidden = !text;
    saveState();
    if (!searching()) {
      update();
      return;
    }
    let fc;
    try {
      fc = await fetchItems('incidents', { q: text, limit: String(SEARCH_LIMIT) }, { follow: false });
    } catch (err) {
      if (mine === searchSeq) panel.renderSearch(text, [], { error: err.message });
      return;
    }
    if (mine !== searchSeq) return; // the reader typed on
    const found = fc.features.map((f) => source.get(String(f.id))).filter(Boolean);
    const shown = found.filter((it) => state.categories.has(it.category));
    const matched = typeof fc.numberMatched === 'number' ? fc.numberMatched : found.length;
    // Behind an open card the list is hidden: the results wait there for its closing.
    panel.renderSearch(text, shown, { matched, hiddenByFilter: found.length - shown.length });
    state.shown = shown.length;
    state.listed = shown;
    saveState();
    announce(`${matched} incident${matched === 1 ? '' : 's'} match ${text}.`);
    document.body.dataset.search = text;
  }
  const searchSoon = debounce(runSearch, 250);
  searchInput.addEventListener('input', () => {
    state.query = searchInput.value.trim().slice(0, MAX_QUERY);
    searchSoon();
  });
  $('#search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    runSearch();
  });
  searchInput.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && searchInput.value) {
      e.preventDefault();
      clearSearch();
    }
  });
  function clearSearch() {
    searchInput.value = '';
    state.query = '';
    delete document.body.dataset.search;
    runSearch();
    searchInput.focus();
  }
  searchClear.addEventListener('click', clearSearch);

  map.on('moveend', saveState);

  // What is on screen, for the share dialog and the embed's links.
  const current = {
    search: currentSearch,
    day: () => state.day,
    categories: () => CATEGORY_IDS.filter((id) => state.categories.has(id)),
    query: () => (searching() ? state.query : ''),
    count: () => state.shown,
    isRegionView: () => view.isRegionView(),
    selected: () => (state.selectedId ? source.get(state.selectedId) : null),
    onChange: (fn) => stateListeners.push(fn),
  };
  if (STATIC) describeStaticData();
  if (embed) setupEmbedFrame({ current, panel });
  else setupShare({ current });
  // On paper: what is listed, under the map as it is on screen.
  const printHead = $('#print-head');
  printableMap(view, {
    onBefore: () => {
      if (!printHead) return;
      renderReport(printHead, $('#print-report'), {
        day: state.day, categories: current.categories(), query: current.query(), permalink: pageURL('map', currentSearch()),
      }, state.listed || []);
    },
  });

  await update();
  await updateChart();
  if (state.query) await runSearch();
  if (state.selectedId) {
    if (source.get(state.selectedId)) select(state.selectedId, { source: 'url' });
    else state.selectedId = null;
  }
  setStatus('');
  document.body.classList.add('is-ready');
  // Let tests and embedders know the first render is complete.
  document.body.dataset.ready = 'true';
  requestAnimationFrame(() => view.declutter());
}

start().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
});
