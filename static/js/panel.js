// The side panel (a bottom sheet on phones): the list of incidents in force on
// the chosen day, and the card of the selected incident. All data text goes
// in through textContent (dom.js).

import { el, clear, externalLink, safeHttpUrl } from './dom.js';
import { category, verification, LOCATION_PRECISION, PLACE_KINDS } from './categories.js';
import { incidentDateWords, shortDate, longDate } from './dates.js';
import { isInForce } from './incidents.js';
import { placeNames, distanceText } from './places.js';
import { t, count, number, localized, englishData, language } from './i18n.js';
import { pageURL } from './site.js';
import { placeName } from './describe.js';

const LIST_FIRST = 150;
export const OFF_MAP_HEADING = 'No single location / outside the map';
const OFF_MAP_NOTE = 'These concern the whole country or happened abroad (Geneva, New York, Thailand…), so they have no marker on the map.';

/** The list's heading for a time mode: how many, and over which days. */
export function periodWords(n, { mode, day, from, to }) {
  if (mode === 'cumulative') return { heading: count(n, '{n} incident up to this day', '{n} incidents up to this day'), when: t('from {from} to {to}', { from: shortDate(from), to: longDate(day) }) };
  if (mode === 'window') return { heading: count(n, '{n} incident within the window', '{n} incidents within the window'), when: t('between {from} and {to}', { from: shortDate(from), to: shortDate(to) }) };
  return { heading: count(n, '{n} incident in force', '{n} incidents in force'), when: t('on {date}', { date: longDate(day) }) };
}

export function categoryChip(catId, { full = true } = {}) {
  const cat = category(catId);
  return el('span', { class: ['chip', `cat-${cat.id}`] },
    el('span', { class: 'chip-letter', 'aria-hidden': 'true', style: { background: cat.color, color: cat.ink } }, cat.letter),
    el('span', { class: 'chip-label' }, t(full ? cat.label : cat.short)));
}

