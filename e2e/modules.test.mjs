// Unit tests of the front end's pure modules (no browser, no server): dates,
// the in-force filter, URL state and link checking. Run with `node --test e2e/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayOf, isoOf, longDate, incidentDateWords, monthsBetween, isISODate } from '../static/js/dates.js';
import { IncidentSource, periodOf, isInForce } from '../static/js/incidents.js';
import { buildSearch, readState } from '../static/js/state.js';
import { safeHttpUrl } from '../static/js/dom.js';
import { CATEGORIES } from '../static/js/categories.js';

test('dates: ISO days round-trip and read in words', () => {
  assert.equal(isoOf(dayOf('2020-08-26')), '2020-08-26');
  assert.equal(dayOf('2020-03-01') - dayOf('2020-02-28'), 2, '2020 is a leap year');
  assert.equal(longDate(dayOf('2020-08-26')), 'Wednesday 26 August 2020');
  assert.equal(longDate(dayOf('2021-04-30')), 'Friday 30 April 2021');
  assert.ok(Number.isNaN(dayOf('2020-02-30')));
  assert.equal(isISODate('2020-13-01'), false);
  assert.equal(monthsBetween(dayOf('2020-01-15'), dayOf('2021-04-30')).length, 16);
});

test('dates: an incident date reads as a person would say it, and covers the days the map shows it', () => {
  const w = (from, to, precision, opts) => incidentDateWords({ in_force_from: from, in_force_to: to, date_precision: precision, date_inferred: true }, opts);
  assert.equal(w('2020-08-26', '2020-08-26', 'day'), '26 August 2020');
  assert.equal(w('2020-08-26', '2020-08-27', 'day', { short: true, inferred: true }), '26–27 Aug 2020, inferred');
  assert.equal(w('2020-08-26', '2020-09-03', 'day'), '26 August to 3 September 2020');
  assert.equal(w('2020-05-01', '2020-05-31', 'month'), 'some time in May 2020');
  // Known to the month but bounded by other facts: the words say the bounds, as the map shows them.
  assert.equal(w('2020-05-07', '2020-05-20', 'month'), 'between 7 and 20 May 2020');
  assert.equal(w('2020-06-01', '2020-09-30', 'month'), 'between June and September 2020');
  assert.equal(w('2020-10-10', '2021-03-23', 'month', { short: true }), 'between 10 Oct 2020 and 23 Mar 2021');
  assert.equal(w('2020-01-01', '2020-12-31', 'year'), 'some time in 2020');
  assert.equal(w('2020-03-01', '2020-05-31', 'season'), 'spring 2020');
  assert.equal(w('2020-12-01', '2021-02-28', 'season'), 'winter 2020–21');
  assert.equal(w('2020-06-29', '2020-07-05', 'week'), 'the week of 29 June 2020');
});

test('incidents: the period a time mode shows', () => {
  const d = dayOf('2020-06-15');
  assert.deepEqual(periodOf({ day: d }), [d, d]);
  assert.deepEqual(periodOf({ day: d, mode: 'cumulative', min: dayOf('2020-01-01') }), [dayOf('2020-01-01'), d]);
  assert.deepEqual(periodOf({ day: d, mode: 'window', window: 7 }), [d - 7, d + 7]);
  assert.ok(isInForce({ from: d, to: d }, d) && !isInForce({ from: d + 1, to: d + 2 }, d));
});

function feature(id, from, to, category = 'policy', extra = {}) {
  return {
    type: 'Feature', id, geometry: null,
    properties: { title: id, category, in_force_from: from, in_force_to: to, off_map: true, ...extra },
  };
}

test('incidents: in force on a day is the closed interval, filtered; counted per bin by precision', async () => {
  const src = new IncidentSource([
    feature('a', '2020-08-26', '2020-08-26', 'border_security', { verification: 'single_source', sources: [{ id: 's1', outlet: 'X' }] }),
    feature('b', '2020-08-01', '2020-08-31', 'health', { date_precision: 'month', verification: 'official', sources: [{ id: 's2', outlet: 'Y' }] }),
    feature('c', '2020-08-27', '2020-09-02', 'border_security', { verification: 'single_source', sources: [{ id: 's2', outlet: 'Y' }] }),
  ]);
  const ids = async (iso, filters) => (await src.inForce(dayOf(iso), filters)).map((i) => i.id).sort();
  assert.deepEqual(await ids('2020-08-25'), ['b']);
  assert.deepEqual(await ids('2020-08-26'), ['a', 'b']);
  assert.deepEqual(await ids('2020-08-27'), ['b', 'c']);
  assert.deepEqual(await ids('2020-08-27', { categories: new Set(['border_security']) }), ['c']);
  assert.deepEqual(await ids('2020-08-27', { verifications: new Set(['official']) }), ['b']);
  assert.deepEqual(await ids('2020-08-26', { sources: new Set(['s1']) }), ['a']);
  assert.deepEqual(await ids('2020-09-03'), []);
  assert.deepEqual((await src.inPeriod(dayOf('2020-08-20'), dayOf('2020-08-26'))).map((i) => i.id).sort(), ['a', 'b']);
  assert.deepEqual(src.extent(), { min: dayOf('2020-08-01'), max: dayOf('2020-09-02') });
  assert.deepEqual(await src.outlets(), [{ outlet: 'X', ids: ['s1'] }, { outlet: 'Y', ids: ['s2'] }]);

  // Weekly bins: b (known to the month) stands over every week of August.
  const bins = await src.counts(dayOf('2020-08-01'), dayOf('2020-09-04'), 7);
  assert.equal(bins.length, 5);
  assert.deepEqual(bins.map((b) => b.imprecise.health || 0), [1, 1, 1, 1, 1]);
  assert.deepEqual(bins.map((b) => b.precise.border_security || 0), [0, 0, 0, 2, 1]);
});

