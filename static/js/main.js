// Borderline front end: the full map (/) and the embed (/embed) — the same
// app; the page's markup decides which parts it has (the embed has no top bar
// and keeps its list in a sheet that opens on demand). This module wires the
// parts together and keeps the view's state; each part lives in its own:
//   site.js       where this copy lives (server or static copy)
//   api.js        HTTP contract (OGC API – Features)
//   incidents.js  where incidents come from; what is shown for a period and filters
//   mapview.js    the map: base map, zones, places, markers, area outlines
//   timeline.js   date, steps, modes, chart, slider, play
//   filters.js    categories, how sure, outlets
//   search.js     incidents and places by name
//   panel.js      list and card (side panel / bottom sheet)
//   share.js      the share dialog; embedframe.js what the embed tells its host
//   print.js      the printed page
//   state.js      the view in the URL, and history
//   i18n.js       English and Korean

import { MapView, loadMapData } from './mapview.js';
import { fetchFeature } from './api.js';
import { Timeline, BIN } from './timeline.js';
import { Panel, periodWords } from './panel.js';
import { Filters, resolveSources } from './filters.js';
import { Search } from './search.js';
import { setupShare } from './share.js';
import { setupEmbedFrame } from './embedframe.js';
import { printableMap, renderReport } from './print.js';
import { readState, writeState, buildSearch, DEFAULT_WINDOW } from './state.js';
import { pageURL, siteURL, STATIC } from './site.js';
import { isInForce, periodOf, passes } from './incidents.js';
import { el, debounce } from './dom.js';
import { CATEGORIES, VERIFICATION } from './categories.js';
import { dayOf, isoOf, longDate, monthStart, monthEnd } from './dates.js';
import { t, setLanguage, browserLanguage, translateDocument, language } from './i18n.js';
import { setupAbout } from './about.js';

const DEFAULT_RANGE = { min: dayOf('2020-01-01'), max: dayOf('2021-04-30') };
const DEFAULT_DAY = dayOf('2020-08-26');
const PLACE_ZOOM = 9;
const phoneQuery = window.matchMedia('(max-width: 700px)');

const $ = (sel) => document.querySelector(sel);

function setStatus(text, { error = false } = {}) {
  const node = $('#map-status');
  node.textContent = text;
  node.hidden = !text;
  node.classList.toggle('is-error', error);
  if (error) node.setAttribute('role', 'alert');
}

/** Tells the reader, once, what the link asked for that the map could not do. */
function showProblems(problems) {
  const node = $('#notice');
  if (!node || !problems.length) return;
  node.replaceChildren(
    el('ul', null, problems.map((p) => el('li', null, p))),
    el('button', { type: 'button', class: 'map-notice-close', onclick: () => { node.hidden = true; } }, t('Dismiss')));
  node.hidden = false;
}

/** A static copy has data files, not the server's API: the footer says so. */
function describeStaticData() {
  const p = $('.data-links');
  if (!p) return;
  // One sentence with its links in place, so that a translation can order it.
  const links = {
    geojson: el('a', { href: siteURL('data/incidents.geojson'), download: 'borderline-incidents.geojson' }, 'GeoJSON'),
    csv: el('a', { href: siteURL('data/incidents.csv'), download: 'borderline-incidents.csv' }, 'CSV'),
    layers: el('a', { href: siteURL('data/') }, t('every layer as a file')),
    cite: el('a', { href: pageURL('cite') }, t('how to cite')),
  };
  const sentence = t('The data: every incident as {geojson} or {csv}, and {layers} (the Borderline server also offers them to QGIS); {cite}.');
  p.replaceChildren(...sentence.split(/(\{\w+\})/).map((part) => links[part.slice(1, -1)] || part));
}

/** The filters a URL state asks for, as Sets (null: all). */
function filtersOf(s, outlets, problems) {
  return {
    categories: s.categories && s.categories.length !== CATEGORIES.length ? new Set(s.categories) : null,
    verifications: s.verifications && s.verifications.length !== Object.keys(VERIFICATION).length ? new Set(s.verifications) : null,
    sources: resolveSources(s.sources, outlets, problems),
  };
}

