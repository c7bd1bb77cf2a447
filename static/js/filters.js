// The filters: categories (as chips in the top bar on wide screens), how sure
// a report is, and outlets (in the filters panel, with the categories on
// narrow screens). The state is three sets of codes; null means "all".

import { el } from './dom.js';
import { CATEGORIES, VERIFICATION } from './categories.js';
import { t } from './i18n.js';

// Chips need the top bar to themselves: the width where they and the other buttons fit.
const wide = window.matchMedia('(min-width: 1500px)');
const VERIFICATION_IDS = Object.keys(VERIFICATION);

/**
 * Reads the link's `src` list: source ids, or outlet names in any case (an
 * outlet stands for all its sources). Unknown ones are reported.
 */
export function resolveSources(raw, outlets, problems) {
  if (!raw) return null;
  const ids = new Set();
  const bad = [];
  for (const token of raw) {
    const byId = outlets.find((o) => o.ids.includes(token));
    const byName = outlets.find((o) => o.outlet.toLowerCase() === token.toLowerCase());
    if (byId) ids.add(token);
    else if (byName) byName.ids.forEach((id) => ids.add(id));
    else bad.push(token);
  }
  if (bad.length) {
    problems.push(ids.size
      ? t('The link names sources this map does not have ({list}); they are left out.', { list: bad.join(', ') })
      : t('The link names sources this map does not have ({list}), so that filter is not applied.', { list: bad.join(', ') }));
  }
  return ids.size ? ids : null;
}

function checkbox(name, value, checked, label, extra) {
  const id = `${name}-${value}`.replace(/[^A-Za-z0-9_-]/g, '_');
  const input = el('input', { type: 'checkbox', name, value, id });
  input.checked = checked;
  return el('label', { class: ['filter-option', `filter-${name}`], for: id }, input, extra || null, el('span', { class: 'filter-name' }, label));
}

export class Filters {
  /** `state`: {categories, verifications, sources} as Sets (null: all); `onChange(filters)`. */
  constructor({ outlets, state, onChange }) {
    this.outlets = outlets;
    this.onChange = onChange;
    this.root = document.querySelector('#filters');
    this.chips = document.querySelector('#category-filter');
    this.panel = document.querySelector('#filters-panel');
    this.toggle = document.querySelector('#filters-toggle');
    this.verBox = document.querySelector('#verification-filter');
    this.outletBox = document.querySelector('#outlet-filter');
    if (!this.root) return; // the embed has no filter bar: its filters come from the URL
    for (const c of CATEGORIES) {
      this.chips.appendChild(checkbox('category', c.id, true, c.short,
        el('span', { class: 'chip-letter', 'aria-hidden': 'true', style: { background: c.color, color: c.ink } }, c.letter)));
    }
    for (const [id, v] of Object.entries(VERIFICATION)) this.verBox.appendChild(checkbox('verification', id, true, t(v.label)));
    for (const o of outlets) this.outletBox.appendChild(checkbox('outlet', o.outlet, true, o.outlet));
    this.set(state);
    this.root.addEventListener('change', () => {
      this.count();
      this.onChange(this.value);
    });
    this.toggle.addEventListener('click', () => this.open(this.toggle.getAttribute('aria-expanded') !== 'true'));
    document.addEventListener('click', (e) => { if (this.isOpen && !this.root.contains(e.target)) this.open(false); });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.isOpen) {
        this.open(false);
        this.toggle.focus();
      }
    });
    // The chips live in the top bar when there is room for them, else in the panel.
    const place = () => {
      if (wide.matches) this.root.insertBefore(this.chips, this.toggle);
      else this.panel.insertBefore(this.chips, this.panel.firstChild);
      this.toggle.querySelector('.btn-text').textContent = wide.matches ? t('How sure · Outlets') : t('Filters');
    };
    wide.addEventListener('change', place);
    place();
  }

  get isOpen() { return this.toggle.getAttribute('aria-expanded') === 'true'; }

  open(on) {
    this.toggle.setAttribute('aria-expanded', on ? 'true' : 'false');
    this.panel.hidden = !on;
    this.root.classList.toggle('is-open', on);
  }

  /** Ticks the boxes for a state (from the URL, or Back and Forward). */
  set({ categories, verifications, sources }) {
    if (!this.root) return;
    const tick = (name, on) => {
      for (const input of this.root.querySelectorAll(`input[name="${name}"]`)) input.checked = on(input.value);
    };
    tick('category', (v) => !categories || categories.has(v));
    tick('verification', (v) => !verifications || verifications.has(v));
    tick('outlet', (name) => !sources || this.outlets.find((o) => o.outlet === name).ids.some((id) => sources.has(id)));
    this.count();
  }

  /** The filters the boxes say: {categories, verifications, sources}, null where all are ticked. */
  get value() {
    const ticked = (name) => [...this.root.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
    const cats = ticked('category');
    const vers = ticked('verification');
    const outlets = ticked('outlet');
    return {
      categories: cats.length === CATEGORIES.length ? null : new Set(cats),
      verifications: vers.length === VERIFICATION_IDS.length ? null : new Set(vers),
      sources: outlets.length === this.outlets.length ? null
        : new Set(this.outlets.filter((o) => outlets.includes(o.outlet)).flatMap((o) => o.ids)),
    };
  }

  count() {
    const off = this.root.querySelectorAll('input:not(:checked)').length;
    const n = this.root.querySelector('#filters-count');
    n.textContent = off ? t('({n} off)', { n: off }) : '';
  }
}
