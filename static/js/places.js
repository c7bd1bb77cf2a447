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
  const [text, lang] = labelText(p, labels);
  return el('span', { lang }, text);
}

/** The text of labelNode and its language. */
function labelText(p, labels) {
  if (labels === 'ko') {
    if (p.country === 'CN' && p.name_zh) return [p.name_zh, 'zh'];
    if (p.name_ko) return [p.name_ko, 'ko'];
  }
  return [p.name_en || '', 'en'];
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
// Leaflet's stylesheet sets a tooltip 6 px further off its point on the
// side it is on (.leaflet-tooltip-right and the others).
const TIP_MARGIN = 6;

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
    this.labels = 'en';
    const renderer = L.svg({ pane: 'places' });
    for (const f of places.features || []) {
      const p = f.properties || {};
      const latlng = pointOf(f);
      if (!latlng || (p.kind && !POINT_KINDS.has(p.kind))) continue;
      const facility = p.kind === 'facility';
      const radius = facility ? 3.5 : 4;
      const marker = L.circleMarker(latlng, {
        renderer, radius, color: facility ? '#2e2a25' : '#ffffff', weight: 1.5,
        fillColor: facility ? '#ffffff' : '#2e2a25', fillOpacity: 1,
        className: `place-marker place-${p.kind || 'point'}`,
      });
      const title = `${p.name_en || ''}${p.name_ko ? ` (${p.name_ko})` : ''}`;
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
      this.entries.push({ id: String(f.id ?? ''), marker, latlng, radius, props: p, rank: priority(p), directions: labelDirections(p), tip: null, size: null });
    }
    this.entries.sort((a, b) => a.rank - b.rank);
    // A facility placed at its town's point (its site is not known) is named
    // in its popup, not by a second label that would claim a site.
    const taken = new Set();
    for (const e of this.entries) {
      const at = `${e.latlng.lat},${e.latlng.lng}`;
      e.unlabelled = taken.has(at);
      taken.add(at);
    }
    // Drawn lowest priority first, so that a town's dot lies on top of a facility at the same point.
    for (const e of [...this.entries].reverse()) this.group.addLayer(e.marker);
    this.group.on('add', () => requestAnimationFrame(() => this.declutter()));
    map.on('zoomend moveend', () => this.declutter());
  }

  addTo(map) { this.group.addTo(map); return this; }

  /** Labels the places in English ('en') or in their local names ('ko'). */
  setLabels(labels) {
    this.labels = labels;
    for (const e of this.entries) {
      e.size = null;
      if (e.tip) e.marker.setTooltipContent(labelNode(e.props, labels));
    }
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
   * Pairs are found through a grid of cells MIN_DOT_GAP wide: a newsroom's
   * dataset may hold thousands of villages.
   */
  separate() {
    const pts = this.entries.map((e) => this.map.latLngToContainerPoint(e.latlng));
    const moved = pts.map((p) => p.clone());
    const near = pointGrid(pts, MIN_DOT_GAP);
    pts.forEach((p, i) => {
      for (const j of near(p.x - MIN_DOT_GAP, p.y - MIN_DOT_GAP, p.x + MIN_DOT_GAP, p.y + MIN_DOT_GAP)) {
        if (j <= i) continue;
        const d = pts[j].subtract(p);
        const len = Math.hypot(d.x, d.y);
        if (len === 0 || len >= MIN_DOT_GAP) continue;
        const push = d.multiplyBy((MIN_DOT_GAP - len) / 2 / len);
        moved[i] = moved[i].subtract(push);
        moved[j] = moved[j].add(push);
      }
    });
    this.entries.forEach((e, i) => {
      // Only where it changes, and never under an open popup: moving a
      // marker moves its popup, which pans the map, which separates again.
      if (e.marker.isPopupOpen()) return;
      const want = moved[i].equals(pts[i]) ? e.latlng : this.map.containerPointToLatLng(moved[i]);
      if (!e.marker.getLatLng().equals(want)) e.marker.setLatLng(want);
    });
  }

  /**
   * The width and height of a place's label, measured once per label
   * language from the text in the labels' font, without asking the page
   * for its layout: with thousands of places, a layout per label took the
   * map minutes.
   */
  labelSize(e) {
    if (!e.size) {
      if (!this.font) {
        // One label drawn once, off the map, for the font and line height.
        const probe = el('div', { class: 'leaflet-tooltip place-label', 'aria-hidden': 'true' }, el('span', { lang: 'en' }, 'Hg'));
        probe.style.visibility = 'hidden';
        this.map.getPane('placeLabels').appendChild(probe);
        const cs = getComputedStyle(probe);
        this.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        this.labelHeight = probe.offsetHeight;
        this.labelPadding = (parseFloat(cs.paddingLeft) || 0) + (parseFloat(cs.paddingRight) || 0);
        probe.remove();
        this.ruler = document.createElement('canvas').getContext('2d');
        this.ruler.font = this.font;
      }
      const [text] = labelText(e.props, this.labels);
      e.size = text ? { w: Math.ceil(this.ruler.measureText(text).width + this.labelPadding), h: this.labelHeight } : null;
    }
    return e.size;
  }

  /**
   * Puts each label right of its dot or, where that would cover another dot,
   * a label of a higher-priority place or a map control, left of it; hides it when both
   * sides are taken (or cut off by the map's edge), so no label can be read
   * as naming the wrong dot. Where a label goes is worked out from its size
   * and Leaflet's rule for placing tooltips; the page is asked for its
   * layout once, and labels are made only for places that show one.
   */
  declutter() {
    if (!this.map.hasLayer(this.group)) return;
    this.separate();
    const size = this.map.getSize();
    const frame = this.map.getContainer().getBoundingClientRect();
    const inside = (b) => b.l >= 0 && b.r <= size.x && b.t >= 0 && b.b <= size.y;
    // The legend and the map's buttons cover labels as surely as other labels do.
    const kept = [...this.map.getContainer().querySelectorAll('.leaflet-control')].map((c) => {
      const r = c.getBoundingClientRect();
      return { l: r.left - frame.left, r: r.right - frame.left, t: r.top - frame.top, b: r.bottom - frame.top };
    });
    const hits = (a, b) => a.l < b.r && a.r > b.l && a.t < b.b && a.b > b.t;
    const at = this.entries.map((e) => this.map.latLngToContainerPoint(e.marker.getLatLng()));
    // The dots by cell, to test a label against those near it only.
    const near = pointGrid(at, 32);
    const reach = Math.max(...this.entries.map((e) => e.radius));
    const coversDot = (b, e) => {
      for (const j of near(b.l - reach, b.t - reach, b.r + reach, b.b + reach)) {
        const o = this.entries[j];
        if (o === e || o.latlng.equals(e.latlng)) continue;
        const p = at[j];
        if (hits(b, { l: p.x - o.radius, r: p.x + o.radius, t: p.y - o.radius, b: p.y + o.radius })) return true;
      }
      return false;
    };
    const show = [];
    this.entries.forEach((e, i) => {
      const p = at[i];
      const s = !e.unlabelled && inside({ l: p.x, r: p.x, t: p.y, b: p.y }) ? this.labelSize(e) : null;
      let choice = null;
      if (s) {
        for (const [direction, offset] of e.directions) {
          const b = pad(labelBox(p, s, direction, offset), 2, 1);
          if (inside(b) && !kept.some((k) => hits(b, k)) && !coversDot(b, e)) {
            kept.push(b);
            choice = [direction, offset];
            break;
          }
        }
      }
      show.push(choice);
    });
    // Then the page is changed, all at once.
    this.entries.forEach((e, i) => {
      const choice = show[i];
      if (!choice) {
        if (e.tip) e.tip.getElement()?.classList.add('is-hidden');
        return;
      }
      const [direction, offset] = choice;
      if (!e.tip) {
        e.marker.bindTooltip(labelNode(e.props, this.labels), { permanent: true, direction, offset, pane: 'placeLabels', className: 'place-label' });
        e.tip = e.marker.getTooltip();
      } else if (e.tip.options.direction !== direction) {
        e.tip.options.direction = direction;
        e.tip.options.offset = offset;
        e.tip.update();
      }
      e.tip.getElement()?.classList.remove('is-hidden');
    });
  }
}

