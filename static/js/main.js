// Borderline front end: wires the modules together.
//   leaflet.js    Leaflet (the minified build index.html loads) as a module
//   api.js        HTTP contract (OGC API – Features)
//   incidents.js  which incidents are in force on a day; counts per month
//   basemap.js    offline base map (countries, provinces, rivers, border), OSM option
//   zones.js      hatched forbidden zones and the border band
//   places.js     labelled place markers
//   areas.js      outline of the provinces or countries a selected incident covers
//   markers.js    incident symbols (category, certainty) and the ring for shared points
//   timeline.js   chart, slider, play/pause
//   panel.js      list and card (side panel / bottom sheet)
//   legend.js     map legend
//   state.js      view state in the URL
//   dom.js, dates.js, categories.js: helpers and code lists

import L from './leaflet.js';
import { fetchItems } from './api.js';
import { IncidentSource } from './incidents.js';
import { createBaseMap, ATTRIBUTION } from './basemap.js';
import { ZoneLayer } from './zones.js';
import { PlaceLayer, POINT_KINDS } from './places.js';
import { AreaHighlight } from './areas.js';
import { IncidentLayer } from './markers.js';
import { Timeline } from './timeline.js';
import { Panel } from './panel.js';
import { createLegend } from './legend.js';
import { readState, writeState, MAX_QUERY } from './state.js';
import { el, debounce } from './dom.js';
import { CATEGORIES, CATEGORY_IDS } from './categories.js';
import { dayOf, isoOf, longDate, monthStart, monthEnd } from './dates.js';

const DEFAULT_RANGE = { min: dayOf('2020-01-01'), max: dayOf('2021-04-30') };
const DEFAULT_DAY = dayOf('2020-08-26');
// Shorter searches match nearly everything; the first page of results is enough
// to choose from (the count says how many there are).
const MIN_QUERY = 2;
const SEARCH_LIMIT = 100;
// The open legend's width (app.css .legend); the first view leaves room for it.
const LEGEND_WIDTH = 300;
const CONTROLS_WIDTH = 56; // Leaflet's zoom and layer buttons with their margin
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
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    $('#filters').classList.toggle('is-open', open);
  });
  document.addEventListener('click', (e) => {
    if ($('#filters').classList.contains('is-open') && !$('#filters').contains(e.target)) {
      toggle.setAttribute('aria-expanded', 'false');
      $('#filters').classList.remove('is-open');
    }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && $('#filters').classList.contains('is-open')) {
      toggle.setAttribute('aria-expanded', 'false');
      $('#filters').classList.remove('is-open');
      toggle.focus();
    }
  });
  count();
}

function setupShare() {
  const btn = $('#share-btn');
  const status = $('#share-status');
  let timer = 0;
  const say = (text) => {
    status.textContent = text;
    status.classList.add('is-visible');
    clearTimeout(timer);
    timer = setTimeout(() => { status.classList.remove('is-visible'); status.textContent = ''; }, 4000);
  };
  btn.addEventListener('click', async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      say('Link to this view copied');
    } catch {
      // No clipboard access (e.g. an insecure context): show the link to copy by hand.
      const input = el('input', { type: 'text', readonly: true, value: url, class: 'share-input', 'aria-label': 'Link to this view' });
      status.textContent = '';
      status.append('Copy this link: ', input);
      status.classList.add('is-visible');
      input.select();
      clearTimeout(timer);
      timer = setTimeout(() => { status.classList.remove('is-visible'); status.textContent = ''; }, 12000);
    }
  });
}

async function loadAll() {
  const names = ['countries', 'provinces', 'rivers', 'border', 'zones', 'places'];
  // Areas among the places (provinces, countries, the border) come with their
  // shapes, which the base layers already draw: ask only for what gets a dot.
  const params = { places: { kind: [...POINT_KINDS].join(',') } };
  const [layers, source] = await Promise.all([
    Promise.all(names.map((n) => fetchItems(n, params[n]))),
    IncidentSource.load(),
  ]);
  const data = Object.fromEntries(names.map((n, i) => [n, layers[i]]));
  return { data, source };
}

