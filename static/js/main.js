// Borderline front end: the full map (/) and the embed (/embed) — the same
// app; the page's markup decides which parts it has (the embed has no top bar
// and keeps its list in a sheet that opens on demand). This module wires the
// parts together and keeps the view's state; each part lives in its own:
//   site.js       where this copy lives (server or static copy)
//   api.js        HTTP contract (OGC API – Features)
//   incidents.js  where incidents come from; what is shown for a period and filters
//   mapview.js    the map: base map, zones, places, markers, area outlines
//   timeline.js   date, steps, modes, chart, slider, play
//   display.js    what the map and the list show for the period
//   selection.js  the selected incident and its card
//   placelist.js  a place's or a cluster's incidents
//   filters.js    categories, how sure, outlets
//   search.js     incidents and places by name
//   panel.js      list and card (side panel / bottom sheet)
//   share.js      the share dialog; embedframe.js what the embed tells its host
//   print.js      the printed page
//   state.js      the view in the URL; history.js the address bar and Back
//   i18n.js       English and Korean

import { MapView, loadMapData } from './mapview.js';
import { Timeline } from './timeline.js';
import { Panel } from './panel.js';
import { Filters, resolveSources } from './filters.js';
import { Search } from './search.js';
import { Selection } from './selection.js';
import { Display } from './display.js';
import { PlaceList } from './placelist.js';
import { ViewHistory } from './history.js';
import { setupEmbedFrame } from './embedframe.js';
import { printableMap, renderReport } from './print.js';
import { readState, DEFAULT_WINDOW } from './state.js';
import { pageURL, siteURL, STATIC } from './site.js';
import { passes } from './incidents.js';
import { el } from './dom.js';
import { CATEGORIES, VERIFICATION } from './categories.js';
import { dayOf, monthStart, monthEnd } from './dates.js';
import { t, setLanguage, browserLanguage, translateDocument, language } from './i18n.js';
import { setupAbout } from './about.js';

const DEFAULT_RANGE = { min: dayOf('2020-01-01'), max: dayOf('2021-04-30') };
const DEFAULT_DAY = dayOf('2020-08-26');
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

/** The language link: this view in the other language. */
function setupLanguageLink(history) {
  const link = $('#lang-btn');
  if (!link) return;
  const other = language() === 'ko' ? 'en' : 'ko';
  link.textContent = other === 'ko' ? '한국어' : 'English';
  link.dataset.short = other === 'ko' ? '한' : 'EN';
  link.lang = other;
  link.hreflang = other;
  const update = () => {
    const q = new URLSearchParams(history.search());
    q.set('lang', other);
    q.delete('labels');
    link.href = `${window.location.pathname}?${q.toString().replace(/%2C/g, ',')}`;
  };
  history.onChange(update);
  update();
}

/** What is on screen, for the share dialog, the embed's links and the printed page. */
function onScreen(app) {
  const { state, source, view, history, display, search } = app;
  const allCategories = CATEGORIES.map((c) => c.id);
  return {
    search: () => history.search(),
    day: () => state.day,
    categories: () => (state.filters.categories ? allCategories.filter((id) => state.filters.categories.has(id)) : allCategories),
    filters: () => state.filters,
    period: () => display.period(),
    mode: () => state.mode,
    query: () => (search.active ? state.query : ''),
    count: () => state.shown,
    selected: () => (state.selectedId ? source.get(state.selectedId) : null),
    isRegionView: () => view.isRegionView(),
    onChange: (fn) => history.onChange(fn),
  };
}

/** Back and Forward: the URL holds the whole view, so it is applied again. */
async function restore(app) {
  const { state, range, outlets, view, timeline, filters, search, display, places, selection, source, history } = app;
  const { state: s } = readState();
  state.day = s.date ? Math.min(range.max, Math.max(range.min, dayOf(s.date))) : state.day;
  state.mode = s.mode || 'day';
  state.window = s.window || DEFAULT_WINDOW;
  state.filters = filtersOf(s, outlets, []);
  state.query = s.query || '';
  state.place = s.place || null;
  state.cluster = false;
  const labels = s.labels || language();
  if (labels !== state.labels) {
    state.labels = labels;
    view.setLabels(labels);
  }
  history.typing = false;
  timeline.setDay(state.day, { silent: true });
  timeline.setMode(state.mode, state.window);
  filters.set(state.filters);
  search.set(state.query);
  if (s.center) view.map.setView(s.center, s.zoom ?? view.map.getZoom(), { animate: false });
  display.render();
  display.renderChart();
  if (state.place) places.choose(state.place, { from: 'history' });
  else if (search.active) search.run();
  const id = s.incident && await source.ensure(s.incident) ? s.incident : null;
  if (id !== state.selectedId) selection.select(id, { source: 'history' });
}

