// The offline base map, drawn from the project's own layers: countries,
// provinces, rivers and the border line. An online OpenStreetMap tile layer
// is offered in the layer control, off by default.

import L from './leaflet.js';
import { el } from './dom.js';
import { t } from './i18n.js';

export const ATTRIBUTION = [
  'Border © <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors (ODbL)',
  '<a href="https://www.naturalearthdata.com/">Natural Earth</a>',
  '<a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)',
].join(' · ');

const COUNTRY_FILL = {
  'North Korea': '#f4efe1',
  China: '#e2e0d8',
};
const OTHER_FILL = '#ebe9e3';

// The rivers' names on the map; the Yalu's Korean name is the Amnok.
const RIVERS = { Yalu: 'Yalu (Amnok) River', Tumen: 'Tumen River' };

// Cartographic labels for the areas around the border (fixed positions).
const AREA_LABELS = [
  { text: 'CHINA', at: [42.55, 126.75], cls: 'label-country', minZoom: 0 },
  { text: 'NORTH KOREA', at: [40.15, 127.05], cls: 'label-country', minZoom: 0 },
  { text: 'RUSSIA', at: [43.05, 131.35], cls: 'label-country', minZoom: 5.5 },
  { text: 'SOUTH KOREA', at: [37.2, 128.2], cls: 'label-country', minZoom: 0 },
  { text: 'Korea Bay', at: [39.15, 123.9], cls: 'label-sea', minZoom: 5.5 },
  { text: 'East Sea (Sea of Japan)', at: [40.3, 130.6], cls: 'label-sea', minZoom: 5.5 },
  { text: 'Yellow Sea', at: [37.3, 124.2], cls: 'label-sea', minZoom: 5.5 },
];

function createPanes(map) {
  // Town names above the incident markers (Leaflet's marker pane is 600), so
  // that a marker never hides one; they let clicks through to the markers.
  const panes = [
    ['base', 250], ['zones', 410], ['border', 420], ['labels', 450],
    ['places', 560], ['placeLabels', 640],
  ];
  for (const [name, z] of panes) {
    const pane = map.createPane(name);
    pane.style.zIndex = String(z);
  }
  map.getPane('labels').style.pointerEvents = 'none';
  map.getPane('placeLabels').style.pointerEvents = 'none';
}

function textLabel(latlng, text, className, pane = 'labels') {
  const node = el('span', { class: ['map-label', className] }, text);
  return L.marker(latlng, {
    pane,
    interactive: false,
    keyboard: false,
    icon: L.divIcon({ html: node, className: 'map-label-anchor', iconSize: null }),
  });
}

/** Representative point of a (multi)line: the vertex at `fraction` of its length, in vertex count. */
function pointAlong(geometry, fraction) {
  const lines = geometry.type === 'MultiLineString' ? geometry.coordinates : [geometry.coordinates];
  const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), []);
  const c = longest[Math.floor(longest.length * fraction)] || longest[0];
  return c ? [c[1], c[0]] : null;
}

/** Zoom-dependent visibility for label markers. */
function bindMinZoom(map, layer, minZoom) {
  const update = () => {
    const show = map.getZoom() >= minZoom;
    if (show && !map.hasLayer(layer)) layer.addTo(map);
    if (!show && map.hasLayer(layer)) layer.remove();
  };
  map.on('zoomend', update);
  update();
}