export class Panel {
  constructor({ root, onSelect, onClose, onShowOnMap, onPlace }) {
    this.root = root;
    this.onSelect = onSelect;
    this.onClose = onClose;
    this.onShowOnMap = onShowOnMap;
    this.onPlace = onPlace;
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
      const place = e.target.closest('button[data-place-id]');
      if (place && this.onPlace) this.onPlace(place.dataset.placeId);
    });
    // Escape on the card closes it, and focus goes back to what opened it.
    this.cardView.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        e.stopPropagation();
        this.onClose();
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

  /**
   * Renders the list of what the map shows: on-map incidents, then the
   * off-map ones under their own heading. `period` is {mode, day, from, to};
   * `hidden` how many more the filters hide.
   */
  renderList(items, period, { hidden = 0, more = 0 } = {}) {
    this.searching = false;
    const onMap = items.filter((it) => !it.offMap);
    const offMap = items.filter((it) => it.offMap);
    const n = items.length;
    // The heading counts them all, listed or not: at a hundred thousand
    // incidents a day may have more in force than one list holds.
    const words = periodWords(n + more, period);
    this.heading.textContent = words.heading;
    this.root.querySelector('#list-date').textContent = words.when;
    if (this.handleText) this.handleText.textContent = `${words.heading} · ${shortDate(period.day)}`;
    this.setOpenerText(count(n + more, '{n} incident', '{n} incidents'));
    const focusedId = document.activeElement && this.list.contains(document.activeElement)
      ? document.activeElement.dataset.id : null;
    clear(this.list);
    if (!n) {
      this.list.appendChild(el('p', { class: 'empty' },
        hidden ? t('Nothing shown here passes the filters.') : t('No incident in this period.')));
    }
    const day = period.day;
    // Said first, where the reader of the heading sees it.
    if (more > 0) {
      this.list.appendChild(el('p', { class: 'list-note list-cut' },
        count(more, 'The list shows the newest; {n} older one is not listed: narrow the period or the filters.', 'The list shows the newest; {n} older ones are not listed: narrow the period or the filters.')));
    }
    if (onMap.length) {
      this.list.appendChild(el('h3', { class: 'list-section' }, t('On the map ({n})', { n: number(onMap.length) })));
      this.list.appendChild(this.renderItems(onMap, null, day));
    }
    if (offMap.length) {
      this.list.appendChild(el('h3', { class: 'list-section list-section-offmap', id: 'offmap-heading' },
        `${t(OFF_MAP_HEADING)} (${offMap.length})`));
      this.list.appendChild(el('p', { class: 'list-note' }, t(OFF_MAP_NOTE)));
      this.list.appendChild(this.renderItems(offMap, 'offmap-heading', day));
    }
    if (hidden > 0) {
      this.list.appendChild(el('p', { class: 'list-note filter-note' },
        count(hidden, '{n} more is hidden by the filters.', '{n} more are hidden by the filters.')));
    }
    if (focusedId) {
      const again = this.list.querySelector(`button[data-id="${CSS.escape(focusedId)}"]`);
      if (again) again.focus();
    }
  }

  /** Place results of a search, with their names and distance to the border. */
  renderPlaces(places) {
    if (!places.length) return;
    this.list.appendChild(el('h3', { class: 'list-section', id: 'places-heading' }, t('Places ({n})', { n: places.length })));
    this.list.appendChild(el('ul', { class: 'place-items', 'aria-labelledby': 'places-heading' }, places.map((f) => {
      const p = f.properties || {};
      return el('li', null, el('button', { type: 'button', class: 'place-item', dataset: { placeId: String(f.id) } },
        el('span', { class: 'item-title' }, p.name_en || String(f.id), placeNames(p)),
        el('span', { class: 'item-meta' }, [t(PLACE_KINDS[p.kind] || p.kind), distanceText(p)].filter(Boolean).join(' · '))));
    })));
  }

  /** The incidents of a cluster on the map: many at one point in the period shown. */
  renderGroup(items, { place } = {}) {
    this.searching = true;
    this.heading.textContent = place
      ? count(items.length, '{n} incident at {place}', '{n} incidents at {place}').replace('{place}', place)
      : count(items.length, '{n} incident at this point', '{n} incidents at this point');
    this.root.querySelector('#list-date').textContent = t('in the period the map shows');
    this.setOpenerText(count(items.length, '{n} incident', '{n} incidents'));
    clear(this.list);
    this.list.appendChild(el('button', { type: 'button', class: 'link-btn', onclick: () => this.onPlace && this.onPlace(null) }, t('Back to the list')));
    this.list.appendChild(this.renderItems(items, 'list-heading'));
    this.heading.focus({ preventScroll: true });
  }

  /** A place chosen from the search: its incidents at any date. */
  renderPlace(place, items) {
    this.searching = true;
    const p = place.properties || {};
    const name = (language() === 'ko' && (p.country === 'CN' ? p.name_zh || p.name_ko : p.name_ko)) || p.name_en || place.id;
    this.heading.textContent = count(items.length, '{n} incident at {place}', '{n} incidents at {place}').replace('{place}', name);
    this.root.querySelector('#list-date').textContent = [distanceText(p), t('at any date, oldest first')].filter(Boolean).join(' · ');
    this.setOpenerText(count(items.length, '{n} incident', '{n} incidents'));
    clear(this.list);
    if (!items.length) this.list.appendChild(el('p', { class: 'empty' }, t('No incident is tied to this place with these filters.')));
    else this.list.appendChild(this.renderItems(items, 'list-heading'));
  }

  /**
   * Search mode: `items` match `text` at any date, in date order; `matched` is
   * how many the server found. The day's list comes back with renderList once
   * the search is cleared.
   */
  renderSearch(text, items, { matched = items.length, hidden = 0, places = [], error = null } = {}) {
    this.searching = true;
    const matches = count(matched, '{n} incident matches “{text}”', '{n} incidents match “{text}”').replace('{text}', text);
    this.heading.textContent = error ? t('The search failed') : matches;
    this.root.querySelector('#list-date').textContent = error || t('at any date, oldest first: choose one to go to its date');
    if (this.handleText) this.handleText.textContent = error ? t('Search failed') : matches;
    this.setOpenerText(error ? t('Search failed') : count(matched + places.length, '{n} match', '{n} matches'));
    clear(this.list);
    this.renderPlaces(places);
    if (error) return;
    const n = items.length;
    if (places.length) this.list.appendChild(el('h3', { class: 'list-section', id: 'found-heading' }, t('Incidents ({n})', { n: number(matched) })));
    if (!n) {
      this.list.appendChild(el('p', { class: 'empty' }, matched
        ? t('Every match is hidden by the filters.')
        : t('No incident matches. Each word must appear in the title, summary, place names or the outlet; words match from their start and in their other forms, so “phone” finds “phones”.')));
    } else {
      this.list.appendChild(this.renderItems(items, places.length ? 'found-heading' : 'list-heading'));
    }
    if (hidden > 0) {
      this.list.appendChild(el('p', { class: 'list-note filter-note' }, count(hidden, '{n} more is hidden by the filters.', '{n} more are hidden by the filters.')));
    }
    if (matched > n + hidden) {
      this.list.appendChild(el('p', { class: 'list-note' }, t('Showing the first {n}: add a word to narrow the search.', { n: n + hidden })));
    }
  }

  /**
   * A list of incident buttons; with `day`, those not in force that day are
   * marked as earlier or later. A long list shows its first LIST_FIRST and a
   * button for the rest, so that a step of the slider stays quick.
   */
  renderItems(items, labelledBy, day = null) {
    const ul = el('ul', { class: 'incident-items', 'aria-labelledby': labelledBy || undefined });
    const add = (part) => ul.append(...part.map((it) => this.renderItem(it, day)));
    add(items.slice(0, LIST_FIRST));
    if (items.length > LIST_FIRST) {
      const rest = items.slice(LIST_FIRST);
      const more = el('li', { class: 'list-more' }, el('button', {
        type: 'button', class: 'link-btn',
        onclick: () => { more.remove(); add(rest); ul.children[LIST_FIRST].querySelector('button').focus(); },
      }, count(rest.length, 'Show {n} more', 'Show {n} more')));
      ul.appendChild(more);
    }
    return ul;
  }

  renderItem(it, day) {
    const p = it.props;
    const selected = it.id === this.selectedId;
    const off = day !== null && !isInForce(it, day);
    const title = localized(p, 'title');
    return el('li', null,
      el('button', {
        type: 'button', class: ['incident-item', selected && 'is-selected', off && 'is-not-in-force', `cat-${it.category}`],
        dataset: { id: it.id, incidentId: it.id }, 'aria-current': selected ? 'true' : undefined,
      },
      el('span', { class: 'item-title', lang: title.lang }, title.text || it.id),
      el('span', { class: 'item-meta' },
        categoryChip(it.category, { full: false }),
        el('span', { class: 'item-date' }, incidentDateWords(p, { short: true, inferred: true })),
        off ? el('span', { class: 'badge badge-muted' }, it.to < day ? t('ended') : t('later')) : null,
        p.verification === 'single_source' ? el('span', { class: 'badge badge-warn' }, t('one source, unverified')) : null)));
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
    const inForce = isInForce(item, day);
    const v = verification(p.verification, p.verification_label);
    const places = Array.isArray(p.places) ? p.places : [];
    const sources = Array.isArray(p.sources) ? p.sources : [];

    const name = localized(p, 'title');
    const summary = localized(p, 'summary');
    const en = englishData();
    const title = el('h2', { class: 'card-title', id: 'card-title', tabindex: '-1', lang: name.lang }, name.text || item.id);
    card.appendChild(el('div', { class: 'card-top' },
      el('button', { type: 'button', class: 'back-btn', onclick: () => this.onClose() },
        el('span', { 'aria-hidden': 'true' }, '← '), this.searching ? t('Back to the search results') : t('Back to the list')),
      categoryChip(item.category)));
    card.appendChild(title);
    if (!inForce) {
      card.appendChild(el('p', { class: 'notice' },
        t('Not in force on {day}. On the map from {from} to {to}.', { day: longDate(day), from: shortDate(item.from), to: shortDate(item.to) })));
    }
    if (summary.text) card.appendChild(el('p', { class: 'card-summary', lang: summary.lang }, summary.text));

    const facts = el('dl', { class: 'facts' });
    const fact = (term, ...desc) => {
      facts.appendChild(el('dt', null, term));
      facts.appendChild(el('dd', null, ...desc));
    };
    fact(t('When'),
      el('span', { class: 'fact-main' }, incidentDateWords(p)),
      p.date_inferred ? el('span', { class: 'badge badge-muted' }, t('date inferred')) : null,
      p.date_note ? el('span', { class: 'fact-note' }, p.date_inferred ? `${t('Inferred')}: ` : null, el('span', { lang: en }, p.date_note)) : null,
      el('span', { class: 'fact-note' }, item.from === item.to
        ? t('Shown on the map on {day}.', { day: shortDate(item.from) })
        : t('Shown on the map from {from} to {to}.', { from: shortDate(item.from), to: shortDate(item.to) })));
    fact(t('Where'),
      places.length
        ? el('ul', { class: 'place-list' }, places.map((pl) => el('li', null,
          placeName(pl), pl.kind ? el('span', { class: 'fact-note-inline' }, ` (${t(PLACE_KINDS[pl.kind] || pl.kind).toLowerCase()})`) : null)))
        : el('span', { class: 'fact-main' }, t('No named place')),
      p.location_precision ? el('span', { class: 'fact-note' }, `${t('Location precision')}: ${t(LOCATION_PRECISION[p.location_precision] || p.location_precision)}`) : null,
      p.location_note ? el('span', { class: 'fact-note', lang: en }, p.location_note) : null,
      item.offMap
        ? el('span', { class: 'fact-note offmap-note' }, t('No single location on this map: listed without a marker.'))
        : el('button', { type: 'button', class: 'link-btn', onclick: () => this.onShowOnMap(item.id) }, t('Show on map')));
    fact(t('Verification'),
      el('span', { class: ['badge', `badge-${v.level}`] }, t(v.label)),
      p.verification_note ? el('span', { class: 'fact-note', lang: en }, p.verification_note) : null);
    card.appendChild(facts);

    if (p.contradictions) {
      card.appendChild(el('div', { class: 'contradictions', role: 'note' },
        el('h3', null, el('span', { 'aria-hidden': 'true', class: 'warn-icon' }, '⚠'), ` ${t('Contradictions between reports')}`),
        el('p', { lang: en }, p.contradictions)));
    }

    if (sources.length) {
      card.appendChild(el('h3', { class: 'sources-heading' }, sources.length === 1 ? t('Source') : t('Sources ({n})', { n: sources.length })));
      card.appendChild(el('ol', { class: 'sources' }, sources.map((s) => el('li', { class: 'source' },
        el('span', { class: 'source-outlet' }, s.outlet || t('Unknown outlet')),
        s.original_reporter ? el('span', { class: 'source-reporter' }, ` ${t('reporting')} `, el('span', { lang: en }, s.original_reporter)) : null,
        s.headline ? el('span', { class: 'source-headline', lang: en },
          externalLink(s.url, `“${s.headline}”`),
          // Say so when there is no usable link.
          safeHttpUrl(s.url) ? null : el('span', { class: 'fact-note-inline' }, ` (${t('no link')})`)) : null,
        s.published ? el('span', { class: 'source-date' },
          // A date the report does not print is our estimate: say so, and why.
          s.published_inferred ? `${t('Published about {date}', { date: shortDate(s.published) || s.published })} ` : t('Published {date}', { date: shortDate(s.published) || s.published }),
          s.published_inferred ? el('span', { class: 'badge badge-muted' }, t('date inferred')) : null) : null,
        s.published_inferred && s.published_note ? el('span', { class: 'source-note', lang: en }, s.published_note) : null))));
    }
    // Its permanent address, to cite or share (the id itself is for machines).
    card.appendChild(el('p', { class: 'card-ref' }, el('a', { href: pageURL('map', `?incident=${encodeURIComponent(item.id)}`) }, t('Permanent link to this incident'))));

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
