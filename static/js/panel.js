// The side panel (a bottom sheet on phones): the list of incidents in force on
// the chosen day, and the card of the selected incident. All data text goes
// in through textContent (dom.js).

import { el, clear, externalLink, safeHttpUrl } from './dom.js';
import { category, verification, LOCATION_PRECISION, PLACE_KINDS } from './categories.js';
import { incidentDateText, shortDate, longDate } from './dates.js';

export const OFF_MAP_HEADING = 'No single location / outside the map';
const OFF_MAP_NOTE = 'These concern the whole country or happened abroad (Geneva, New York, Thailand…), so they have no marker on the map.';

export function categoryChip(catId, { full = true } = {}) {
  const cat = category(catId);
  return el('span', { class: ['chip', `cat-${cat.id}`] },
    el('span', { class: 'chip-letter', 'aria-hidden': 'true', style: { background: cat.color, color: cat.ink } }, cat.letter),
    el('span', { class: 'chip-label' }, full ? cat.label : cat.short));
}

function verificationBadge(props) {
  const v = verification(props.verification, props.verification_label);
  return el('span', { class: ['badge', `badge-${v.level}`] }, props.verification === 'single_source' ? v.label : (props.verification_label || v.label));
}

export class Panel {
  constructor({ root, onSelect, onClose, onShowOnMap }) {
    this.root = root;
    this.onSelect = onSelect;
    this.onClose = onClose;
    this.onShowOnMap = onShowOnMap;
    this.listView = root.querySelector('#list-view');
    this.list = root.querySelector('#incident-list');
    this.heading = root.querySelector('#list-heading');
    this.cardView = root.querySelector('#card');
    this.handle = root.querySelector('#sheet-handle');
    this.handleText = root.querySelector('#sheet-handle-text');
    // The embed opens its sheet from a button on the map, which shows the count too.
    this.opener = document.querySelector('#sheet-open');
    this.openerText = document.querySelector('#sheet-open-text');
    this.selectedId = null;
    this.lastListFocusId = null;

    this.list.addEventListener('click', (e) => {
      const btn = e.target.closest('button[data-id]');
      if (btn) {
        this.lastListFocusId = btn.dataset.id;
        this.onSelect(btn.dataset.id, { source: 'list' });
      }
    });
    // Arrow keys move between the list's buttons.
    this.list.addEventListener('keydown', (e) => {
      if (!['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
      const buttons = [...this.list.querySelectorAll('button[data-id]')];
      const i = buttons.indexOf(document.activeElement);
      if (i < 0) return;
      e.preventDefault();
      let j = i;
      if (e.key === 'ArrowDown') j = Math.min(buttons.length - 1, i + 1);
      if (e.key === 'ArrowUp') j = Math.max(0, i - 1);
      if (e.key === 'Home') j = 0;
      if (e.key === 'End') j = buttons.length - 1;
      buttons[j].focus();
    });
    if (this.handle) {
      this.handle.addEventListener('click', () => this.setSheetOpen(!this.sheetOpen, { focus: Boolean(this.opener) }));
    }
    if (this.opener) {
      this.opener.addEventListener('click', () => this.setSheetOpen(!this.sheetOpen, { focus: true }));
      // Over the embed's map the sheet is a dialog-like layer: Escape closes it.
      root.addEventListener('keydown', (e) => {
        if (e.key === 'Escape' && this.sheetOpen && !e.defaultPrevented) {
          e.preventDefault();
          this.setSheetOpen(false, { focus: true });
        }
      });
    }
  }

  get sheetOpen() { return this.root.classList.contains('is-open'); }

  /** Opens or closes the sheet; with `focus`, focus goes into it or back to its opener. */
  setSheetOpen(open, { focus = false } = {}) {
    this.root.classList.toggle('is-open', open);
    if (this.handle) this.handle.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (this.opener) this.opener.setAttribute('aria-expanded', open ? 'true' : 'false');
    document.body.classList.toggle('sheet-is-open', open);
    if (!focus) return;
    if (open) {
      const target = this.cardView.hidden ? this.heading : this.cardView.querySelector('.card-title');
      (target || this.heading).focus({ preventScroll: true });
    } else {
      (this.opener || this.handle).focus({ preventScroll: true });
    }
  }

  setOpenerText(text) {
    if (this.openerText) this.openerText.textContent = text;
  }

  /** Renders the list for `day`: on-map incidents, then the off-map ones under their own heading. */
  renderList(items, day, { total, hiddenByFilter = 0 } = {}) {
    this.searching = false;
    const onMap = items.filter((it) => !it.offMap);
    const offMap = items.filter((it) => it.offMap);
    const n = items.length;
    this.heading.textContent = `${n} incident${n === 1 ? '' : 's'} in force`;
    this.root.querySelector('#list-date').textContent = `on ${longDate(day)}`;
    if (this.handleText) this.handleText.textContent = `${n} incident${n === 1 ? '' : 's'} in force · ${shortDate(day)}`;
    this.setOpenerText(`${n} incident${n === 1 ? '' : 's'}`);
    const focusedId = document.activeElement && this.list.contains(document.activeElement)
      ? document.activeElement.dataset.id : null;
    clear(this.list);
    if (!n) {
      this.list.appendChild(el('p', { class: 'empty' },
        total ? 'No incident in force on this day in the selected categories.' : 'No incident in force on this day.'));
    }
    if (onMap.length) {
      this.list.appendChild(el('h3', { class: 'list-section' }, `On the map (${onMap.length})`));
      this.list.appendChild(this.renderItems(onMap));
    }
    if (offMap.length) {
      this.list.appendChild(el('h3', { class: 'list-section list-section-offmap', id: 'offmap-heading' },
        `${OFF_MAP_HEADING} (${offMap.length})`));
      this.list.appendChild(el('p', { class: 'list-note' }, OFF_MAP_NOTE));
      this.list.appendChild(this.renderItems(offMap, 'offmap-heading'));
    }
    if (hiddenByFilter > 0) {
      this.list.appendChild(el('p', { class: 'list-note' },
        `${hiddenByFilter} more in force in categories that are switched off.`));
    }
    if (focusedId) {
      const again = this.list.querySelector(`button[data-id="${CSS.escape(focusedId)}"]`);
      if (again) again.focus();
    }
  }

  /**
   * Search mode: `items` match `text` at any date, in date order; `matched` is
   * how many the server found. The day's list comes back with renderList once
   * the search is cleared.
   */
  renderSearch(text, items, { matched = items.length, hiddenByFilter = 0, error = null } = {}) {
    this.searching = true;
    const n = items.length;
    const matches = `${matched} incident${matched === 1 ? '' : 's'} match “${text}”`;
    this.heading.textContent = error ? 'The search failed' : matches;
    this.root.querySelector('#list-date').textContent = error || 'at any date, oldest first: choose one to go to its date';
    if (this.handleText) this.handleText.textContent = error ? 'Search failed' : matches;
    this.setOpenerText(error ? 'Search failed' : `${matched} match${matched === 1 ? '' : 'es'}`);
    clear(this.list);
    if (error) return;
    if (!n) {
      this.list.appendChild(el('p', { class: 'empty' }, matched
        ? 'Every match is in a category that is switched off.'
        : 'Nothing matches. Each word must appear in the title, summary, place names or the outlet; words match from their start, so “phone” finds “phones”.'));
    } else {
      this.list.appendChild(this.renderItems(items, 'list-heading'));
    }
    if (hiddenByFilter > 0) {
      this.list.appendChild(el('p', { class: 'list-note' }, `${hiddenByFilter} more in categories that are switched off.`));
    }
    if (matched > n + hiddenByFilter) {
      this.list.appendChild(el('p', { class: 'list-note' }, `Showing the first ${n + hiddenByFilter}: add a word to narrow the search.`));
    }
  }

  renderItems(items, labelledBy) {
    return el('ul', { class: 'incident-items', 'aria-labelledby': labelledBy },
      items.map((it) => {
        const p = it.props;
        const selected = it.id === this.selectedId;
        return el('li', null,
          el('button', {
            type: 'button', class: ['incident-item', selected && 'is-selected', `cat-${it.category}`],
            dataset: { id: it.id }, 'aria-current': selected ? 'true' : undefined,
          },
          el('span', { class: 'item-title' }, p.title || it.id),
          el('span', { class: 'item-meta' },
            categoryChip(it.category, { full: false }),
            el('span', { class: 'item-date' }, incidentDateText(p)),
            p.date_inferred ? el('span', { class: 'badge badge-muted' }, 'date inferred') : null,
            p.verification === 'single_source' ? el('span', { class: 'badge badge-warn' }, 'one source, unverified') : null)));
      }));
  }

  markSelected(id) {
    this.selectedId = id;
    for (const btn of this.list.querySelectorAll('button[data-id]')) {
      const on = btn.dataset.id === id;
      btn.classList.toggle('is-selected', on);
      if (on) btn.setAttribute('aria-current', 'true'); else btn.removeAttribute('aria-current');
    }
  }

  /** Shows the card of `item`; `day` is the slider's day (to say whether it is in force then). */
  showCard(item, day, { focus = false } = {}) {
    this.selectedId = item.id;
    this.markSelected(item.id);
    const p = item.props;
    const card = this.cardView;
    clear(card);
    const inForce = item.from <= day && day <= item.to;
    const v = verification(p.verification, p.verification_label);
    const places = Array.isArray(p.places) ? p.places : [];
    const sources = Array.isArray(p.sources) ? p.sources : [];

    const title = el('h2', { class: 'card-title', id: 'card-title', tabindex: '-1' }, p.title || item.id);
    card.appendChild(el('div', { class: 'card-top' },
      el('button', { type: 'button', class: 'back-btn', onclick: () => this.onClose() },
        el('span', { 'aria-hidden': 'true' }, '← '), this.searching ? 'Back to the search results' : 'All incidents in force'),
      categoryChip(item.category)));
    card.appendChild(title);
    if (!inForce) {
      card.appendChild(el('p', { class: 'notice' },
        `Not in force on ${longDate(day)}. On the map from ${shortDate(item.from)} to ${shortDate(item.to)}.`));
    }
    if (p.summary) card.appendChild(el('p', { class: 'card-summary' }, p.summary));

    const facts = el('dl', { class: 'facts' });
    const fact = (term, ...desc) => {
      facts.appendChild(el('dt', null, term));
      facts.appendChild(el('dd', null, ...desc));
    };
    fact('When',
      el('span', { class: 'fact-main' }, incidentDateText(p)),
      p.date_inferred ? el('span', { class: 'badge badge-muted' }, 'date inferred') : null,
      p.date_note ? el('span', { class: 'fact-note' }, p.date_inferred ? `Inferred: ${p.date_note}` : p.date_note) : null,
      el('span', { class: 'fact-note' }, `Shown on the map ${item.from === item.to ? `on ${shortDate(item.from)}` : `from ${shortDate(item.from)} to ${shortDate(item.to)}`}.`));
    fact('Where',
      places.length
        ? el('ul', { class: 'place-list' }, places.map((pl) => el('li', null,
          pl.name || pl.id, pl.kind ? el('span', { class: 'fact-note-inline' }, ` (${(PLACE_KINDS[pl.kind] || pl.kind).toLowerCase()})`) : null)))
        : el('span', { class: 'fact-main' }, 'No named place'),
      p.location_precision ? el('span', { class: 'fact-note' }, `Location precision: ${LOCATION_PRECISION[p.location_precision] || p.location_precision}`) : null,
      p.location_note ? el('span', { class: 'fact-note' }, p.location_note) : null,
      item.offMap
        ? el('span', { class: 'fact-note offmap-note' }, 'No single location on this map: listed without a marker.')
        : el('button', { type: 'button', class: 'link-btn', onclick: () => this.onShowOnMap(item.id) }, 'Show on map'));
    fact('Verification',
      el('span', { class: ['badge', `badge-${v.level}`] }, p.verification === 'single_source' ? v.label : (p.verification_label || v.label)),
      p.verification_note ? el('span', { class: 'fact-note' }, p.verification_note) : null);
    card.appendChild(facts);

    if (p.contradictions) {
      card.appendChild(el('div', { class: 'contradictions', role: 'note' },
        el('h3', null, el('span', { 'aria-hidden': 'true', class: 'warn-icon' }, '⚠'), ' Contradictions between reports'),
        el('p', null, p.contradictions)));
    }

    if (sources.length) {
      card.appendChild(el('h3', { class: 'sources-heading' }, sources.length === 1 ? 'Source' : `Sources (${sources.length})`));
      card.appendChild(el('ol', { class: 'sources' }, sources.map((s) => el('li', { class: 'source' },
        el('span', { class: 'source-outlet' }, s.outlet || 'Unknown outlet'),
        s.original_reporter ? el('span', { class: 'source-reporter' }, ` reporting ${s.original_reporter}`) : null,
        s.headline ? el('span', { class: 'source-headline' },
          externalLink(s.url, `“${s.headline}”`),
          // Say so when there is no usable link.
          safeHttpUrl(s.url) ? null : el('span', { class: 'fact-note-inline' }, ' (no link)')) : null,
        s.published ? el('span', { class: 'source-date' },
          // A date the report does not print is our estimate: say so, and why.
          s.published_inferred ? `Published about ${shortDate(s.published) || s.published} ` : `Published ${shortDate(s.published) || s.published}`,
          s.published_inferred ? el('span', { class: 'badge badge-muted' }, 'date inferred') : null) : null,
        s.published_inferred && s.published_note ? el('span', { class: 'source-note' }, s.published_note) : null))));
    }
    if (p.research_ref) card.appendChild(el('p', { class: 'card-ref' }, `Incident ${item.id} · research note ${p.research_ref}`));
    else card.appendChild(el('p', { class: 'card-ref' }, `Incident ${item.id}`));

    this.listView.hidden = true;
    card.hidden = false;
    this.root.classList.add('has-card');
    this.root.querySelector('.panel-scroll').scrollTop = 0;
    if (focus) title.focus({ preventScroll: true });
  }

  hideCard({ focus = false } = {}) {
    this.selectedId = null;
    this.markSelected(null);
    this.cardView.hidden = true;
    clear(this.cardView);
    this.listView.hidden = false;
    this.root.classList.remove('has-card');
    if (focus) {
      const btn = this.lastListFocusId
        && this.list.querySelector(`button[data-id="${CSS.escape(this.lastListFocusId)}"]`);
      (btn || this.heading).focus({ preventScroll: false });
    }
  }
}