/**
 * Points by square cell of `size` pixels: near(l, t, r, b) yields the index
 * of every point whose cell meets that box (and so every point inside it),
 * without testing them all.
 */
function pointGrid(points, size) {
  const cells = new Map();
  const key = (cx, cy) => `${cx},${cy}`;
  points.forEach((p, i) => {
    const k = key(Math.floor(p.x / size), Math.floor(p.y / size));
    if (!cells.has(k)) cells.set(k, []);
    cells.get(k).push(i);
  });
  return function* near(l, t, r, b) {
    for (let cx = Math.floor(l / size); cx <= Math.floor(r / size); cx++) {
      for (let cy = Math.floor(t / size); cy <= Math.floor(b / size); cy++) yield* cells.get(key(cx, cy)) || [];
    }
  };
}

function pad(b, x, y) { return { l: b.l - x, r: b.r + x, t: b.t - y, b: b.b + y }; }

/**
 * Where Leaflet puts a tooltip of size s for a point p (container pixels)
 * in a direction, with an offset (Tooltip._setPosition, Leaflet 1.9.4) and
 * the margin its stylesheet gives that direction.
 */
function labelBox(p, s, direction, [ox, oy]) {
  let x;
  let y;
  if (direction === 'top') {
    x = p.x - Math.round(s.w / 2) + ox;
    y = p.y - s.h + oy - TIP_MARGIN;
  } else if (direction === 'bottom') {
    x = p.x - Math.round(s.w / 2) + ox;
    y = p.y + oy + TIP_MARGIN;
  } else if (direction === 'left') {
    x = p.x - s.w + ox - TIP_MARGIN;
    y = p.y - Math.round(s.h / 2) + oy;
  } else {
    x = p.x + ox + TIP_MARGIN;
    y = p.y - Math.round(s.h / 2) + oy;
  }
  return { l: x, r: x + s.w, t: y, b: y + s.h };
}
