// The forbidden zones along the border: a hatched red band (SVG pattern in the
// zones pane's <svg><defs>). A 1 km strip is under a pixel wide at country
// zoom, so while a zone is in force a wide hatched stroke is also drawn along
// the land border, clipped to North Korea so that it lies on the side the
// zone is on. Zones are shown only between valid_from and valid_to.

import L from './leaflet.js';
import { svg, el } from './dom.js';
import { dayOf, shortDate } from './dates.js';
import { t, language, englishData } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const BAND_MAX_ZOOM = 10; // from here on the polygons themselves are wide enough

function hatchPattern(id, color, gap, width, background) {
  return svg('pattern', {
    id, patternUnits: 'userSpaceOnUse', width: gap, height: gap, patternTransform: 'rotate(45)',
  },
  background ? svg('rect', { width: gap, height: gap, fill: background }) : null,
  svg('rect', { x: 0, y: 0, width, height: gap, fill: color }));
}

function ensureDefs(svgRoot) {
  let defs = svgRoot.querySelector('defs');
  if (!defs) {
    defs = document.createElementNS(SVG_NS, 'defs');
    svgRoot.insertBefore(defs, svgRoot.firstChild);
  }
  if (!defs.querySelector('#zone-hatch-1km')) {
    defs.appendChild(hatchPattern('zone-hatch-1km', '#c1121f', 5, 2.2, 'rgba(193,18,31,0.28)'));
    defs.appendChild(hatchPattern('zone-hatch-2km', '#c1121f', 7, 1.4, 'rgba(193,18,31,0.10)'));
    defs.appendChild(hatchPattern('zone-hatch-band', '#b0101c', 5, 2, 'rgba(220,30,40,0.30)'));
    defs.appendChild(svg('clipPath', { id: 'zone-clip-kp' },
      svg('use', { href: '#zone-kp-land' })));
  }
  return defs;
}

function zoneLabel(props) {
  if (language() === 'ko' && props.width_m) return t('{n} km zone', { n: (props.width_m / 1000).toLocaleString('en-GB') });
  return props.name || (props.width_m ? t('{n} km zone', { n: props.width_m / 1000 }) : t('Zone'));
}

function zonePopup(props) {
  const from = props.valid_from ? shortDate(props.valid_from) : t('unknown');
  const to = props.valid_to ? shortDate(props.valid_to) : t('no end reported');
  const sources = Array.isArray(props.sources) ? props.sources : [];
  return el('div', { class: 'zone-popup' },
    el('h3', null, zoneLabel(props)),
    el('p', null, `${t('Width')}: ${props.width_m ? `${(props.width_m / 1000).toLocaleString('en-GB')} km` : t('unknown')}`,
      props.side === 'KP' ? t(', on the North Korean side') : ''),
    el('p', null, t('In force: from {from}; {to}.', { from, to })),
    Number.isFinite(props.area_km2) ? el('p', null, `${t('Area')}: ${Math.round(props.area_km2).toLocaleString('en-GB')} km²`) : null,
    props.note ? el('p', { class: 'zone-note', lang: englishData() }, props.note) : null,
    sources.length ? el('p', { class: 'zone-sources' }, `${t('Sources')}: `,
      sources.map((s) => s.outlet || s.id).filter(Boolean).join('; ')) : null);
}

/**
 * Leaflet makes a path with a tooltip focusable but gives it no name and no
 * key to open its popup: name it, and let Enter or Space open the popup.
 */
function keyboardable(group, label) {
  const decorate = (l) => {
    const node = l.getElement && l.getElement();
    if (!node || node.dataset.keyboard) return;
    node.dataset.keyboard = 'true';
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.setAttribute('aria-label', label);
    node.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      e.preventDefault();
      group.openPopup(); // the popup is bound to the group, not to its path
    });
  };
  group.on('add', () => group.eachLayer(decorate));
  // Shapes swapped for finer ones while on the map (ZoneLayer.replace).
  group.on('layeradd', (e) => decorate(e.layer));
}

function northKorea(countries) {
  return (countries.features || []).filter((f) => f.properties && (f.properties.name === 'North Korea'
    || f.properties.iso_a3 === 'PRK' || f.properties.iso_n3 === '408'));
}

