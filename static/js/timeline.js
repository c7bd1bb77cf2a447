// The timeline band: the date in words, play/pause with four speeds and a
// loop, steps of a day, a week and a month, the time mode (in force on the
// day, everything up to it, or within N days of it), the chart, the slider.
//
// The chart counts incidents per week, stacked by category: solid for those
// whose date is known to the day or week, hatched for those known only to
// the month, season or year, which stand over their whole span — so a date
// known to "some time in 2020" reads as a plateau across 2020, not as a bar
// in one month. The selected incident's span is marked under the bars.
//
// Keys anywhere on the timeline (but in its form fields): ← → a day,
// Shift+← → a week, Page Up/Down a month, Home/End the ends, Space play/pause.

import { svg, clear } from './dom.js';
import { longDate, monthsBetween, addMonths, monthTick } from './dates.js';
import { CATEGORIES } from './categories.js';
import { t } from './i18n.js';

export const SPEEDS = {
  slow: { daysPerSecond: 4 },
  normal: { daysPerSecond: 12 },
  fast: { daysPerSecond: 30 },
  faster: { daysPerSecond: 90 },
};
const THUMB = 22; // px; must match the slider thumb in app.css
const BIN = 7; // days a bar stands for
const PRECISE = new Set(['day', 'week']);

/** Moves a day number by a step: "+1d", "-1w", "+1m" (a month keeps the day of the month where it can). */
export function stepDay(day, step) {
  const m = /^([+-])1([dwm])$/.exec(step);
  if (!m) return day;
  const sign = m[1] === '-' ? -1 : 1;
  if (m[2] === 'd') return day + sign;
  if (m[2] === 'w') return day + 7 * sign;
  const d = new Date(day * 86400000);
  const target = addMonths(day, sign); // the first of the month before or after
  const t0 = new Date(target * 86400000);
  const last = new Date(Date.UTC(t0.getUTCFullYear(), t0.getUTCMonth() + 1, 0)).getUTCDate();
  return target + Math.min(d.getUTCDate(), last) - 1;
}