async function start() {
  const embed = document.body.dataset.page === 'embed';
  const { state: initial, problems } = readState();
  await setLanguage(initial.lang || browserLanguage());
  translateDocument();
  // Everything the parts share; each part takes what it needs from it.
  const app = {
    embed,
    initial,
    // The embed is a small window whatever the screen: list and card live in a sheet.
    compact: () => embed || phoneQuery.matches,
    listing: () => app.search.active || Boolean(app.state.place) || Boolean(app.state.cluster),
    state: {
      labels: initial.labels || language(),
      mode: initial.mode || 'day',
      window: initial.window || DEFAULT_WINDOW,
      selectedId: initial.incident || null,
      place: initial.place || null,
      query: initial.query || '',
    },
  };
  const { state } = app;
  app.view = new MapView('map', {
    center: initial.center,
    zoom: initial.zoom,
    phone: phoneQuery.matches || (embed && window.innerWidth < 500),
    legendOpen: !embed && !(phoneQuery.matches || window.innerHeight < 600 || window.innerWidth < 1200),
    attribution: !embed, // the embed credits the sources and map data in its own footer
    labels: state.labels,
    onLabels: (labels) => { state.labels = labels; app.history.commit('push'); },
    onSelect: (id, opts) => app.selection.select(id, opts),
    onCluster: (items) => app.places.cluster(items),
  });
  app.map = app.view.map;
  app.history = new ViewHistory(app);

  let loaded;
  try {
    loaded = await loadMapData();
  } catch (err) {
    setStatus(`${t('The map data could not be loaded.')} ${err.message}`, { error: true });
    throw err;
  }
  const { source } = loaded;
  app.source = source;
  app.places = new PlaceList(app);
  app.places.list = loaded.layers.places.features || [];
  app.view.draw(loaded);
  app.view.base.osm.once('tileerror', () => {
    // No internet: say so once and keep the offline map.
    showProblems([t('The online map tiles could not be loaded (no internet?); the offline map is shown.')]);
    app.view.base.osm.remove();
  });
  app.outlets = await source.outlets();
  if (state.selectedId) await source.ensure(state.selectedId);
  state.filters = filtersOf(initial, app.outlets, problems);

  // The time range, and the day: the link's, its incident's, or the order's.
  const ext = source.extent();
  app.range = ext ? { min: monthStart(ext.min), max: monthEnd(ext.max) } : DEFAULT_RANGE;
  let day = initial.date ? dayOf(initial.date) : NaN;
  if (Number.isNaN(day) && state.selectedId && source.get(state.selectedId)) day = source.get(state.selectedId).from;
  if (Number.isNaN(day)) day = DEFAULT_DAY;
  state.day = Math.min(app.range.max, Math.max(app.range.min, day));

  app.panel = new Panel({
    root: $('#panel'),
    onSelect: (id, opts) => app.selection.select(id, opts),
    onClose: () => app.selection.select(null, { source: 'close' }),
    onShowOnMap: (id) => app.selection.showOnMap(id),
    onPlace: (id) => app.places.choose(id),
  });
  app.selection = new Selection(app);
  app.display = new Display(app);
  app.timeline = new Timeline({
    root: $('#timeline'),
    minDay: app.range.min,
    maxDay: app.range.max,
    day: state.day,
    mode: state.mode,
    window: state.window,
    onChange: (d) => {
      state.day = d;
      performance.mark('borderline-step-start');
      app.display.render();
      app.history.soon();
    },
    onMode: (mode, win) => {
      state.mode = mode;
      state.window = win;
      app.display.render();
      app.history.commit('push');
    },
  });
  app.filters = new Filters({
    outlets: app.outlets,
    state: state.filters,
    onChange: (f) => {
      state.filters = f;
      app.display.render();
      app.display.renderChart();
      if (app.search.active) app.search.run();
      else if (state.place) app.places.show();
      app.history.commit('push');
    },
  });
  app.search = new Search({
    places: app.places.list,
    onInput: (text) => {
      state.query = text;
      state.place = null;
      state.cluster = false;
      app.history.commit('typing');
    },
    onClear: () => {
      delete document.body.dataset.search;
      app.display.render();
    },
    onResults: (text, { features = [], matched, places: found, error }) => {
      const items = source.adopt(features);
      const shown = items.filter((it) => passes(it, state.filters));
      app.places.remember(found);
      app.panel.renderSearch(text, shown, { matched, hidden: items.length - shown.length, places: found, error });
      state.shown = shown.length;
      state.listed = shown;
      app.display.announce(t('{n} incidents and {p} places match “{text}”.', { n: matched, p: found.length, text }));
      document.body.dataset.search = text;
      app.history.changed();
    },
  });
  app.search.set(state.query);
  app.map.on('moveend', () => app.history.soon());

  const current = onScreen(app);
  if (STATIC) describeStaticData();
  setupAbout();
  setupLanguageLink(app.history);
  // The embed has no share dialog: its code is loaded only on the full map.
  if (embed) setupEmbedFrame({ current, panel: app.panel });
  else (await import('./share.js')).setupShare({ current });
  // On paper: what is listed, under the map as it is on screen.
  const printHead = $('#print-head');
  printableMap(app.view, {
    onBefore: () => {
      if (!printHead) return;
      renderReport(printHead, $('#print-report'), {
        day: state.day, categories: current.categories(), query: current.query(), permalink: pageURL('map', app.history.search()),
      }, state.listed || []);
    },
  });
  window.addEventListener('popstate', () => restore(app));

  await app.display.render();
  await app.display.renderChart();
  if (state.place) app.places.choose(state.place, { from: 'history' });
  else if (app.search.active) await app.search.run();
  if (state.selectedId) {
    if (source.get(state.selectedId)) app.selection.select(state.selectedId, { source: 'url' });
    else state.selectedId = null;
  }
  showProblems(problems);
  setStatus('');
  document.body.classList.add('is-ready');
  // Let tests and embedders know the first render is complete.
  document.body.dataset.ready = 'true';
  requestAnimationFrame(() => app.view.declutter());
}

start().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
});
