// Places: small labelled markers (English name on the map, Korean and Chinese
// names in the popup) with the distance to the border and the side.

import L from './leaflet.js';
import { el } from './dom.js';
import { t, englishData } from './i18n.js';
import { COUNTRY_NAMES, PLACE_KINDS, LOCATION_PRECISION } from './categories.js';

function sideText(side) {
  if (side === 'KP') return t('North Korean side');
  if (side === 'CN') return t('Chinese side');
  return '';
}

/** "0.6 km from the border, North Korean side", or null. */
export function distanceText(p) {
  const km = p.border_distance_km;
  if (typeof km !== 'number' || !Number.isFinite(km)) return null;
  const rounded = km < 10 ? km.toLocaleString('en-GB', { maximumFractionDigits: 1 }) : Math.round(km).toLocaleString('en-GB');
  const side = sideText(p.border_side);
  return side ? t('{km} km from the border, {side}', { km: rounded, side }) : t('{km} km from the border', { km: rounded });
}

/**
 * A place's label in a label language: 'en' (English), or 'ko' for the
 * local names — Korean in Korea, Chinese in China — tagged with theirs.
 */
export function labelNode(p, labels) {
  if (labels === 'ko') {
    if (p.country === 'CN' && p.name_zh) return el('span', { lang: 'zh' }, p.name_zh);
    if (p.name_ko) return el('span', { lang: 'ko' }, p.name_ko);
  }
  return el('span', { lang: 'en' }, p.name_en || '');
}

/** The language of a name by its script: Hangul is Korean, Han characters Chinese. */
export function scriptLang(name) {
  if (/\p{Script=Hangul}/u.test(name)) return 'ko';
  if (/\p{Script=Han}/u.test(name)) return 'zh';
  return 'en';
}

/** A place's Korean and Chinese names, each tagged with its language. */
export function placeNames(p) {
  const parts = [[p.name_ko, 'ko'], [p.name_zh, 'zh']].filter(([n]) => n);
  if (!parts.length) return null;
  return el('span', { class: 'place-native' }, ' ', parts.flatMap(([n, lang], i) => [i ? ' · ' : null, el('span', { lang }, n)]));
}

export function placePopup(p) {
  const region = [p.admin1, t(COUNTRY_NAMES[p.country] || p.country)].filter(Boolean).join(', ');
  const alt = Array.isArray(p.alt_names) ? p.alt_names.filter(Boolean) : [];
  return el('div', { class: 'place-popup' },
    el('h3', null, p.name_en || t('Unnamed place'), placeNames(p)),
    el('p', { class: 'place-kind' }, [t(PLACE_KINDS[p.kind] || p.kind), region].filter(Boolean).join(' — ')),
    distanceText(p) ? el('p', { class: 'place-distance' }, distanceText(p)) : null,
    alt.length ? el('p', { class: 'place-alt' }, `${t('Also spelled')}: `, alt.flatMap((n, i) => [i ? ', ' : null, el('span', { lang: scriptLang(n) }, n)])) : null,
    p.location_precision ? el('p', { class: 'place-precision' }, `${t('Location')}: ${t(LOCATION_PRECISION[p.location_precision] || p.location_precision)}`) : null,
    p.notes ? el('p', { class: 'place-notes', lang: englishData() }, p.notes) : null,
    p.coord_source ? el('p', { class: 'place-source' }, `${t('Coordinates')}: `, el('span', { lang: englishData() }, p.coord_source)) : null);
}

function pointOf(feature) {
  const g = feature.geometry;
  if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates)) return null;
  const [lng, lat] = g.coordinates;
  return Number.isFinite(lat) && Number.isFinite(lng) ? L.latLng(lat, lng) : null;
}

/** Border towns first, then by distance from the border: who keeps a label when labels collide. */
function priority(p) {
  const d = typeof p.border_distance_km === 'number' ? p.border_distance_km : 1e6;
  const kindRank = { city: 0, county: 0, facility: 1, foreign_site: 2 }[p.kind] ?? 1;
  return kindRank * 1e7 + d;
}

// Dots closer than this (pixels) are moved apart.
const MIN_DOT_GAP = 10;
const NEAR_BORDER_KM = 25;
const SIDES = { right: [5, 0], left: [-5, 0], top: [0, -4], bottom: [0, 4] };

/**
 * Where a place's label may go, in order. China lies north of North Korea
 * all along the border, so a town near it is labelled away from the other
 * country: a North Korean town below its dot, a Chinese one above, so that
 * Sinuiju's label stays on the Korean side of the river and Dandong's on
 * the Chinese side.
 */
export function labelDirections(p) {
  const near = typeof p.border_distance_km === 'number' && p.border_distance_km < NEAR_BORDER_KM;
  let order = ['right', 'left'];
  if (near && p.border_side === 'KP') order = ['bottom', 'right', 'left'];
  if (near && p.border_side === 'CN') order = ['top', 'right', 'left'];
  return order.map((d) => [d, SIDES[d]]);
}

/** Kinds drawn as a point marker; areas (provinces, countries, the border, seas) are not. */
export const POINT_KINDS = new Set(['city', 'county', 'facility', 'foreign_site']);