export class Timeline {
  /**
   * `onChange(day, {source})` for a new day; `onMode(mode, window)` when the
   * time mode changes.
   */
  constructor({ root, minDay, maxDay, day, mode = 'day', window = 30, onChange, onMode }) {
    this.root = root;
    this.min = minDay;
    this.max = maxDay;
    this.onChange = onChange;
    this.onMode = onMode;
    this.slider = root.querySelector('#date-slider');
    this.words = root.querySelector('#date-words');
    this.playBtn = root.querySelector('#play');
    this.speed = root.querySelector('#speed');
    this.loop = root.querySelector('#loop');
    this.modeSelect = root.querySelector('#mode');
    this.windowField = root.querySelector('#window-field');
    this.windowInput = root.querySelector('#window');
    this.chart = root.querySelector('#chart');
    this.bins = [];
    this.span = null;
    this.timer = 0;
    this.mode = mode;
    this.window = window;

    this.slider.min = String(minDay);
    this.slider.max = String(maxDay);
    this.slider.step = '1';
    this.setDay(day, { silent: true });
    this.showMode();

    this.slider.addEventListener('input', () => this.setDay(Number(this.slider.value), { source: 'slider' }));
    this.slider.addEventListener('pointerdown', () => this.pause());
    root.addEventListener('keydown', (e) => this.onKey(e));
    this.playBtn.addEventListener('click', () => this.toggle());
    this.speed.addEventListener('change', () => { if (this.timer) this.play(); });
    for (const btn of root.querySelectorAll('button[data-step]')) {
      btn.addEventListener('click', () => {
        this.pause();
        this.setDay(stepDay(this.day, btn.dataset.step), { source: 'step' });
      });
    }
    if (this.modeSelect) {
      this.modeSelect.addEventListener('change', () => this.changeMode(this.modeSelect.value, this.window));
      this.windowInput.addEventListener('change', () => {
        const n = Math.round(Number(this.windowInput.value));
        if (Number.isFinite(n) && n >= 1 && n <= 366) this.changeMode(this.mode, n);
        else this.windowInput.value = String(this.window);
      });
    }
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

  onKey(e) {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const target = e.target;
    // Form fields keep their own keys; the slider's are ours.
    const field = target.closest('select, input, textarea') && target !== this.slider;
    if (field) return;
    let step = null;
    if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') step = e.shiftKey ? '-1w' : '-1d';
    if (e.key === 'ArrowRight' || e.key === 'ArrowUp') step = e.shiftKey ? '+1w' : '+1d';
    if (e.key === 'PageUp') step = '-1m';
    if (e.key === 'PageDown') step = '+1m';
    if (step) {
      e.preventDefault();
      this.pause();
      this.setDay(stepDay(this.day, step), { source: 'key' });
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      this.pause();
      this.setDay(e.key === 'Home' ? this.min : this.max, { source: 'key' });
    } else if (e.key === ' ' || e.key === 'Spacebar') {
      e.preventDefault();
      this.toggle();
    }
  }

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

  /** Shows a time mode without telling anyone (the state already has it). */
  setMode(mode, window) {
    this.mode = mode;
    this.window = window;
    this.showMode();
  }

  changeMode(mode, window) {
    this.setMode(mode, window);
    if (this.onMode) this.onMode(mode, window);
  }

  showMode() {
    if (this.modeSelect) {
      this.modeSelect.value = this.mode;
      this.windowField.hidden = this.mode !== 'window';
      this.windowInput.value = String(this.window);
    }
    this.root.dataset.mode = this.mode;
    this.drawCursor();
  }

  /** Weekly bins from IncidentSource.counts: [{start, end, precise: {cat: n}, imprecise: {cat: n}}]. */
  setBins(bins) {
    this.bins = bins;
    this.drawChart();
  }

  /** Marks an incident's span [from, to] under the bars (null for none). */
  setSpan(span) {
    this.span = span;
    this.drawSpan();
  }

  toggle() { if (this.timer) this.pause(); else this.play(); }

  play() {
    clearInterval(this.timer);
    if (this.day >= this.max) this.setDay(this.min, { source: 'play' });
    const speed = SPEEDS[this.speed.value] || SPEEDS.normal;
    this.timer = setInterval(() => {
      if (this.day >= this.max) {
        if (this.loop && this.loop.checked) this.setDay(this.min, { source: 'play' });
        else this.pause();
        return;
      }
      this.setDay(this.day + 1, { source: 'play' });
    }, 1000 / speed.daysPerSecond);
    this.playBtn.setAttribute('aria-label', t('Pause'));
    this.playBtn.classList.add('is-playing');
    this.playBtn.querySelector('.btn-text').textContent = t('Pause');
    this.root.classList.add('is-playing');
  }

  pause() {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = 0;
    this.playBtn.setAttribute('aria-label', t('Play'));
    this.playBtn.classList.remove('is-playing');
    this.playBtn.querySelector('.btn-text').textContent = t('Play');
    this.root.classList.remove('is-playing');
    if (this.onChange) this.onChange(this.day, { source: 'pause' });
  }

  // --- chart -------------------------------------------------------------

  xOfDay(day, width) {
    const span = Math.max(1, this.max + 1 - this.min);
    return THUMB / 2 + ((day - this.min) / span) * (width - THUMB);
  }

  dayAtX(x) {
    const width = this.chart.clientWidth;
    const span = Math.max(1, this.max + 1 - this.min);
    return this.min + ((x - THUMB / 2) / Math.max(1, width - THUMB)) * span;
  }

  drawChart() {
    const width = this.chart.clientWidth;
    const height = this.chart.clientHeight;
    if (!width || !height) return;
    clear(this.chart);
    this.chart.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.geom = { width, height, labelH: 15, top: 4, spanH: 6 };
    const { labelH, top, spanH } = this.geom;
    const barsH = height - labelH - top - spanH - 2;
    this.geom.barsH = barsH;
    const defs = svg('defs');
    for (const c of CATEGORIES) {
      defs.appendChild(svg('pattern', {
        id: `hatch-${c.id}`, patternUnits: 'userSpaceOnUse', width: 4, height: 4, patternTransform: 'rotate(45)',
      }, svg('rect', { width: 4, height: 4, fill: c.color, 'fill-opacity': 0.28 }),
      svg('rect', { width: 1.6, height: 4, fill: c.color })));
    }
    this.chart.appendChild(defs);
    const totals = this.bins.map((b) => CATEGORIES.reduce((s, c) => s + (b.precise[c.id] || 0) + (b.imprecise[c.id] || 0), 0));
    const maxTotal = Math.max(1, ...totals);
    const bars = svg('g', { class: 'bars' });
    this.bins.forEach((b, i) => {
      const x0 = this.xOfDay(b.start, width);
      const x1 = this.xOfDay(b.end + 1, width);
      const w = Math.max(1, x1 - x0 - 1);
      let y = top + barsH;
      const bar = svg('g', { class: 'bar' }, svg('title', null, t('{n} in force in the week of {date}', { n: totals[i], date: longDate(b.start) })));
      bar.appendChild(svg('rect', { class: 'bar-bg', x: x0, y: top, width: w, height: barsH }));
      for (const [kind, fill] of [['precise', (c) => c.color], ['imprecise', (c) => `url(#hatch-${c.id})`]]) {
        for (const c of CATEGORIES) {
          const n = b[kind][c.id] || 0;
          if (!n) continue;
          const h = (n / maxTotal) * barsH;
          y -= h;
          bar.appendChild(svg('rect', { class: `bar-seg bar-${kind}`, x: x0, y, width: w, height: Math.max(0, h - 0.4), fill: fill(c) }));
        }
      }
      bars.appendChild(bar);
    });
    this.chart.appendChild(bars);
    // The period the map shows, over the bars (they are opaque).
    this.shade = svg('rect', { class: 'mode-shade', x: 0, y: top, width: 0, height: barsH });
    this.chart.appendChild(this.shade);
    this.chart.appendChild(this.monthLabels(width, height));
    this.spanMark = svg('g', { class: 'span-mark' });
    this.chart.appendChild(this.spanMark);
    this.cursor = svg('line', { class: 'cursor', x1: 0, x2: 0, y1: 0, y2: top + barsH });
    this.chart.appendChild(this.cursor);
    const busiest = totals.indexOf(Math.max(...totals));
    this.chart.setAttribute('aria-label', busiest >= 0 && this.bins.length
      ? t('Chart of incidents in force per week, hatched where the date is known only to the month, season or year; the most, {n}, in the week of {date}.', { n: totals[busiest], date: longDate(this.bins[busiest].start) })
      : t('Chart of incidents in force per week.'));
    this.drawSpan();
    this.drawCursor();
  }

  monthLabels(width, height) {
    const labels = svg('g', { class: 'month-labels' });
    let lastEnd = -Infinity;
    for (const m of monthsBetween(this.min, this.max)) {
      const x0 = this.xOfDay(Math.max(m.start, this.min), width);
      const monthW = this.xOfDay(m.end + 1, width) - x0;
      const first = m.month === 0 || m.start <= this.min;
      const wide = monthW > 30;
      const text = monthTick(m.year, m.month, { first, narrow: !wide });
      if (x0 + 2 >= lastEnd + 3) {
        const node = svg('text', { x: x0 + 2, y: height - 3, class: first ? 'year-start' : null }, text);
        labels.appendChild(node);
        this.chart.appendChild(labels); // measured in place (Korean is wider than its letters suggest)
        lastEnd = x0 + 2 + node.getComputedTextLength();
      }
    }
    return labels;
  }

  drawSpan() {
    if (!this.spanMark || !this.geom) return;
    clear(this.spanMark);
    if (!this.span) return;
    const { width, top, barsH, spanH } = this.geom;
    const [from, to] = this.span;
    const x0 = this.xOfDay(Math.max(from, this.min), width);
    const x1 = Math.max(x0 + 3, this.xOfDay(Math.min(to, this.max) + 1, width));
    const y = top + barsH + 1;
    this.spanMark.append(
      svg('rect', { class: 'span-band', x: x0, y: top, width: x1 - x0, height: barsH }),
      svg('rect', { class: 'span-bar', x: x0, y, width: x1 - x0, height: spanH, rx: 2 }));
  }

  drawCursor() {
    if (!this.cursor || !this.geom) return;
    const { width, top, barsH } = this.geom;
    const x = this.xOfDay(this.day, width);
    this.cursor.setAttribute('x1', x);
    this.cursor.setAttribute('x2', x);
    // The period the map shows: everything up to the day, or N days either side.
    let from = this.day;
    let to = this.day;
    if (this.mode === 'cumulative') from = this.min;
    if (this.mode === 'window') { from = this.day - this.window; to = this.day + this.window; }
    const x0 = this.xOfDay(Math.max(this.min, from), width);
    const x1 = this.xOfDay(Math.min(this.max, to) + 1, width);
    this.shade.setAttribute('x', x0);
    this.shade.setAttribute('width', this.mode === 'day' ? 0 : Math.max(0, x1 - x0));
    this.shade.setAttribute('y', top);
    this.shade.setAttribute('height', barsH);
  }
}

export { BIN, PRECISE };
