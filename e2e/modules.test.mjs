// Unit tests of the front end's pure modules (no browser, no server): dates,
// the in-force filter, URL state and link checking. Run with `node --test e2e/`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayOf, isoOf, longDate, incidentDateText, monthsBetween, isISODate } from '../static/js/dates.js';
import { IncidentSource } from '../static/js/incidents.js';
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

test('dates: an incident date says its precision', () => {
  const t = (date_start, date_end, date_precision) => incidentDateText({ date_start, date_end, date_precision });
  assert.equal(t('2020-08-26', '', 'day'), '26 Aug 2020');
  assert.equal(t('2020-08-26', '2020-08-27', 'day'), '26–27 Aug 2020');
  assert.equal(t('2020-08-01', '', 'month'), 'Aug 2020 (month)');
  assert.equal(t('2020-06-01', '2020-09-30', 'month'), 'Jun–Sep 2020 (month)');
  assert.equal(t('2020-10-10', '2021-03-23', 'month'), 'Oct 2020 – Mar 2021 (month)');
  assert.equal(t('2020-01-01', '', 'year'), '2020 (year)');
  assert.equal(t('2020-06-29', '', 'week'), 'week of 29 Jun 2020');
});

function feature(id, from, to, category = 'policy', extra = {}) {
  return {
    type: 'Feature', id, geometry: null,
    properties: { title: id, category, in_force_from: from, in_force_to: to, off_map: true, ...extra },
  };
}

test('incidents: in force on a day is the closed interval, filtered by category', async () => {
  const src = new IncidentSource([
    feature('a', '2020-08-26', '2020-08-26', 'border_security'),
    feature('b', '2020-08-01', '2020-08-31', 'health'),
    feature('c', '2020-08-27', '2020-09-02', 'border_security'),
  ]);
  const ids = async (iso, cats) => (await src.inForce(dayOf(iso), cats)).map((i) => i.id).sort();
  assert.deepEqual(await ids('2020-08-25'), ['b']);
  assert.deepEqual(await ids('2020-08-26'), ['a', 'b']);
  assert.deepEqual(await ids('2020-08-27'), ['b', 'c']);
  assert.deepEqual(await ids('2020-08-27', new Set(['border_security'])), ['c']);
  assert.deepEqual(await ids('2020-09-03'), []);
  assert.deepEqual(src.extent(), { min: dayOf('2020-08-01'), max: dayOf('2020-09-02') });

  const months = await src.monthly(dayOf('2020-08-01'), dayOf('2020-09-30'));
  assert.deepEqual(months.map((m) => m.total), [3, 1]);
  assert.deepEqual(months[0].byCategory, { border_security: 2, health: 1 });
});

test('state: the URL query round-trips and rejects junk', () => {
  const s = buildSearch({
    date: '2020-08-26', incident: 'I16', center: [41.2, 127.4], zoom: 7.25,
    categories: ['border_security', 'arrests'],
  });
  assert.equal(s, '?date=2020-08-26&incident=I16&lat=41.2000&lng=127.4000&z=7.25&cat=border_security,arrests');
  assert.deepEqual(readState(s), {
    date: '2020-08-26', incident: 'I16', center: [41.2, 127.4], zoom: 7.25, categories: ['border_security', 'arrests'],
  });
  assert.equal(buildSearch({ categories: CATEGORIES.map((c) => c.id) }), '', 'all categories: no parameter');
  assert.deepEqual(readState('?cat=none').categories, []);
  assert.deepEqual(readState('?date=2020-02-30&incident=<script>&lat=999&lng=1&z=abc&cat=bogus'), { categories: [] });
  assert.equal(buildSearch({ date: '2021-03-03', query: 'Hyesan phones' }), '?date=2021-03-03&q=Hyesan+phones');
  assert.equal(readState('?q=+Hyesan+phones+').query, 'Hyesan phones');
  assert.equal(readState(`?q=${'x'.repeat(201)}`).query, undefined, 'longer than the server accepts');
});

test('links: only absolute http(s) URLs are allowed', () => {
  assert.equal(safeHttpUrl('https://www.rfa.org/english/news/korea/x.html'), 'https://www.rfa.org/english/news/korea/x.html');
  assert.equal(safeHttpUrl('http://example.org'), 'http://example.org/');
  for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', '/relative', '', null, 'ftp://x', ' vbscript:x']) {
    assert.equal(safeHttpUrl(bad), null, String(bad));
  }
});