async function start() {
  const embed = document.body.dataset.page === 'embed';
  // The embed is a small window whatever the screen: list and card live in a sheet.
  const compact = () => embed || phoneQuery.matches;
  const { state: initial, problems } = readState();
  setLanguage(initial.lang || browserLanguage());
  translateDocument();
  const state = {
    labels: initial.labels || language(),
    mode: initial.mode || 'day',
    window: initial.window || DEFAULT_WINDOW,
    selectedId: initial.incident || null,
    place: initial.place || null,
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
    labels: state.labels,
    onLabels: (labels) => {
      state.labels = labels;
      commit('push');
    },
    onSelect: (id, opts) => select(id, opts),
    onCluster: (items) => {
      state.cluster = true;
      panel.renderGroup(items.sort((a, b) => b.from - a.from));
      if (compact()) panel.setSheetOpen(true);
    },
  });
  const { map } = view;

  let loaded;
  try {
    loaded = await loadMapData();
  } catch (err) {
    setStatus(`${t('The map data could not be loaded.')} ${err.message}`, { error: true });
    throw err;
  }
  const { source } = loaded;
  view.draw(loaded);
  view.base.osm.once('tileerror', () => {
    // No internet: say so once and keep the offline map.
    showProblems([t('The online map tiles could not be loaded (no internet?); the offline map is shown.')]);
    view.base.osm.remove();
  });
  const outlets = await source.outlets();
  if (state.selectedId) await source.ensure(state.selectedId);
  state.filters = filtersOf(initial, outlets, problems);

  // --- time range --------------------------------------------------------
  const ext = source.extent();
  const range = ext ? { min: monthStart(ext.min), max: monthEnd(ext.max) } : DEFAULT_RANGE;
  let day = initial.date ? dayOf(initial.date) : NaN;
  if (Number.isNaN(day) && state.selectedId && source.get(state.selectedId)) day = source.get(state.selectedId).from;
  if (Number.isNaN(day)) day = DEFAULT_DAY;
  state.day = Math.min(range.max, Math.max(range.min, day));

  // --- URL state and history -------------------------------------------------
  /** The query string of what is on screen now. */
  function currentSearch() {
    const c = map.getCenter();
    const f = state.filters;
    return buildSearch({
      date: isoOf(state.day),
      mode: state.mode,
      window: state.window,
      incident: state.selectedId || undefined,
      center: [c.lat, c.lng],
      zoom: map.getZoom(),
      categories: f.categories ? [...f.categories] : undefined,
      verifications: f.verifications ? [...f.verifications] : undefined,
      sources: f.sources ? [...f.sources].sort() : undefined,
      query: state.query || undefined,
      place: state.place || undefined,
      lang: initial.lang,
      // Labels are in the URL when they differ from the interface's language.
      labels: state.labels !== language() ? state.labels : undefined,
    });
  }
  const stateListeners = [];
  let typing = false;
  /**
   * Writes the view to the address bar: 'push' makes a history entry (a
   * selection, a filter, a mode, a place), 'typing' one per search, the rest
   * replace the current entry (slider ticks, map pans).
   */
  function commit(how = 'replace') {
    const search = currentSearch();
    if (how === 'typing') {
      writeState(search, { push: !typing });
      typing = true;
    } else {
      if (how === 'push') typing = false;
      writeState(search, { push: how === 'push' });
    }
    for (const fn of stateListeners) fn();
  }
  const commitSoon = debounce(() => commit(), 250);

  // --- announcements -------------------------------------------------------
  const live = $('#live');
  const announce = debounce((text) => { live.textContent = text; }, 700);

  // --- selection -----------------------------------------------------------
  const panel = new Panel({
    root: $('#panel'),
    onSelect: (id, opts) => select(id, opts),
    onClose: () => select(null, { source: 'close' }),
    onShowOnMap: (id) => showOnMap(id),
    onPlace: (id) => choosePlace(id),
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
  let openedFrom = null;
  function select(id, { source: from = 'code' } = {}) {
    const item = id ? source.get(id) : null;
    const listing = search.active || state.place;
    if (item && from === 'list' && listing && !isInForce(item, state.day)) {
      timeline.setDay(item.from); // a result from another date: go there
    }
    const closing = !item && state.selectedId;
    const closedId = state.selectedId;
    state.selectedId = item ? item.id : null;
    view.select(item).then((n) => { document.body.dataset.areas = String(n); });
    timeline.setSpan(item ? [item.from, item.to] : null);
    if (item) {
      if (from === 'map' || from === 'list') openedFrom = from;
      cardInForce = isInForce(item, state.day);
      panel.showCard(item, state.day, { focus: from === 'list' || from === 'map' });
      if (compact() && (from === 'map' || from === 'list')) panel.setSheetOpen(true);
      // An embed made for one incident shows its card, where the frame leaves room for the map beside it.
      if (embed && from === 'url' && window.innerWidth >= 600) panel.setSheetOpen(true);
      // A permalink without a map position still has to show what it points at;
      // a permalink lands at once, a click in the list glides.
      if (from === 'list' || (from === 'url' && !initial.center)) view.reveal(item, { animate: from === 'list' });
    } else {
      cardInForce = null;
      // Closed by the reader: focus goes back to what opened the card.
      const marker = closing && from === 'close' && openedFrom === 'map' ? view.incidents.markerElements(closedId)[0] : null;
      panel.hideCard({ focus: from === 'close' && !marker });
      if (marker) marker.focus({ preventScroll: true });
    }
    if (from !== 'url' && from !== 'history') commit('push');
  }

  // --- what the map shows ----------------------------------------------------
  let seq = 0;
  async function render() {
    const mine = ++seq;
    const [from, to] = periodOf({ day: state.day, mode: state.mode, window: state.window, min: range.min });
    const filtered = Object.values(state.filters).some(Boolean);
    const [shown, all] = await Promise.all([source.inPeriod(from, to, state.filters), filtered ? source.count(from, to, null) : null]);
    if (mine !== seq) return; // a newer render is under way
    performance.mark('borderline-step-data');
    const listedOut = shown.more || 0; // beyond what one period shows (a large dataset)
    const activeZones = view.show(shown, state.day);
    performance.mark('borderline-step-map');
    const period = { mode: state.mode, day: state.day, from: Math.max(from, range.min), to: Math.min(to, range.max) };
    if (!search.active && !state.place && !state.cluster) {
      panel.renderList(shown, period, { hidden: filtered ? all - shown.length - listedOut : 0, more: listedOut });
      state.listed = shown;
    }
    state.shown = shown.length + listedOut;
    const n = shown.length + listedOut;
    const words = periodWords(n, period);
    const countNode = $('#date-count');
    countNode.textContent = words.heading;
    if (activeZones.length) countNode.appendChild(el('span', { class: 'zone-flag' }, ` · ${t('forbidden zone in force')}`));
    document.body.dataset.day = isoOf(state.day);
    document.body.dataset.mode = state.mode;
    document.body.dataset.zone = activeZones.length ? 'on' : 'off';
    document.body.dataset.shown = String(n);
    if (state.selectedId) {
      const item = source.get(state.selectedId);
      const nowInForce = item && isInForce(item, state.day);
      if (item && nowInForce !== cardInForce) {
        cardInForce = nowInForce;
        panel.showCard(item, state.day);
      }
    }
    if (!timeline.playing) {
      announce(`${longDate(state.day)}: ${words.heading}${activeZones.length ? `; ${t('the forbidden zone along the border is in force')}` : ''}.`);
    }
    // How long a step of the slider took, map, list and all (read by the browser tests).
    if (performance.getEntriesByName('borderline-step-start').length) {
      performance.measure('borderline-step', 'borderline-step-start');
      performance.clearMarks('borderline-step-start');
    }
  }

  async function renderChart() {
    timeline.setBins(await source.counts(range.min, range.max, BIN, state.filters));
  }

  const timeline = new Timeline({
    root: $('#timeline'),
    minDay: range.min,
    maxDay: range.max,
    day: state.day,
    mode: state.mode,
    window: state.window,
    onChange: (d) => {
      state.day = d;
      performance.mark('borderline-step-start');
      render();
      commitSoon();
    },
    onMode: (mode, win) => {
      state.mode = mode;
      state.window = win;
      render();
      commit('push');
    },
  });

  const filters = new Filters({
    outlets,
    state: state.filters,
    onChange: (f) => {
      state.filters = f;
      render();
      renderChart();
      if (search.active) search.run();
      else if (state.place) showPlace();
      commit('push');
    },
  });

  // --- search and places -----------------------------------------------------
  const places = (loaded.layers.places.features || []);
  const search = new Search({
    places,
    onInput: (text) => {
      state.query = text;
      if (state.place) state.place = null;
      commit('typing');
    },
    onClear: () => {
      delete document.body.dataset.search;
      render();
    },
    onResults: (text, { features = [], matched, places: found, error }) => {
      const items = source.adopt(features);
      const shown = items.filter((it) => passes(it, state.filters));
      for (const p of found) chosenPlaces.set(String(p.id), p);
      panel.renderSearch(text, shown, { matched, hidden: items.length - shown.length, places: found, error });
      state.shown = shown.length;
      state.listed = shown;
      announce(t('{n} incidents and {p} places match “{text}”.', { n: matched, p: found.length, text }));
      document.body.dataset.search = text;
      for (const fn of stateListeners) fn();
    },
  });
  search.set(state.query);

  // Places chosen from the search, which may be provinces the map has no dot for.
  const chosenPlaces = new Map();
  async function showPlace() {
    const f = places.find((p) => String(p.id) === state.place) || chosenPlaces.get(state.place);
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

  /** A place chosen from the search: the map goes there and lists its incidents. */
  async function choosePlace(id, { from = 'list' } = {}) {
    state.place = id || null;
    if (state.cluster) {
      state.cluster = false; // back from a cluster's list
      render();
      return;
    }
    if (!state.place) {
      delete document.body.dataset.place;
      if (search.active) search.run(); else render();
      if (from !== 'history') commit('push');
      return;
    }
    let f = places.find((p) => String(p.id) === state.place) || chosenPlaces.get(state.place);
    if (!f) {
      // A province or country named in a link: ask for it.
      f = await fetchFeature('places', state.place).catch(() => null);
      if (f) chosenPlaces.set(state.place, f);
    }
    showPlace();
    if (f && f.geometry && f.geometry.type === 'Point') {
      const [lng, lat] = f.geometry.coordinates;
      map.flyTo([lat, lng], Math.max(map.getZoom(), PLACE_ZOOM), { animate: from === 'list' });
      view.highlightPlace(String(f.id));
    }
    if (compact()) panel.setSheetOpen(true);
    if (from !== 'history') commit('push');
  }

  map.on('moveend', () => commitSoon());

  // What is on screen, for the share dialog and the embed's links.
  const current = {
    search: currentSearch,
    day: () => state.day,
    categories: () => (state.filters.categories ? CATEGORIES.map((c) => c.id).filter((id) => state.filters.categories.has(id)) : CATEGORIES.map((c) => c.id)),
    filters: () => state.filters,
    period: () => periodOf({ day: state.day, mode: state.mode, window: state.window, min: range.min }),
    mode: () => state.mode,
    query: () => (search.active ? state.query : ''),
    count: () => state.shown,
    selected: () => (state.selectedId ? source.get(state.selectedId) : null),
    isRegionView: () => view.isRegionView(),
    onChange: (fn) => stateListeners.push(fn),
  };
  if (STATIC) describeStaticData();
  setupAbout();
  // The language switch opens this view in the other language.
  const langBtn = $('#lang-btn');
  if (langBtn) {
    const other = language() === 'ko' ? 'en' : 'ko';
    langBtn.textContent = other === 'ko' ? '한국어' : 'English';
    langBtn.dataset.short = other === 'ko' ? '한' : 'EN';
    langBtn.lang = other;
    langBtn.hreflang = other;
    const updateLang = () => {
      const q = new URLSearchParams(currentSearch());
      q.set('lang', other);
      q.delete('labels');
      langBtn.href = `${window.location.pathname}?${q.toString().replace(/%2C/g, ',')}`;
    };
    stateListeners.push(updateLang);
    updateLang();
  }
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

  // Back and Forward: the URL holds the whole view, so apply it again.
  window.addEventListener('popstate', async () => {
    const { state: s } = readState();
    state.day = s.date ? Math.min(range.max, Math.max(range.min, dayOf(s.date))) : state.day;
    state.mode = s.mode || 'day';
    state.window = s.window || DEFAULT_WINDOW;
    state.filters = filtersOf(s, outlets, []);
    state.query = s.query || '';
    state.place = s.place || null;
    const labels = s.labels || language();
    if (labels !== state.labels) {
      state.labels = labels;
      view.setLabels(labels);
    }
    typing = false;
    timeline.setDay(state.day, { silent: true });
    timeline.setMode(state.mode, state.window);
    filters.set(state.filters);
    search.set(state.query);
    if (s.center) map.setView(s.center, s.zoom ?? map.getZoom(), { animate: false });
    render();
    renderChart();
    if (state.place) choosePlace(state.place, { from: 'history' });
    else if (search.active) search.run();
    const id = s.incident && await source.ensure(s.incident) ? s.incident : null;
    if (id !== state.selectedId) select(id, { source: 'history' });
  });

  await render();
  await renderChart();
  if (state.place) choosePlace(state.place, { from: 'history' });
  else if (search.active) await search.run();
  if (state.selectedId) {
    if (source.get(state.selectedId)) select(state.selectedId, { source: 'url' });
    else state.selectedId = null;
  }
  showProblems(problems);
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
