// The map legend: categories (colour + letter), how certain a location or
// date is (shape and opacity), the zones, the border and places.

import L from './leaflet.js';
import { el, svg } from './dom.js';
import { CATEGORIES } from './categories.js';
import { incidentSymbol } from './markers.js';
import { t } from './i18n.js';

function swatch(node) {
  return el('span', { class: 'legend-swatch', 'aria-hidden': 'true' }, node);
}

function row(symbol, ...text) {
  return el('li', null, swatch(symbol), el('span', { class: 'legend-text' }, ...text));
}

function lineSwatch(cls) {
  return svg('svg', { width: 30, height: 16, viewBox: '0 0 30 16', class: cls },
    svg('line', { x1: 1, y1: 8, x2: 29, y2: 8 }));
}

function zoneSwatch() {
  return svg('svg', { width: 30, height: 16, viewBox: '0 0 30 16', class: 'legend-zone' },
    svg('defs', null, svg('pattern', {
      id: 'legend-hatch', patternUnits: 'userSpaceOnUse', width: 5, height: 5, patternTransform: 'rotate(45)',
    }, svg('rect', { width: 5, height: 5, fill: 'rgba(193,18,31,0.25)' }), svg('rect', { width: 2.2, height: 5, fill: '#c1121f' }))),
    svg('rect', { x: 1, y: 3, width: 28, height: 10, fill: 'url(#legend-hatch)', stroke: '#a50f15', 'stroke-width': 1 }));
}

function areaSwatch() {
  return svg('svg', { width: 30, height: 16, viewBox: '0 0 30 16', class: 'legend-area' },
    svg('rect', { x: 2, y: 3, width: 26, height: 10, fill: 'rgba(11,79,138,0.1)', stroke: '#0b4f8a', 'stroke-width': 2, 'stroke-dasharray': '5 3' }));
}

export function createLegend(map, { collapsed, position = 'bottomleft' }) {
  const Legend = L.Control.extend({
    options: { position },
    onAdd() {
      const body = el('div', { class: 'legend-body', id: 'legend-body' },
        el('h3', null, t('Category')),
        el('ul', { class: 'legend-list legend-grid' }, CATEGORIES.map((c) => el('li', { title: c.label },
          swatch(incidentSymbol({ category: c.id, location_precision: 'exact' }, { size: 22 })),
          el('span', { class: 'legend-text' }, t(c.short))))),
        el('h3', null, t('How sure: place and date')),
        el('ul', { class: 'legend-list legend-grid' },
          row(incidentSymbol({ category: 'policy', location_precision: 'exact' }, { size: 26 }), t('Exact place')),
          row(incidentSymbol({ category: 'policy', location_precision: 'near' }, { size: 30 }), t('Near a place')),
          row(incidentSymbol({ category: 'policy', location_precision: 'broad' }, { size: 30 }), t('Broad area')),
          row(incidentSymbol({ category: 'policy', location_precision: 'exact', date_inferred: true }, { size: 26 }), t('Date inferred')),
          row(incidentSymbol({ category: 'policy', location_precision: 'exact', date_precision: 'month' }, { size: 30 }), t('Date known to the month')),
          row(incidentSymbol({ category: 'policy', location_precision: 'exact', date_precision: 'year' }, { size: 34 }), t('Only to the season or year'))),
        el('p', { class: 'legend-note' }, t('Faded: not in force on the chosen day (when the map shows everything up to it, or a window around it).')),
        el('ul', { class: 'legend-list legend-map' },
          row(zoneSwatch(), t('Forbidden zone from 26 Aug 2020: 1 km zone (RFA) / 1–2 km (HRW), drawn wider when zoomed out')),
          row(lineSwatch('legend-border'), t('North Korea–China border')),
          row(areaSwatch(), t('Area a selected incident covers (its marker stands for all of it)'))),
        el('p', { class: 'legend-note' }, t('Events with no single location (nationwide, abroad) are listed in the panel only.')));
      const toggle = el('button', {
        type: 'button', class: 'legend-toggle', 'aria-expanded': collapsed ? 'false' : 'true', 'aria-controls': 'legend-body',
      }, t('Legend'));
      const container = el('section', { class: ['leaflet-control', 'legend', collapsed && 'is-collapsed'], 'aria-label': t('Legend') }, toggle, body);
      body.hidden = Boolean(collapsed);
      toggle.addEventListener('click', () => {
        const open = body.hidden;
        body.hidden = !open;
        container.classList.toggle('is-collapsed', !open);
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      });
      L.DomEvent.disableClickPropagation(container);
      L.DomEvent.disableScrollPropagation(container);
      return container;
    },
  });
  const legend = new Legend();
  legend.addTo(map);
  return legend;
}