export class ZoneLayer {
  constructor(map, { zones, countries, landBorder }) {
    this.map = map;
    this.renderer = L.svg({ pane: 'zones', padding: 0.5 });
    map.addLayer(this.renderer);
    const svgRoot = map.getPane('zones').querySelector('svg');
    ensureDefs(svgRoot);

    // Invisible North Korea outline: the clip path of the border band.
    const kp = northKorea(countries);
    this.clipSource = L.geoJSON({ type: 'FeatureCollection', features: kp }, {
      renderer: this.renderer, interactive: false,
      style: () => ({ stroke: false, fill: false, className: 'zone-clip-source' }),
    });

    this.zones = (zones.features || []).map((f) => {
      const p = f.properties || {};
      const from = dayOf(p.valid_from);
      const to = p.valid_to ? dayOf(p.valid_to) : Infinity;
      const wide = (p.width_m || 0) > 1000;
      const layer = L.geoJSON(f, {
        renderer: this.renderer,
        style: () => ({
          stroke: true, color: '#a50f15', weight: wide ? 0.6 : 0.9, opacity: 0.9,
          fillColor: wide ? 'url(#zone-hatch-2km)' : 'url(#zone-hatch-1km)', fillOpacity: 1,
          className: wide ? 'zone zone-2km' : 'zone zone-1km',
        }),
      });
      layer.bindTooltip(() => el('span', null, zoneLabel(p)), { sticky: true });
      layer.bindPopup(() => zonePopup(p));
      keyboardable(layer, t('{zone}: details', { zone: zoneLabel(p) }));
      return { feature: f, props: p, from: Number.isNaN(from) ? -Infinity : from, to, layer, wide };
    }).sort((a, b) => Number(b.wide) - Number(a.wide)); // the wider one underneath

    this.band = L.geoJSON({ type: 'FeatureCollection', features: landBorder }, {
      renderer: this.renderer,
      style: () => ({
        color: 'url(#zone-hatch-band)', weight: 16, opacity: 1, lineCap: 'round', lineJoin: 'round',
        className: 'zone-band',
      }),
    });
    const first = this.zones.find((z) => !z.wide) || this.zones[0];
    if (first) {
      this.band.bindTooltip(() => el('span', null, t('Forbidden zone along the border (drawn wider than scale)')), { sticky: true });
      this.band.bindPopup(() => zonePopup(first.props));
      // The band stands in for the 1 km zone at low zoom; the zone itself
      // is the keyboard stop, so the band is not a second one.
      this.band.on('add', () => this.band.eachLayer((l) => {
        const node = l.getElement();
        if (node) { node.setAttribute('tabindex', '-1'); node.setAttribute('aria-hidden', 'true'); }
      }));
    }

    this.clipped = kp.length > 0; // without North Korea's outline the band is drawn unclipped
    this.active = false;
    this.map.on('zoomend', () => this.updateBand());
  }

  /**
   * Swaps the shapes for the same ones at another precision: the zones by
   * id, North Korea's outline (the band's clip) and the land border.
   */
  replace({ zones, countries, landBorder }) {
    const byId = new Map((zones.features || []).map((f) => [String(f.id), f]));
    for (const z of this.zones) {
      const f = byId.get(String(z.feature.id));
      if (f) z.layer.clearLayers().addData(f);
    }
    const onMap = this.map.hasLayer(this.band);
    if (onMap) this.band.remove();
    if (this.map.hasLayer(this.clipSource)) this.clipSource.remove();
    this.clipSource.clearLayers().addData({ type: 'FeatureCollection', features: northKorea(countries) });
    this.band.clearLayers().addData({ type: 'FeatureCollection', features: landBorder });
    this.updateBand();
  }

  /** Zones in force on `day`. */
  inForce(day) {
    return this.zones.filter((z) => z.from <= day && day <= z.to);
  }

  setDay(day) {
    const active = this.inForce(day);
    for (const z of this.zones) {
      const on = active.includes(z);
      if (on && !this.map.hasLayer(z.layer)) z.layer.addTo(this.map);
      if (!on && this.map.hasLayer(z.layer)) z.layer.remove();
    }
    this.active = active.length > 0;
    this.updateBand();
    return active;
  }

  updateBand() {
    const show = this.active && this.map.getZoom() < BAND_MAX_ZOOM;
    if (show && !this.map.hasLayer(this.band)) {
      if (this.clipped && !this.map.hasLayer(this.clipSource)) {
        this.clipSource.addTo(this.map);
        this.clipSource.eachLayer((l) => l.getElement() && l.getElement().setAttribute('id', 'zone-kp-land'));
      }
      this.band.addTo(this.map);
      if (this.clipped) {
        this.band.eachLayer((l) => l.getElement() && l.getElement().setAttribute('clip-path', 'url(#zone-clip-kp)'));
      }
    }
    if (!show && this.map.hasLayer(this.band)) this.band.remove();
    if (this.map.hasLayer(this.band)) {
      // Thicker as the map zooms in, so it stays a band rather than a hairline.
      const z = this.map.getZoom();
      const weight = Math.max(8, Math.min(22, 4 + (z - 5) * 3.5)) * (this.clipped ? 2 : 1); // half is clipped away
      this.band.setStyle({ weight });
    }
  }
}
