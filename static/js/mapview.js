// The map every page shows — the full map, the embed and the presentation:
// the offline base map, the zones, the places, the incident markers and the
// outline of a selected incident's areas, fitted to the border region. Pages
// decide what happens on a selection; this module only draws.

import L from './leaflet.js';
import { fetchItems } from './api.js';
import { IncidentSource, isInForce } from './incidents.js';
import { createBaseMap, ATTRIBUTION } from './basemap.js';
import { ZoneLayer } from './zones.js';
import { PlaceLayer, POINT_KINDS } from './places.js';
import { AreaHighlight } from './areas.js';
import { IncidentLayer } from './markers.js';
import { createLegend } from './legend.js';
import { el } from './dom.js';
import { t } from './i18n.js';

// The open legend's width (app.css .legend); the first view leaves room for it.
const LEGEND_WIDTH = 300;
const CONTROLS_WIDTH = 56; // Leaflet's zoom and layer buttons with their margin
const LAYERS = ['countries', 'provinces', 'rivers', 'border', 'zones', 'places'];
// Shapes are first loaded simplified to 500 m, half a pixel at zoom 7 and
// invisible below (the zones are a ninth of their full size: the embed's
// first view stays under 250 kB); from FINE_ZOOM on, where 500 m is a pixel
// or more, the full shapes replace them.
const COARSE = '500';
const FINE_ZOOM = 7.75;
const SHAPES = ['countries', 'provinces', 'rivers', 'border', 'zones'];

/** Loads the base layers (simplified) and every incident. */
export async function loadMapData() {
  // Areas among the places (provinces, countries, the border) come with their
  // shapes, which the base layers already draw: ask only for what gets a dot.
  const params = { places: { kind: [...POINT_KINDS].join(',') } };
  for (const n of SHAPES) params[n] = { simplify: COARSE };
  const [layers, source] = await Promise.all([
    Promise.all(LAYERS.map((n) => fetchItems(n, params[n]))),
    IncidentSource.load(),
  ]);
  return { layers: Object.fromEntries(LAYERS.map((n, i) => [n, layers[i]])), source };
}

export class MapView {
  /**
   * `element`: the map's container. Options: `center`/`zoom` (a saved view),
   * `phone` (small screen), `legendOpen`, `attribution` (false when the page
   * credits the sources itself), `layersControl`, `scale`, `keyboard` (arrow keys
   * pan the map), `onSelect(id, {source})`.
   */
  constructor(element, options = {}) {
    this.options = options;
    const map = L.map(element, {
      zoomSnap: 0.25,
      zoomDelta: 0.5,
      wheelPxPerZoomLevel: 90,
      minZoom: 4.5,
      maxZoom: 16,
      maxBounds: [[30, 110], [50, 145]],
      maxBoundsViscosity: 0.8,
      attributionControl: false,
      zoomControl: false,
      // The presentation takes the arrow keys for its steps.
      keyboard: options.keyboard !== false,
    });
    this.map = map;
    L.control.zoom({ position: 'topright' }).addTo(map);
    if (options.attribution !== false) {
      L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' })
        .addAttribution(ATTRIBUTION).addTo(map);
    }
    if (options.scale !== false && !options.phone) L.control.scale({ imperial: false, position: 'bottomright' }).addTo(map);
    // Provisional view so the map is usable while the data loads.
    map.setView(options.center || [41.0, 127.4], options.zoom ?? 6);
  }

  /** Draws the loaded layers (from loadMapData). */
  draw({ layers }) {
    const { map, options } = this;
    this.layers = layers;
    this.base = createBaseMap(map, layers);
    this.zones = new ZoneLayer(map, { zones: layers.zones, countries: layers.countries, landBorder: this.base.landBorder });
    this.places = new PlaceLayer(map, layers.places).addTo(map);
    this.areas = new AreaHighlight(map, { border: this.base.landBorder });
    this.incidents = new IncidentLayer(map, {
      onSelect: (id, opts) => options.onSelect && options.onSelect(id, opts),
      onCluster: (items, latlng) => options.onCluster && options.onCluster(items, latlng),
    });
    this.legend = createLegend(map, { collapsed: !options.legendOpen, position: 'topleft' });
    // Labels make way for the open legend and come back when it closes.
    map.getContainer().querySelector('.legend-toggle')
      .addEventListener('click', () => requestAnimationFrame(() => this.places.declutter()));
    this.labels = options.labels || 'en';
    if (this.labels !== 'en') this.places.setLabels(this.labels);
    if (options.labelSwitch !== false) this.addLabelSwitch();
    if (options.layersControl !== false) {
      L.control.layers(null, {
        [t('Places')]: this.places.group,
        [t('Incidents')]: this.incidents.group,
        [t('Provinces')]: this.base.provinces,
        [t('Rivers')]: this.base.rivers,
        [t('OpenStreetMap tiles (online)')]: this.base.osm,
      }, { position: 'topright', collapsed: true }).addTo(map);
    }
    this.fine = null;
    const refine = () => { if (map.getZoom() >= FINE_ZOOM) this.loadFineShapes(); };
    map.on('zoomend', refine);
    if (!options.center) {
      this.fitRegion();
      // A frame that changes size (an embed in a responsive page) keeps the
      // whole region in view until the reader moves the map themselves.
      let moved = false;
      const container = map.getContainer();
      for (const type of ['pointerdown', 'wheel', 'keydown']) container.addEventListener(type, () => { moved = true; }, { passive: true });
      map.on('resize', () => { if (!moved) this.fitRegion(); });
    }
    refine();
    return this;
  }

