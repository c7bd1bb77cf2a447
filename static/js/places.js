// Places: small labelled markers (English name on the map, Korean and Chinese
// names in the popup) with the distance to the border and the side.

import L from './leaflet.js';
import { el } from './dom.js';
import { COUNTRY_NAMES, PLACE_KINDS, LOCATION_PRECISION } from './categories.js';

function sideText(side) {
  if (side === 'KP') return 'North Korean side';
  if (side === 'CN') return 'Chinese side';
  return '';
}

function distanceText(p) {
  const km = p.border_distance_km;
  if (typeof km !== 'number' || !Number.isFinite(km)) return null;
  const rounded = km < 10 ? km.toLocaleString('en-GB', { maximumFractionDigits: 1 }) : Math.round(km).toLocaleString('en-GB');
  const side = sideText(p.border_side);
  return `${rounded} km from the border${side ? `, ${side}` : ''}`;
}

export function placePopup(p) {
  const names = [p.name_ko, p.name_zh].filter(Boolean);
  const region = [p.admin1, COUNTRY_NAMES[p.country] || p.country].filter(Boolean).join(', ');
  const alt = Array.isArray(p.alt_names) ? p.alt_names.filter(Boolean) : [];
  return el('div', { class: 'place-popup' },
    el('h3', null, p.name_en || 'Unnamed place',
      names.length ? el('span', { class: 'place-native', lang: p.name_ko ? 'ko' : 'zh' }, ` ${names.join(' · ')}`) : null),
    el('p', { class: 'place-kind' }, [PLACE_KINDS[p.kind] || p.kind, region].filter(Boolean).join(' — ')),
    distanceText(p) ? el('p', { class: 'place-distance' }, distanceText(p)) : null,
    alt.length ? el('p', { class: 'place-alt' }, `Also spelled: ${alt.join(', ')}`) : null,
    p.location_precision ? el('p', { class: 'place-precision' }, `Location: ${LOCATION_PRECISION[p.location_precision] || p.location_precision}`) : null,
    p.notes ? el('p', { class: 'place-notes' }, p.notes) : null,
    p.coord_source ? el('p', { class: 'place-source' }, `Coordinates: ${p.coord_source}`) : null);
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
      marker.bindTooltip(el('span', null, p.name_en || ''), {
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
      this.entries.push({ id: String(f.id ?? ''), marker, props: p, rank: priority(p) });
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

  get count() { return this.entries.length; }

  /**
   * Puts each label right of its dot or, where that would cover another dot,
   * a label of a higher-priority place or a map control, left of it; hides it when both
   * sides are taken (or cut off by the map's edge), so no label can be read
   * as naming the wrong dot.
   */
  declutter() {
    if (!this.map.hasLayer(this.group)) return;
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
      const at = e.marker.getLatLng();
      const others = dots.filter((d, j) => d && j !== i && !this.entries[j].marker.getLatLng().equals(at));
      let box = null;
      if (!e.unlabelled) {
        for (const [direction, dx] of [['right', 5], ['left', -5]]) {
          if (tip.options.direction !== direction) {
            tip.options.direction = direction;
            tip.options.offset = [dx, 0];
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
