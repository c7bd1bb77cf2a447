// The timeline band: a bar chart of incidents in force per month (stacked by
// category), the day slider, play/pause and speed, and the date in words.

import { svg, clear } from './dom.js';
import { longDate, MONTHS_SHORT } from './dates.js';
import { CATEGORIES } from './categories.js';

const SPEEDS = {
  slow: { daysPerSecond: 4, label: 'Slow — 4 days a second' },
  normal: { daysPerSecond: 12, label: 'Normal — 12 days a second' },
  fast: { daysPerSecond: 30, label: 'Fast — a month a second' },
};
const THUMB = 22; // px; must match the slider thumb in app.css

export class Timeline {
  constructor({ root, minDay, maxDay, day, onChange }) {
    this.root = root;
    this.min = minDay;
    this.max = maxDay;
    this.onChange = onChange;
    this.slider = root.querySelector('#date-slider');
    this.words = root.querySelector('#date-words');
    this.playBtn = root.querySelector('#play');
    this.speed = root.querySelector('#speed');
    this.chart = root.querySelector('#chart');
    this.months = [];
    this.timer = 0;

    this.slider.min = String(minDay);
    this.slider.max = String(maxDay);
    this.slider.step = '1';
    this.setDay(day, { silent: true });

    this.slider.addEventListener('input', () => {
      this.setDay(Number(this.slider.value), { source: 'slider' });
    });
    // Page Up / Page Down move a month; arrows (native) a day; Home / End (native) the ends.
    this.slider.addEventListener('keydown', (e) => {
      if (e.key !== 'Tab' && e.key !== 'Shift') this.pause();
      if (e.key === 'PageUp' || e.key === 'PageDown') {
        e.preventDefault();
        this.pause();
        this.setDay(this.day + (e.key === 'PageUp' ? 30 : -30), { source: 'slider' });
      }
    });
    this.slider.addEventListener('pointerdown', () => this.pause());
    this.playBtn.addEventListener('click', () => this.toggle());
    this.speed.addEventListener('change', () => { if (this.timer) this.play(); });
    this.chart.addEventListener('click', (e) => {
      const rect = this.chart.getBoundingClientRect();
      this.pause();
      this.setDay(this.dayAtX(e.clientX - rect.left), { source: 'chart' });
    });
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => this.drawChart()).observe(this.chart);
    } else {
      window.addEventListener('resize', () => this.drawChart());
    }
  }

  get playing() { return Boolean(this.timer); }

  setDay(day, { silent = false, source = 'code' } = {}) {
    const d = Math.min(this.max, Math.max(this.min, Math.round(day)));
    this.day = d;
    if (Number(this.slider.value) !== d) this.slider.value = String(d);
    const words = longDate(d);
    this.words.textContent = words;
    this.slider.setAttribute('aria-valuetext', words);
    this.drawCursor();
    if (!silent && this.onChange) this.onChange(d, { source });
  }

  setMonthly(months) {
    this.months = months;
    this.drawChart();
  }

  toggle() { if (this.timer) this.pause(); else this.play(); }

  play() {
    clearInterval(this.timer);
    if (this.day >= this.max) this.setDay(this.min, { source: 'play' });
    const speed = SPEEDS[this.speed.value] || SPEEDS.normal;
    this.timer = setInterval(() => {
      if (this.day >= this.max) { this.pause(); return; }
      this.setDay(this.day + 1, { source: 'play' });
    }, 1000 / speed.daysPerSecond);
    this.playBtn.setAttribute('aria-label', 'Pause');
    this.playBtn.classList.add('is-playing');
    this.playBtn.querySelector('.btn-text').textContent = 'Pause';
    this.root.classList.add('is-playing');
  }

  pause() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = 0;
    this.playBtn.setAttribute('aria-label', 'Play');
    this.playBtn.classList.remove('is-playing');
    this.playBtn.querySelector('.btn-text').textContent = 'Play';
    this.root.classList.remove('is-playing');
    if (this.onChange) this.onChange(this.day, { source: 'pause' });
  }

  // --- chart -------------------------------------------------------------

  xOfDay(day, width) {
    const span = Math.max(1, this.max - this.min);
    return THUMB / 2 + ((day - this.min) / span) * (width - THUMB);
  }

  dayAtX(x) {
    const width = this.chart.clientWidth;
    const span = Math.max(1, this.max - this.min);
    return this.min + ((x - THUMB / 2) / Math.max(1, width - THUMB)) * span;
  }

  drawChart() {
    const width = this.chart.clientWidth;
    const height = this.chart.clientHeight;
    if (!width || !height) return;
    clear(this.chart);
    this.chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const labelH = 15;
    const top = 4;
    const barsH = height - labelH - top;
    const maxTotal = Math.max(1, ...this.months.map((m) => m.total));
    const barsGroup = svg('g', { class: 'bars' });
    const labels = svg('g', { class: 'month-labels' });
    let busiest = null;
    let lastLabelEnd = -Infinity;
    for (const m of this.months) {
      if (!busiest || m.total > busiest.total) busiest = m;
      const x0 = this.xOfDay(Math.max(m.start, this.min), width);
      const x1 = this.xOfDay(Math.min(m.end + 1, this.max + 1), width);
      const w = Math.max(1, x1 - x0 - 2);
      let y = top + barsH;
      const bar = svg('g', { class: 'bar', dataset: { start: m.start } },
        svg('title', null, `${MONTHS_SHORT[m.month]} ${m.year}: ${m.total} incident${m.total === 1 ? '' : 's'} in force`));
      bar.appendChild(svg('rect', { class: 'bar-bg', x: x0 + 1, y: top, width: w, height: barsH }));
      for (const c of CATEGORIES) {
        const n = m.byCategory[c.id] || 0;
        if (!n) continue;
        const h = (n / maxTotal) * barsH;
        y -= h;
        bar.appendChild(svg('rect', {
          class: 'bar-seg', x: x0 + 1, y, width: w, height: Math.max(0, h - 0.5), fill: c.color,
        }));
      }
      barsGroup.appendChild(bar);
      // Month labels: "Jan 2020", "Feb"… when bars are wide; "2020", "F"… when narrow;
      // a label that would run into the previous one is left out.
      const wide = w > 30;
      const first = m.month === 0 || m === this.months[0];
      let text;
      if (wide) text = first ? `${MONTHS_SHORT[m.month]} ${m.year}` : MONTHS_SHORT[m.month];
      else text = first ? String(m.year) : MONTHS_SHORT[m.month][0];
      const textW = text.length * 6.4;
      if (x0 + 2 >= lastLabelEnd + 3) {
        labels.appendChild(svg('text', { x: x0 + 2, y: height - 3, class: first ? 'year-start' : null }, text));
        lastLabelEnd = x0 + 2 + textW;
      }
    }
    this.chart.appendChild(barsGroup);
    this.chart.appendChild(labels);
    this.cursor = svg('line', { class: 'cursor', x1: 0, x2: 0, y1: 0, y2: top + barsH });
    this.chart.appendChild(this.cursor);
    this.chart.setAttribute('aria-label', busiest
      ? `Bar chart: incidents in force per month. The most is ${busiest.total} in ${MONTHS_SHORT[busiest.month]} ${busiest.year}.`
      : 'Bar chart: incidents in force per month.');
    this.drawCursor();
  }

  drawCursor() {
    if (!this.cursor) return;
    const x = this.xOfDay(this.day, this.chart.clientWidth);
    this.cursor.setAttribute('x1', x);
    this.cursor.setAttribute('x2', x);
  }
}

export { SPEEDS };