export class PlaceLayer {
  constructor(map, places) {
    this.map = map;
    this.group = L.layerGroup();
    this.entries = [];
    const renderer = L.svg({ pane: 'places' });
    for (const f of places.features || []) {
      const p = f.properties || {};
      const latlng = pointOf(f);
      if (!latlng || (p.kind && !POINT_KINDS.has(p.kind))) continue;
      const facility = p.kind === 'facility';
      const marker = L.circleMarker(latlng, {
        renderer, radius: facility ? 3.5 : 4, color: facility ? '#2e2a25' : '#ffffff', weight: 1.5,
        fillColor: facility ? '#ffffff' : '#2e2a25', fillOpacity: 1,
        className: `place-marker place-${p.kind || 'point'}`,
      });
      const title = `${p.name_en || ''}${p.name_ko ? ` (${p.name_ko})` : ''}`;
      marker.bindTooltip(labelNode(p, 'en'), {
        permanent: true, direction: 'right', offset: [5, 0], pane: 'placeLabels', className: 'place-label',
      });
      marker.bindPopup(() => placePopup(p), { maxWidth: 280 });
      marker.on('add', () => {
        const node = marker.getElement();
        if (node) {
          node.setAttribute('aria-label', title);
          const t = document.createElementNS('http://www.w3.org/2000/svg', 'title');
          t.textContent = title;
          node.appendChild(t);
        }
      });
      this.entries.push({ id: String(f.id ?? ''), marker, latlng, props: p, rank: priority(p), directions: labelDirections(p) });
    }
    this.entries.sort((a, b) => a.rank - b.rank);
    // A facility placed at its town's point (its site is not known) is named
    // in its popup, not by a second label that would claim a site.
    for (const [i, e] of this.entries.entries()) {
      const at = e.marker.getLatLng();
      e.unlabelled = this.entries.slice(0, i).some((o) => o.marker.getLatLng().equals(at));
    }
    // Drawn lowest priority first, so that a town's dot lies on top of a facility at the same point.
    for (const e of [...this.entries].reverse()) this.group.addLayer(e.marker);
    this.group.on('add', () => requestAnimationFrame(() => this.declutter()));
    map.on('zoomend moveend', () => this.declutter());
  }

  addTo(map) { this.group.addTo(map); return this; }

  /** Labels the places in English ('en') or in their local names ('ko'). */
  setLabels(labels) {
    for (const e of this.entries) e.marker.setTooltipContent(labelNode(e.props, labels));
    requestAnimationFrame(() => this.declutter());
  }

  /** Opens a place's popup (a place chosen in the search). */
  open(id) {
    const e = this.entries.find((x) => x.id === id);
    if (e) e.marker.openPopup();
  }

  /**
   * Towns a few kilometres apart on either side of the river (Sinuiju and
   * Dandong) share a pixel when zoomed out: each dot is moved apart from the
   * other along the line between them, so each can be clicked and keeps to
   * its own side. Dots at one point (a facility in its town) stay together.
   */
  separate() {
    for (const e of this.entries) e.marker.setLatLng(e.latlng);
    const pts = this.entries.map((e) => this.map.latLngToContainerPoint(e.latlng));
    const moved = pts.map((p) => p.clone());
    for (let i = 0; i < pts.length; i++) {
      for (let j = i + 1; j < pts.length; j++) {
        const d = pts[j].subtract(pts[i]);
        const len = Math.hypot(d.x, d.y);
        if (len === 0 || len >= MIN_DOT_GAP) continue;
        const push = d.multiplyBy((MIN_DOT_GAP - len) / 2 / len);
        moved[i] = moved[i].subtract(push);
        moved[j] = moved[j].add(push);
      }
    }
    this.entries.forEach((e, i) => {
      if (!moved[i].equals(pts[i])) e.marker.setLatLng(this.map.containerPointToLatLng(moved[i]));
    });
  }

  get count() { return this.entries.length; }

  /**
   * Puts each label right of its dot or, where that would cover another dot,
   * a label of a higher-priority place or a map control, left of it; hides it when both
   * sides are taken (or cut off by the map's edge), so no label can be read
   * as naming the wrong dot.
   */
  declutter() {
    if (!this.map.hasLayer(this.group)) return;
    this.separate();
    const pad = (r, x, y) => ({ l: r.left - x, r: r.right + x, t: r.top - y, b: r.bottom + y });
    const dots = this.entries.map((e) => {
      const node = e.marker.getElement();
      return node ? pad(node.getBoundingClientRect(), 0, 0) : null;
    });
    const frame = this.map.getContainer().getBoundingClientRect();
    const inside = (b) => b.l >= frame.left && b.r <= frame.right && b.t >= frame.top && b.b <= frame.bottom;
    // The legend and the map's buttons cover labels as surely as other labels do.
    const kept = [...this.map.getContainer().querySelectorAll('.leaflet-control')]
      .map((c) => pad(c.getBoundingClientRect(), 0, 0));
    const hits = (a, b) => a.l < b.r && a.r > b.l && a.t < b.b && a.b > b.t;
    this.entries.forEach((e, i) => {
      const tip = e.marker.getTooltip();
      const node = tip && tip.getElement();
      if (!node) return;
      node.classList.remove('is-hidden');
      const at = e.latlng;
      const others = dots.filter((d, j) => d && j !== i && !this.entries[j].latlng.equals(at));
      let box = null;
      if (!e.unlabelled) {
        for (const [direction, offset] of e.directions) {
          if (tip.options.direction !== direction) {
            tip.options.direction = direction;
            tip.options.offset = offset;
            tip.update();
          }
          const b = pad(node.getBoundingClientRect(), 2, 1);
          if (inside(b) && !kept.some((k) => hits(b, k)) && !others.some((d) => hits(b, d))) { box = b; break; }
        }
      }
      if (box) kept.push(box);
      else node.classList.add('is-hidden');
    });
  }
}