test('state: the URL query round-trips, reads generously and reports what it cannot read', () => {
  const s = buildSearch({
    date: '2020-08-26', mode: 'window', window: 7, incident: 'I16', center: [41.2, 127.4], zoom: 7.25,
    categories: ['border_security', 'arrests'], verifications: ['single_source'],
  });
  assert.equal(s, '?date=2020-08-26&mode=window&window=7&incident=I16&lat=41.2000&lng=127.4000&z=7.25&cat=border_security,arrests&ver=single_source');
  assert.deepEqual(readState(s), {
    state: {
      date: '2020-08-26', mode: 'window', window: 7, incident: 'I16', center: [41.2, 127.4], zoom: 7.25,
      categories: ['border_security', 'arrests'], verifications: ['single_source'],
    },
    problems: [],
  });
  assert.equal(buildSearch({ categories: CATEGORIES.map((c) => c.id) }), '', 'all categories: no parameter');
  assert.equal(buildSearch({ mode: 'day', window: 30 }), '', 'the default mode: no parameter');
  assert.deepEqual(readState('?cat=none').state.categories, []);
  // Labels and short names in any case are read; what cannot be read is reported, never an empty map.
  assert.deepEqual(readState('?cat=Border,HEALTH,Deaths%20and%20health').state.categories, ['border_security', 'health']);
  assert.deepEqual(readState('?ver=Unverified,official').state.verifications, ['single_source', 'official']);
  const junk = readState('?date=2020-02-30&incident=<script>&lat=999&lng=1&z=abc&cat=bogus&mode=weekly&window=0');
  assert.deepEqual(junk.state, {}, 'nothing unreadable gets into the state');
  assert.equal(junk.problems.length, 4, junk.problems.join(' | '));
  assert.match(junk.problems.join(' '), /bogus.*not applied/);
  assert.equal(buildSearch({ date: '2021-03-03', query: 'Hyesan phones' }), '?date=2021-03-03&q=Hyesan+phones');
  assert.equal(readState('?q=+Hyesan+phones+').state.query, 'Hyesan phones');
  assert.equal(readState(`?q=${'x'.repeat(201)}`).state.query, undefined, 'longer than the server accepts');
});

test('links: only absolute http(s) URLs are allowed', () => {
  assert.equal(safeHttpUrl('https://www.rfa.org/english/news/korea/x.html'), 'https://www.rfa.org/english/news/korea/x.html');
  assert.equal(safeHttpUrl('http://example.org'), 'http://example.org/');
  for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', '/relative', '', null, 'ftp://x', ' vbscript:x']) {
    assert.equal(safeHttpUrl(bad), null, String(bad));
  }
});

test('i18n: every string the interface shows has Korean, and the dictionary holds nothing else', async () => {
  const { interfaceStrings } = await import('./i18nkeys.mjs');
  const { KO } = await import('../static/js/ko.js');
  const keys = interfaceStrings();
  assert.ok(keys.length > 300, `only ${keys.length} strings found: the extraction is broken`);
  assert.deepEqual(keys.filter((k) => !KO[k]), [], 'English with no Korean');
  const known = new Set(keys);
  // Strings built from a condition or shown from markup the extraction cannot read.
  const dynamic = new Set(['−1 d', '+1 d', '{n} match', '{n} matches', '{list} province', '{list} provinces', '{list} county', '{list} counties']);
  assert.deepEqual(Object.keys(KO).filter((k) => !known.has(k) && !dynamic.has(k)), [], 'Korean for English the interface no longer shows');
  for (const [en, ko] of Object.entries(KO)) {
    for (const ph of en.match(/\{\w+\}/g) || []) assert.ok(ko.includes(ph), `“${ko}” lost ${ph} of “${en}”`);
  }
});
