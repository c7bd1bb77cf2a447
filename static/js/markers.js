// Incident markers. Category = colour + letter; uncertainty = shape and
// opacity: exact → solid circle; near → larger circle with a dashed outline;
// broad → large translucent circle; inferred date → fainter fill and a dashed
// outline; a date known only to the week or month → one ring around the
// symbol, only to the season or year → two rings. Incidents at the same point are spread on a small ring (fixed in
// screen pixels) with a spoke to the true location, so each stays clickable.

import L from './leaflet.js';
import { svg, el } from './dom.js';
import { category, verification } from './categories.js';
import { incidentDateWords } from './dates.js';
import { t, localized } from './i18n.js';

export function markerStyle(props) {
  const precision = props.location_precision || 'exact';
  const inferred = Boolean(props.date_inferred);
  const s = { r: 10, fillOpacity: 0.95, strokeWidth: 1.6, dash: null, letterSize: 12 };
  if (precision === 'near') Object.assign(s, { r: 13, fillOpacity: 0.8, dash: '4 2.5', strokeWidth: 1.8, letterSize: 13 });
  if (precision === 'broad') Object.assign(s, { r: 18, fillOpacity: 0.38, strokeWidth: 1.4, dash: null, letterSize: 15 });
  if (inferred) {
    s.fillOpacity *= 0.55;
    s.dash = '2 2';
  }
  return s;
}

/** How many rings say how loosely the date is known: 0 (day), 1 (week, month), 2 (season, year). */
export function precisionRings(props) {
  const p = props.date_precision || 'day';
  if (p === 'week' || p === 'month') return 1;
  if (p === 'season' || p === 'year') return 2;
  return 0;
}

/** An SVG symbol for an incident; `offset` is where the true point lies relative to the symbol. */
export function incidentSymbol(props, { selected = false, offset = [0, 0], size } = {}) {
  const cat = category(props.category);
  const st = markerStyle(props);
  const rings = precisionRings(props);
  const box = size || (st.r * 2 + 8 + rings * 6);
  const c = box / 2;
  const lightFill = st.fillOpacity < 0.7;
  const ink = lightFill ? '#111111' : cat.ink;
  const ring = (i) => svg('circle', { class: 'precision-ring', cx: c, cy: c, r: st.r + 2.6 + i * 2.8 });
  return svg('svg', {
    class: ['incident-symbol', selected && 'is-selected'], width: box, height: box,
    viewBox: `0 0 ${box} ${box}`, 'aria-hidden': 'true', focusable: 'false',
  },
  offset[0] || offset[1]
    ? svg('line', { class: 'spoke', x1: c, y1: c, x2: c + offset[0], y2: c + offset[1] })
    : null,
  selected ? svg('circle', { class: 'halo', cx: c, cy: c, r: st.r + 3.5 + rings * 2.8 }) : null,
  rings > 0 ? ring(0) : null,
  rings > 1 ? ring(1) : null,
  svg('circle', {
    class: 'body', cx: c, cy: c, r: st.r,
    fill: cat.color, 'fill-opacity': st.fillOpacity.toFixed(2),
    stroke: selected ? '#000000' : cat.stroke, 'stroke-width': selected ? 2.6 : st.strokeWidth,
    'stroke-dasharray': st.dash || undefined,
  }),
  svg('text', {
    class: 'letter', x: c, y: c, 'text-anchor': 'middle', 'dominant-baseline': 'central',
    'font-size': st.letterSize, fill: ink,
  }, cat.letter));
}

function pointsOf(geometry) {
  if (!geometry) return [];
  if (geometry.type === 'Point') return [geometry.coordinates];
  if (geometry.type === 'MultiPoint') return geometry.coordinates;
  if (geometry.type === 'GeometryCollection') return (geometry.geometries || []).flatMap(pointsOf);
  return [];
}

export function latLngsOf(feature) {
  return pointsOf(feature.geometry)
    .filter((c) => Array.isArray(c) && Number.isFinite(c[0]) && Number.isFinite(c[1]))
    .map(([lng, lat]) => L.latLng(lat, lng));
}

function tooltipContent(it) {
  const cat = category(it.category);
  return el('span', { class: 'tip' },
    el('strong', { lang: localized(it.props, 'title').lang }, localized(it.props, 'title').text || it.id),
    el('span', { class: 'tip-meta' }, `${t(cat.label)} · ${incidentDateWords(it.props, { short: true, inferred: true })}`));
}

const canHover = window.matchMedia('(hover: hover)');
const coarse = window.matchMedia('(pointer: coarse)');
/** On touch screens every symbol gets a hit area of at least 44 px. */
const hitRadius = (r) => (coarse.matches ? Math.max(r, 20) : r);