async function start() {
  const initial = readState();
  const state = {
    categories: new Set(initial.categories || CATEGORY_IDS),
    selectedId: initial.incident || null,
    query: initial.query || '',
  };

  const map = L.map('map', {
    zoomSnap: 0.25,
    zoomDelta: 0.5,
    wheelPxPerZoomLevel: 90,
    minZoom: 4.5,
    maxZoom: 16,
    maxBounds: [[30, 110], [50, 145]],
    maxBoundsViscosity: 0.8,
    attributionControl: false,
    zoomControl: false,
  });
  L.control.zoom({ position: 'topright' }).addTo(map);
  L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' })
    .addAttribution(ATTRIBUTION).addTo(map);
  if (!phoneQuery.matches) L.control.scale({ imperial: false, position: 'bottomright' }).addTo(map);
  // Provisional view so the map is usable while the data loads.
  map.setView(initial.center || [41.0, 127.4], initial.zoom ?? 6);

  setupShare();

  let loaded;
  try {
    loaded = await loadAll();
  } catch (err) {
    setStatus(`The map data could not be loaded. ${err.message}`, { error: true });
    throw err;
  }
  const { data, source } = loaded;

  const legendOpen = !(phoneQuery.matches || window.innerHeight < 600 || window.innerWidth < 1200);
  const base = createBaseMap(map, data);
  const zones = new ZoneLayer(map, { zones: data.zones, countries: data.countries, landBorder: base.landBorder });
  const places = new PlaceLayer(map, data.places).addTo(map);
  const areas = new AreaHighlight(map, { border: base.landBorder });

  if (!initial.center) {
    // The border and the towns within 200 km of it (Pyongyang is 160 km away).
    const view = L.latLngBounds(base.borderBounds.getSouthWest(), base.borderBounds.getNorthEast());
    for (const f of data.places.features || []) {
      const p = f.properties || {};
      if (f.geometry && f.geometry.type === 'Point' && p.kind === 'city'
        && typeof p.border_distance_km === 'number' && p.border_distance_km < 200) {
        view.extend(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]));
      }
    }
    // The open legend (top left) and the zoom and layer buttons (top right)
    // cover the map: keep the first view clear of them.
    const pad = phoneQuery.matches ? [24, 36] : [30, 30];
    map.fitBounds(view, {
      animate: false,
      paddingTopLeft: legendOpen ? [LEGEND_WIDTH + 20, pad[1]] : pad,
      paddingBottomRight: phoneQuery.matches ? pad : [CONTROLS_WIDTH + 10, pad[1]],
    });
  }

  // --- time range --------------------------------------------------------
  const ext = source.extent();
  const range = ext ? { min: monthStart(ext.min), max: monthEnd(ext.max) } : DEFAULT_RANGE;
  let day = initial.date ? dayOf(initial.date) : NaN;
  if (Number.isNaN(day) && state.selectedId && source.get(state.selectedId)) day = source.get(state.selectedId).from;
  if (Number.isNaN(day)) day = DEFAULT_DAY;
  day = Math.min(range.max, Math.max(range.min, day));

  // --- URL state -----------------------------------------------------------
  const saveState = debounce(() => {
    const c = map.getCenter();
    writeState({
      date: isoOf(state.day),
      incident: state.selectedId || undefined,
      center: [c.lat, c.lng],
      zoom: map.getZoom(),
      categories: CATEGORY_IDS.filter((id) => state.categories.has(id)),
      query: state.query || undefined,
    });
  }, 250);

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
  const incidents = new IncidentLayer(map, { onSelect: (id, opts) => select(id, opts) });

  function showOnMap(id) {
    const item = source.get(id);
    const pts = incidents.latLngsFor(item);
    if (!pts.length) return;
    if (phoneQuery.matches) panel.setSheetOpen(false);
    if (pts.length === 1) map.setView(pts[0], Math.max(map.getZoom(), 8));
    else map.fitBounds(L.latLngBounds(pts).pad(0.3), { maxZoom: 9 });
    const first = incidents.markerElements(id)[0];
    if (first && !phoneQuery.matches) first.focus({ preventScroll: true });
  }

  let cardInForce = null;
  function select(id, { source: from = 'code' } = {}) {
    const item = id ? source.get(id) : null;
    if (item && from === 'list' && searching() && !(item.from <= state.day && state.day <= item.to)) {
      timeline.setDay(item.from); // a search result from another date: go there
    }
    state.selectedId = item ? item.id : null;
    incidents.select(state.selectedId);
    areas.show(item).then((n) => { document.body.dataset.areas = String(n); });
    if (item) {
      cardInForce = item.from <= state.day && state.day <= item.to;
      panel.showCard(item, state.day, { focus: from === 'list' || from === 'map' });
      if (phoneQuery.matches && (from === 'map' || from === 'list')) panel.setSheetOpen(true);
      // A permalink without a map position still has to show what it points at.
      if ((from === 'list' || (from === 'url' && !initial.center)) && !item.offMap) {
        const pts = incidents.latLngsFor(item);
        // Inset, so a marker half under the timeline does not count as shown;
        // and measured afresh, as the layout may have settled since load.
        map.invalidateSize({ pan: false });
        const view = map.getBounds().pad(-0.1);
        if (pts.length && !pts.some((p) => view.contains(p))) {
          // A permalink lands at once; a click in the list glides.
          map.panTo(pts.length === 1 ? pts[0] : L.latLngBounds(pts).getCenter(), { animate: from === 'list' });
        }
      }
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
    incidents.setIncidents(shown);
    if (!searching()) panel.renderList(shown, state.day, { total: all.length, hiddenByFilter: all.length - shown.length });
    const activeZones = zones.setDay(state.day);
    const n = shown.length;
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

  // --- map controls ----------------------------------------------------------
  createLegend(map, {
    collapsed: !legendOpen,
    position: 'topleft',
  });
  // Labels make way for the open legend and come back when it closes.
  $('.legend-toggle').addEventListener('click', () => requestAnimationFrame(() => places.declutter()));
  L.control.layers(null, {
    'Places': places.group,
    'Incidents': incidents.group,
    'Provinces': base.provinces,
    'Rivers': base.rivers,
    'OpenStreetMap tiles (online)': base.osm,
  }, { position: 'topright', collapsed: true }).addTo(map);

  map.on('moveend', saveState);

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
  requestAnimationFrame(() => places.declutter());
}

start().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
});
