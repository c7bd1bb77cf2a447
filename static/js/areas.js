// Outlines the areas a selected incident is tied to. An incident "somewhere in
// Ryanggang" is drawn as a marker at a point inside the province; the outline
// says the marker stands for the whole area, not for that spot. The shapes
// come from the areas collection, one request per area, kept once fetched;
// the border, already drawn by the base map, is highlighted from its layer.

import L from './leaflet.js';
import { fetchFeature } from './api.js';

/** Place kinds that are areas rather than points. */
const AREA_KINDS = new Set(['province', 'country', 'border']);

export class AreaHighlight {
  constructor(map, { border = [] } = {}) {
    this.map = map;
    this.border = border; // the land border's features
    const pane = map.createPane('areas');
    pane.style.zIndex = '425'; // above the border line, below markers
    pane.style.pointerEvents = 'none';
    this.layer = L.geoJSON(null, {
      renderer: L.svg({ pane: 'areas', padding: 0.5 }),
      interactive: false,
      style: (f) => (f.geometry && f.geometry.type.endsWith('LineString')
        ? { color: '#0b4f8a', weight: 5, opacity: 0.55, lineCap: 'round', lineJoin: 'round', className: 'area-outline' }
        : { color: '#0b4f8a', weight: 2.5, dashArray: '7 5', fillColor: '#0b4f8a', fillOpacity: 0.06, className: 'area-outline' }),
    }).addTo(map);
    this.cache = new Map();
    this.seq = 0;
  }

  /** Shows the areas of `item` (an IncidentSource item), or none for null. */
  async show(item) {
    const mine = ++this.seq;
    const areas = item && !item.offMap
      ? (item.props.places || []).filter((p) => AREA_KINDS.has(p.kind) && p.id)
      : [];
    this.layer.clearLayers();
    if (!areas.length) return 0;
    const features = await Promise.all(areas.map((p) => (p.kind === 'border' ? this.border : this.feature(p.id))));
    if (mine !== this.seq) return 0; // another selection came first
    for (const f of features.flat()) if (f && f.geometry) this.layer.addData(f);
    return this.layer.getLayers().length;
  }

  feature(id) {
    if (!this.cache.has(id)) {
      // A failed request is forgotten, so the next selection tries again.
      // An outline drawn over the map: 250 m is under a pixel up to zoom 8.
      this.cache.set(id, fetchFeature('areas', id, { params: { simplify: '250' } }).catch(() => { this.cache.delete(id); return null; }));
    }
    return this.cache.get(id);
  }
}
