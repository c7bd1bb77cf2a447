// The presentation's time axis: the months from the first to the last
// incident, the span in which the step's incident is on the map (a week, a
// month, a year when that is all that is known) and the day the map shows.

import { svg, clear } from './dom.js';
import { monthsBetween, monthTick } from './dates.js';

export class TimeAxis {
  constructor(node, { min, max }) {
    this.node = node;
    this.min = min;
    this.max = max;
    this.span = null;
    this.day = null;
    if (typeof ResizeObserver === 'function') new ResizeObserver(() => this.draw()).observe(node);
  }

  /** Shows the span [from, to] (day numbers) and the day. */
  set(from, to, day) {
    this.span = [from, to];
    this.day = day;
    this.draw();
  }

  draw() {
    const width = this.node.clientWidth;
    const height = this.node.clientHeight;
    if (!width || !height) return;
    clear(this.node);
    this.node.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const pad = 12;
    const x = (d) => pad + ((d - this.min) / Math.max(1, this.max + 1 - this.min)) * (width - 2 * pad);
    const axisY = height - 26;
    this.node.appendChild(svg('line', { class: 'axis', x1: pad, x2: width - pad, y1: axisY, y2: axisY }));
    // Ticks for every month; labels for the years first, then a month's
    // initial wherever it does not run into a label already placed.
    const months = monthsBetween(this.min, this.max).map((m) => ({ ...m, first: m.month === 0 || m.start <= this.min }));
    const placed = [];
    for (const m of months) {
      this.node.appendChild(svg('line', {
        class: m.first ? 'tick tick-year' : 'tick', x1: x(m.start), x2: x(m.start), y1: axisY - (m.first ? 12 : 6), y2: axisY + 4,
      }));
    }
    for (const m of [...months.filter((k) => k.first), ...months.filter((k) => !k.first)]) {
      const x0 = x(m.start) + 3;
      const text = svg('text', { class: m.first ? 'label label-year' : 'label', x: x0, y: height - 4 },
        monthTick(m.year, m.month, { first: m.first, narrow: !m.first }));
      this.node.appendChild(text);
      const x1 = x0 + text.getComputedTextLength();
      if (placed.some(([a, b]) => x0 < b + 5 && x1 > a - 5)) text.remove();
      else placed.push([x0, x1]);
    }
    if (this.span) {
      const [from, to] = this.span;
      const x0 = x(from);
      const x1 = Math.max(x0 + 6, x(to + 1));
      this.node.appendChild(svg('rect', { class: 'span', x: x0, y: axisY - 16, width: x1 - x0, height: 14, rx: 3 }));
    }
    if (this.day !== null) {
      const cx = x(this.day);
      this.node.appendChild(svg('line', { class: 'cursor', x1: cx, x2: cx, y1: 2, y2: axisY + 4 }));
    }
  }
}