  /** Replaces the simplified shapes with the full ones, once. */
  loadFineShapes() {
    if (!this.fine) {
      this.fine = Promise.all(SHAPES.map((n) => fetchItems(n))).then((fcs) => {
        const fc = Object.fromEntries(SHAPES.map((n, i) => [n, fcs[i]]));
        for (const n of ['countries', 'provinces', 'rivers', 'border']) this.base.replace(n, fc[n]);
        this.zones.replace({ zones: fc.zones, countries: fc.countries, landBorder: this.base.landBorder });
        document.body.dataset.shapes = 'full';
      }).catch(() => { this.fine = null; }); // kept simplified; the next zoom tries again
    }
    return this.fine;
  }

  /**
   * A button that switches the place labels between English and the local
   * names (Korean in Korea, Chinese in China); onLabels(labels) is told.
   */
  addLabelSwitch() {
    const view = this;
    const Switch = L.Control.extend({
      options: { position: 'topright' },
      onAdd() {
        const btn = el('button', {
          type: 'button', class: 'label-switch', 'aria-pressed': view.labels === 'ko' ? 'true' : 'false',
          title: t('Place names in Korean and Chinese'),
        }, el('span', { class: 'visually-hidden' }, t('Place names in Korean and Chinese')),
        el('span', { 'aria-hidden': 'true', lang: 'ko' }, '한'), el('span', { 'aria-hidden': 'true', lang: 'zh' }, '中'));
        view.labelButton = btn;
        btn.addEventListener('click', () => {
          view.setLabels(view.labels === 'ko' ? 'en' : 'ko');
          if (view.options.onLabels) view.options.onLabels(view.labels);
        });
        const box = el('div', { class: 'leaflet-control leaflet-bar label-switch-box' }, btn);
        L.DomEvent.disableClickPropagation(box);
        return box;
      },
    });
    new Switch().addTo(this.map);
  }

  /** Labels the places in English ('en') or their local names ('ko'). */
  setLabels(labels) {
    this.labels = labels;
    if (this.labelButton) this.labelButton.setAttribute('aria-pressed', labels === 'ko' ? 'true' : 'false');
    this.places.setLabels(labels);
  }

  /** The border and the towns within 200 km of it (Pyongyang is 160 km away). */
  regionBounds() {
    const view = L.latLngBounds(this.base.borderBounds.getSouthWest(), this.base.borderBounds.getNorthEast());
    for (const f of this.layers.places.features || []) {
      const p = f.properties || {};
      if (f.geometry && f.geometry.type === 'Point' && p.kind === 'city'
        && typeof p.border_distance_km === 'number' && p.border_distance_km < 200) {
        view.extend(L.latLng(f.geometry.coordinates[1], f.geometry.coordinates[0]));
      }
    }
    return view;
  }

  /** Fits the border region, clear of the open legend and the map buttons. */
  fitRegion({ animate = false } = {}) {
    const { phone, legendOpen } = this.options;
    const pad = phone ? [24, 36] : [30, 30];
    this.map.fitBounds(this.regionBounds(), {
      animate,
      paddingTopLeft: legendOpen ? [LEGEND_WIDTH + 20, pad[1]] : pad,
      paddingBottomRight: phone ? pad : [CONTROLS_WIDTH + 10, pad[1]],
    });
  }

  /**
   * Whether the map still shows about the border region as first fitted
   * (the reader has not zoomed in or panned away): then an embed of this view
   * is better off fitting the region to its own frame.
   */
  isRegionView() {
    const bounds = this.regionBounds();
    const zoom = this.map.getBoundsZoom(bounds, false, L.point(60, 60));
    const size = this.map.getSize();
    const off = this.map.latLngToContainerPoint(bounds.getCenter()).distanceTo(size.divideBy(2));
    return Math.abs(this.map.getZoom() - zoom) <= 0.75 && off < 0.2 * Math.max(size.x, size.y);
  }

  /**
   * Shows these incidents (IncidentSource items), those not in force on
   * `day` faded, and the zones in force on `day`; returns the zones.
   */
  show(items, day) {
    this.incidents.setIncidents(items, { faded: (it) => !isInForce(it, day) });
    return this.zones.setDay(day);
  }

  /** Marks the selected incident and outlines its areas; resolves to how many. */
  select(item) {
    this.incidents.select(item ? item.id : null);
    return this.areas.show(item);
  }

  latLngsFor(item) { return this.incidents.latLngsFor(item); }

  /** Brings an incident into view unless it already is (inset by a tenth). */
  reveal(item, { animate = false } = {}) {
    if (!item || item.offMap) return;
    const pts = this.incidents.latLngsFor(item);
    // Measured afresh, as the layout may have settled since load.
    this.map.invalidateSize({ pan: false });
    const view = this.map.getBounds().pad(-0.1);
    if (pts.length && !pts.some((p) => view.contains(p))) {
      this.map.panTo(pts.length === 1 ? pts[0] : L.latLngBounds(pts).getCenter(), { animate });
    }
  }

  /** Zooms to an incident's markers. */
  zoomTo(item) {
    const pts = this.incidents.latLngsFor(item);
    if (!pts.length) return;
    if (pts.length === 1) this.map.setView(pts[0], Math.max(this.map.getZoom(), 8));
    else this.map.fitBounds(L.latLngBounds(pts).pad(0.3), { maxZoom: 9 });
  }

  declutter() { this.places.declutter(); }

  /** Opens a place's details (a place chosen in the search). */
  highlightPlace(id) {
    // After the map has flown there (or at once if it had nowhere to go).
    let done = false;
    const open = () => { if (!done) { done = true; this.places.open(id); } };
    this.map.once('moveend', open);
    setTimeout(open, 1500);
  }
}