const CAT_ORDER = ['border_security', 'quarantine', 'arrests', 'health', 'defection', 'policy', 'economy'];

/** Ring offsets (pixels) for n symbols of the given radii around one point. */
function ringOffsets(radii) {
  const n = radii.length;
  if (n === 1) return [[0, 0]];
  const gap = coarse.matches ? 4 : 5;
  const circumference = radii.reduce((s, r) => s + 2 * r + gap, 0);
  const R = Math.max(Math.max(...radii) + 6, circumference / (2 * Math.PI));
  return radii.map((_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [Math.round(R * Math.cos(a)), Math.round(R * Math.sin(a))];
  });
}

// More incidents than this at one point become one marker with their number,
// which lists them: a ring of fifty symbols helps nobody and costs a step of
// the slider its speed.
export const CLUSTER_AT = 9;

/** The cluster's symbol: a circle with the number, in the colour of its commonest category. */
function clusterIcon(members, selected) {
  const counts = new Map();
  for (const m of members) counts.set(m.it.category, (counts.get(m.it.category) || 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  const cat = category(top);
  const n = members.length;
  const r = Math.min(22, 12 + Math.log2(n) * 2);
  const box = 2 * r + 8;
  const node = svg('svg', { class: 'incident-cluster-symbol', width: box, height: box, viewBox: `0 0 ${box} ${box}`, 'aria-hidden': 'true', focusable: 'false' },
    selected ? svg('circle', { class: 'halo', cx: box / 2, cy: box / 2, r: r + 3.5 }) : null,
    svg('circle', { cx: box / 2, cy: box / 2, r, fill: cat.color, 'fill-opacity': 0.85, stroke: '#1d1a16', 'stroke-width': 2 }),
    svg('circle', { cx: box / 2, cy: box / 2, r: r - 4, fill: '#ffffff', 'fill-opacity': 0.92 }),
    svg('text', { class: 'letter', x: box / 2, y: box / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': n > 99 ? 11 : 13, fill: '#111' }, String(n)));
  return L.divIcon({ html: node, className: 'incident-marker incident-cluster', iconSize: [box, box], iconAnchor: [box / 2, box / 2] });
}

export class IncidentLayer {
  constructor(map, { onSelect, onCluster }) {
    this.map = map;
    this.onSelect = onSelect;
    this.onCluster = onCluster;
    this.group = L.layerGroup().addTo(map);
    this.markers = new Map(); // key → {marker, sig, id}
    this.selectedId = null;
    this.items = [];
    this.faded = () => false;
  }

  /**
   * Shows exactly these incidents (normalised items from IncidentSource);
   * `faded(item)` says which to draw faded (not in force on the day, in the
   * modes that show a period).
   */
  setIncidents(items, { faded = () => false } = {}) {
    this.items = items.filter((it) => !it.offMap);
    this.faded = faded;
    this.render();
  }

  select(id) {
    this.selectedId = id;
    this.render();
  }

  /** Lat/lngs of an incident's markers (for zooming to it). */
  latLngsFor(item) {
    return item ? latLngsOf(item.feature) : [];
  }

  markerElements(id) {
    return [...this.markers.values()].filter((m) => m.id === id || (m.ids && m.ids.includes(id)))
      .map((m) => m.marker.getElement()).filter(Boolean);
  }

  /** One marker for many incidents at a point: Enter or a click lists them. */
  createCluster(w) {
    const items = [...new Set(w.members.map((m) => m.it))];
    const label = t('{n} incidents here; open the list', { n: items.length });
    const marker = L.marker(w.latlng, { icon: clusterIcon(w.members, w.selected), title: label, keyboard: true, zIndexOffset: w.selected ? 900 : 0 });
    const open = () => this.onCluster && this.onCluster(items, w.latlng);
    marker.on('click', open);
    marker.on('keypress', (e) => {
      const k = e.originalEvent.key;
      if (k === 'Enter' || k === ' ') { e.originalEvent.preventDefault(); open(); }
    });
    marker.on('add', () => {
      const node = marker.getElement();
      if (node) { node.setAttribute('aria-label', label); node.dataset.clusterSize = String(items.length); }
    });
    marker.addTo(this.group);
    return marker;
  }

  render() {
    // Group symbols by their exact point.
    const groups = new Map();
    for (const it of this.items) {
      latLngsOf(it.feature).forEach((ll, idx) => {
        const k = `${ll.lat.toFixed(5)},${ll.lng.toFixed(5)}`;
        if (!groups.has(k)) groups.set(k, { latlng: ll, members: [] });
        groups.get(k).members.push({ it, idx });
      });
    }
    const wanted = new Map();
    for (const [k, g] of groups) {
      if (g.members.length >= CLUSTER_AT) {
        const selected = g.members.some((m) => m.it.id === this.selectedId);
        const ids = g.members.map((m) => m.it.id).sort().join(',');
        wanted.set(`cluster@${k}`, { cluster: true, members: g.members, latlng: g.latlng, selected, sig: `${selected},${ids}` });
        continue;
      }
      g.members.sort((a, b) => CAT_ORDER.indexOf(a.it.category) - CAT_ORDER.indexOf(b.it.category)
        || a.it.from - b.it.from || a.it.id.localeCompare(b.it.id));
      const radii = g.members.map((m) => hitRadius(markerStyle(m.it.props).r));
      const offsets = ringOffsets(radii);
      g.members.forEach((m, i) => {
        const key = `${m.it.id}#${m.idx}`;
        const selected = m.it.id === this.selectedId;
        const faded = !selected && this.faded(m.it);
        const [dx, dy] = offsets[i];
        const sig = `${dx},${dy},${selected},${faded},${g.latlng.lat},${g.latlng.lng}`;
        wanted.set(key, { it: m.it, latlng: g.latlng, dx, dy, selected, faded, sig, count: g.members.length });
      });
    }
    for (const [key, m] of this.markers) {
      if (!wanted.has(key)) {
        this.group.removeLayer(m.marker);
        this.markers.delete(key);
      }
    }
    for (const [key, w] of wanted) {
      const existing = this.markers.get(key);
      if (existing && existing.sig === w.sig) continue;
      if (w.cluster) {
        if (existing) this.group.removeLayer(existing.marker);
        this.markers.set(key, { marker: this.createCluster(w), sig: w.sig, id: null, ids: w.members.map((m) => m.it.id) });
        continue;
      }
      const icon = this.icon(w);
      if (existing) {
        existing.marker.setLatLng(w.latlng);
        existing.marker.setIcon(icon);
        existing.marker.setZIndexOffset(w.selected ? 1000 : 0);
        existing.sig = w.sig;
        this.decorate(existing.marker, w);
      } else {
        const marker = this.createMarker(w, icon);
        this.markers.set(key, { marker, sig: w.sig, id: w.it.id });
      }
    }
  }

  icon(w) {
    const st = markerStyle(w.it.props);
    const size = Math.max(st.r * 2 + 10 + precisionRings(w.it.props) * 6, coarse.matches ? 44 : 0);
    // The symbol sits at (dx, dy) from the true point; the spoke points back to it.
    const node = incidentSymbol(w.it.props, { selected: w.selected, offset: [-w.dx, -w.dy], size });
    return L.divIcon({
      html: node,
      className: `incident-marker cat-${w.it.category}${w.selected ? ' is-selected' : ''}${w.faded ? ' is-faded' : ''}`,
      iconSize: [size, size],
      iconAnchor: [size / 2 - w.dx, size / 2 - w.dy],
      tooltipAnchor: [w.dx, w.dy - st.r - 2],
    });
  }

  label(it) {
    const cat = category(it.category);
    const v = verification(it.props.verification, it.props.verification_label);
    return `${t(cat.label)}: ${localized(it.props, 'title').text || it.id} — ${incidentDateWords(it.props, { short: true, inferred: true })}${it.props.verification === 'single_source' ? ` — ${t(v.label)}` : ''}`;
  }

  decorate(marker, w) {
    const node = marker.getElement();
    if (!node) return;
    node.setAttribute('aria-label', this.label(w.it));
    node.setAttribute('aria-pressed', w.selected ? 'true' : 'false');
    node.dataset.incidentId = w.it.id;
  }

  createMarker(w, icon) {
    const marker = L.marker(w.latlng, {
      icon,
      title: this.label(w.it),
      keyboard: true,
      riseOnHover: true,
      zIndexOffset: w.selected ? 1000 : 0,
    });
    if (canHover.matches) {
      marker.bindTooltip(() => tooltipContent(w.it), { direction: 'top', className: 'incident-tooltip', opacity: 1 });
    }
    marker.on('click', () => this.onSelect(w.it.id, { source: 'map' }));
    marker.on('keypress', (e) => {
      const k = e.originalEvent.key;
      if (k === 'Enter' || k === ' ' || k === 'Spacebar') {
        e.originalEvent.preventDefault();
        this.onSelect(w.it.id, { source: 'map' });
      }
    });
    marker.on('add', () => this.decorate(marker, w));
    marker.addTo(this.group);
    return marker;
  }
}