export function createBaseMap(map, data) {
  createPanes(map);
  const baseRenderer = L.svg({ pane: 'base', padding: 0.5 });
  const borderRenderer = L.svg({ pane: 'border', padding: 0.5 });

  const countries = L.geoJSON(data.countries, {
    renderer: baseRenderer,
    interactive: false,
    style: (f) => ({
      stroke: true,
      color: '#9eb0bb',
      weight: 0.8,
      fillColor: COUNTRY_FILL[f.properties.name] || OTHER_FILL,
      fillOpacity: 1,
    }),
  }).addTo(map);

  const provinces = L.geoJSON(data.provinces, {
    renderer: baseRenderer,
    interactive: false,
    style: () => ({ color: '#a99c82', weight: 1, dashArray: '4 3', fill: false }),
  }).addTo(map);

  const rivers = L.geoJSON(data.rivers, {
    renderer: baseRenderer,
    interactive: false,
    style: () => ({ color: '#4b8fc4', weight: 2, opacity: 0.9, lineCap: 'round' }),
  }).addTo(map);

  const landOf = (fc) => (fc.features || []).filter((f) => f.properties && f.properties.part === 'land');
  const landBorder = landOf(data.border);
  const borderHalo = L.geoJSON({ type: 'FeatureCollection', features: landBorder }, {
    renderer: borderRenderer, interactive: false,
    style: () => ({ color: '#ffffff', weight: 6, opacity: 0.85, lineCap: 'round', lineJoin: 'round' }),
  });
  const border = L.layerGroup([
    borderHalo,
    L.geoJSON(data.border, {
      renderer: borderRenderer,
      interactive: false,
      style: (f) => (f.properties && f.properties.part === 'land'
        ? { color: '#26221d', weight: 2.6, opacity: 1, lineCap: 'round', lineJoin: 'round', className: 'border-line' }
        : { color: '#4a4540', weight: 1.5, opacity: 0.9, dashArray: '5 4', className: 'border-line-maritime' }),
    }),
  ]).addTo(map);

  // Labels: countries and seas, provinces (zoom ≥ 7), rivers (zoom ≥ 6.5).
  const labels = L.layerGroup().addTo(map);
  for (const l of AREA_LABELS) bindMinZoom(map, textLabel(l.at, t(l.text), l.cls), l.minZoom);
  const provinceLabels = L.layerGroup();
  for (const f of data.provinces.features || []) {
    const name = f.properties && (f.properties.name_en || f.properties.name);
    if (!name) continue;
    const center = L.geoJSON(f).getBounds().getCenter();
    provinceLabels.addLayer(textLabel(center, name, 'label-province'));
  }
  bindMinZoom(map, provinceLabels, 7);
  const riverLabels = L.layerGroup();
  const seen = new Set();
  for (const f of data.rivers.features || []) {
    const name = f.properties && f.properties.name;
    if (!name || seen.has(name) || f.properties.featurecla !== 'River') continue;
    seen.add(name);
    const at = pointAlong(f.geometry, name === 'Yalu' ? 0.55 : 0.35);
    if (at) riverLabels.addLayer(textLabel(at, t(RIVERS[name] || `${name} River`), 'label-river'));
  }
  bindMinZoom(map, riverLabels, 6.75);

  const osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 19,
    attribution: '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
  });
  // With the online tiles on, the offline fills step back so the tiles show.
  map.on('layeradd', (e) => {
    if (e.layer === osm) countries.setStyle({ fillOpacity: 0.12 });
  });
  map.on('layerremove', (e) => {
    if (e.layer === osm) countries.setStyle({ fillOpacity: 1 });
  });

  const landBounds = L.geoJSON({ type: 'FeatureCollection', features: landBorder }).getBounds();
  const borderLine = border.getLayers()[1];
  /**
   * Swaps a layer's shapes for the same shapes at another precision (the
   * map loads simplified ones first). landBorder is changed in place: the
   * zones and the area outlines hold it.
   */
  function replace(name, fc) {
    if (name === 'border') {
      landBorder.splice(0, landBorder.length, ...landOf(fc));
      borderHalo.clearLayers().addData({ type: 'FeatureCollection', features: landBorder });
      borderLine.clearLayers().addData(fc);
      return;
    }
    const layer = { countries, provinces, rivers }[name];
    if (layer) layer.clearLayers().addData(fc);
  }
  return { countries, provinces, rivers, border, labels, osm, borderBounds: landBounds, landBorder, replace };
}
