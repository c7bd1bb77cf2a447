// Browser tests of exploring the map: time modes, steps and keys, the loop,
// filters by how sure and by outlet, links typed by hand, places in the
// search, Back and Forward, labels on their own side of the border, Escape,
// and the online tiles failing. Expectations come from the API's own data.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { SHOTS, useServer, openPage, getJSON } from './harness.mjs';
import { dayOf, isoOf, incidentDateWords, MONTHS } from '../static/js/dates.js';

const DAY = '2020-06-15';
let base;
let browser;
let incidents;
let places;

useServer({
  async ready(s) {
    ({ base, browser, incidents } = s);
    places = await getJSON(base, '/collections/places/items?limit=10000');
  },
});

const F = (f) => f.properties;
const overlaps = (f, from, to) => F(f).in_force_from <= to && F(f).in_force_to >= from;
const ids = (fs) => fs.map((f) => f.id).sort();
const ready = async (page) => {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  await page.waitForLoadState('networkidle');
};
const listed = (page) => page.$$eval('#incident-list button[data-incident-id]', (bs) => bs.map((b) => b.dataset.incidentId).sort());
const dayNo = (iso) => dayOf(iso);
const shift = (iso, days) => isoOf(dayOf(iso) + days);

test('time modes: in force on the day, everything up to it, within N days of it', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    await page.goto(`${base}/?date=${DAY}`);
    await ready(page);
    const inForce = incidents.features.filter((f) => overlaps(f, DAY, DAY));
    assert.deepEqual(await listed(page), ids(inForce), 'in force on the day');

    // Everything so far: what a teacher needs on 15 June 2020.
    await page.selectOption('#mode', 'cumulative');
    await page.waitForSelector('body[data-mode="cumulative"]');
    const sofar = incidents.features.filter((f) => F(f).in_force_from <= DAY);
    assert.ok(sofar.length > inForce.length, 'more so far than in force');
    assert.deepEqual(await listed(page), ids(sofar), 'everything up to the day');
    assert.equal(new URL(page.url()).searchParams.get('mode'), 'cumulative');
    // Ended ones are faded on the map; those in force are not.
    const faded = await page.$$eval('.incident-marker.is-faded', (ms) => [...new Set(ms.map((m) => m.dataset.incidentId))]);
    for (const id of faded) assert.ok(F(incidents.features.find((f) => f.id === id)).in_force_to < DAY, `${id} is faded but in force`);
    assert.ok(faded.length > 0, 'something has ended by then');
    await page.screenshot({ path: path.join(SHOTS, 'mode-cumulative.png') });

    // A window of N days either side, N adjustable.
    await page.selectOption('#mode', 'window');
    await page.waitForSelector('body[data-mode="window"]');
    await page.fill('#window', '7');
    await page.locator('#window').dispatchEvent('change');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('window') === '7');
    const win = incidents.features.filter((f) => overlaps(f, shift(DAY, -7), shift(DAY, 7)));
    assert.deepEqual(await listed(page), ids(win), 'within 7 days');
    assert.match(await page.locator('#list-date').innerText(), /between 8 Jun 2020 and 22 Jun 2020/);
    await page.screenshot({ path: path.join(SHOTS, 'mode-window.png') });

    // Back goes to the previous mode.
    await page.goBack();
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('window') !== '7');
    await page.goBack();
    await page.waitForSelector('body[data-mode="cumulative"]');
    assert.equal(await page.inputValue('#mode'), 'cumulative');
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('steps and keys: a day, a week, a month; Space plays anywhere on the timeline; the loop', async () => {
  const { context, page, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    await page.goto(`${base}/?date=2020-08-26`);
    await ready(page);
    const at = (iso) => page.waitForSelector(`body[data-day="${iso}"]`, { timeout: 5000 });
    await page.locator('#date-slider').focus();
    for (const [key, want] of [['ArrowRight', '2020-08-27'], ['Shift+ArrowRight', '2020-09-03'], ['PageDown', '2020-10-03'],
      ['PageUp', '2020-09-03'], ['Shift+ArrowLeft', '2020-08-27'], ['ArrowLeft', '2020-08-26']]) {
      await page.keyboard.press(key);
      await at(want);
    }
    assert.match(await page.locator('#date-words').innerText(), /^Wednesday 26 August 2020$/);
    for (const [step, want] of [['+1m', '2020-09-26'], ['-1w', '2020-09-19'], ['-1d', '2020-09-18'], ['+1w', '2020-09-25'], ['+1d', '2020-09-26'], ['-1m', '2020-08-26']]) {
      await page.locator(`button[data-step="${step}"]`).click();
      await at(want);
    }
    // Space on a step button plays, not steps.
    await page.locator('button[data-step="+1d"]').focus();
    await page.keyboard.press('Space');
    await page.waitForSelector('#timeline.is-playing');
    await page.keyboard.press('Space');
    await page.waitForSelector('#timeline:not(.is-playing)');
    await page.keyboard.press('End');
    const last = await page.getAttribute('body', 'data-day');
    await page.keyboard.press('Home');
    assert.ok((await page.getAttribute('body', 'data-day')) < last);
    assert.equal(await page.locator('#speed option').count() >= 4, true, 'four speeds or more');

    // The loop: from the last days, playing comes round to the first.
    await page.locator('#date-slider').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('PageUp');
    await page.selectOption('#speed', 'faster');
    await page.check('#loop');
    await page.locator('#play').click();
    const first = isoOf(Number(await page.getAttribute('#date-slider', 'min')));
    await page.waitForFunction((d) => document.body.dataset.day < d, shift(first, 40), { timeout: 10000 });
    await page.locator('#play').click();
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('filters: how sure and outlet, in the URL, with what they hide; a hand-typed link is read generously', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    const day = '2020-08-27';
    await page.goto(`${base}/?date=${day}`);
    await ready(page);
    const inForce = incidents.features.filter((f) => overlaps(f, day, day));
    await page.locator('#filters-toggle').click();
    await page.locator('#filters-panel').waitFor({ state: 'visible' });
    await page.locator('label[for="verification-single_source"]').click();
    await page.waitForFunction(() => new URL(window.location.href).searchParams.has('ver'));
    const sure = inForce.filter((f) => F(f).verification !== 'single_source');
    assert.deepEqual(await listed(page), ids(sure), 'unverified ones hidden');
    assert.match(await page.locator('.filter-note').innerText(), new RegExp(`${inForce.length - sure.length} more (is|are) hidden`));
    assert.match(await page.locator('#filters-count').innerText(), /1 off/);
    await page.screenshot({ path: path.join(SHOTS, 'filters.png') });

    // An outlet: only incidents with a source from the others remain.
    const outlet = 'Human Rights Watch';
    await page.locator(`#outlet-filter label:has-text("${outlet}")`).click();
    await page.waitForFunction(() => new URL(window.location.href).searchParams.has('src'));
    const both = sure.filter((f) => F(f).sources.some((s) => s.outlet !== outlet));
    assert.deepEqual(await listed(page), ids(both), 'outlet filter');
    await page.keyboard.press('Escape');

    // Typed by hand: labels and any case are read; what is not is said, and the map is not emptied.
    await page.goto(`${base}/?date=${day}&cat=Border,HEALTH&ver=bogus`);
    await ready(page);
    const cats = inForce.filter((f) => ['border_security', 'health'].includes(F(f).category));
    assert.deepEqual(await listed(page), ids(cats));
    assert.match(await page.locator('#notice').innerText(), /bogus/);
    await page.goto(`${base}/?date=${day}&cat=nonsense`);
    await ready(page);
    assert.deepEqual(await listed(page), ids(inForce), 'an unreadable filter shows everything');
    assert.match(await page.locator('#notice').innerText(), /nonsense.*not applied/);
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('search: places by any of their names, and their incidents; grammatical counts', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    await page.goto(`${base}/?date=${DAY}`);
    await ready(page);
    for (const [text, id] of [['Sinuiju', 'sinuiju'], ['신의주', 'sinuiju'], ['新义州', 'sinuiju'], ['Dandong', 'dandong'], ['Manpo', 'manpo'], ['Hyeson', 'hyesan']]) {
      await page.fill('#search-input', text);
      await page.waitForFunction((t) => document.body.dataset.search === t, text, { timeout: 5000 });
      const found = await page.$$eval('#incident-list button[data-place-id]', (bs) => bs.map((b) => b.dataset.placeId));
      assert.equal(found[0], id, `“${text}” finds ${id} first (found ${found})`);
    }
    // Choosing a place: the map goes there and the list is its incidents.
    await page.fill('#search-input', 'Hyesan');
    await page.waitForFunction(() => document.body.dataset.search === 'Hyesan');
    await page.locator('button[data-place-id="hyesan"]').click();
    await page.waitForSelector('body[data-place="hyesan"]');
    const atHyesan = incidents.features.filter((f) => F(f).places.some((p) => p.id === 'hyesan'));
    assert.deepEqual(await listed(page), ids(atHyesan));
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('place') === 'hyesan');
    await page.waitForSelector('.leaflet-popup .place-popup', { timeout: 5000 });
    await page.screenshot({ path: path.join(SHOTS, 'search-place.png') });

    // One match reads as one.
    await page.fill('#search-input', 'tuberculosis');
    await page.waitForFunction(() => document.body.dataset.search === 'tuberculosis');
    assert.match(await page.locator('#list-heading').innerText(), /^1 incident matches “tuberculosis”$/);
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('history: Back and Forward walk through selections, filters and searches, not slider ticks', async () => {
  const { context, page, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    const day = '2020-08-27';
    await page.goto(`${base}/?date=${day}`);
    await ready(page);
    const length = () => page.evaluate(() => window.history.length);
    const start = await length();
    await page.locator('#date-slider').focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await page.waitForSelector('body[data-day="2020-09-01"]');
    await page.waitForTimeout(400);
    assert.equal(await length(), start, 'slider steps make no entries');
    const first = await page.locator('#incident-list button[data-incident-id]').first().getAttribute('data-incident-id');
    await page.locator(`#incident-list button[data-incident-id="${first}"]`).click();
    await page.locator('#card').waitFor({ state: 'visible' });
    await page.locator('#filters-toggle').click();
    await page.locator('label[for="category-health"]').click();
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.has('cat'));
    assert.equal(await length(), start + 2, 'a selection and a filter make entries');

    await page.goBack();
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('cat'));
    assert.equal(await page.locator('input[value="health"]').isChecked(), true, 'Back restores the filter');
    assert.equal(await page.locator('#card').isVisible(), true);
    await page.goBack();
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('incident'));
    await page.locator('#card').waitFor({ state: 'hidden' });
    await page.goForward();
    await page.locator('#card').waitFor({ state: 'visible' });
    assert.equal(new URL(page.url()).searchParams.get('incident'), first);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('labels keep to their side of the border; each dot opens its own place; Escape returns focus', async () => {
  const { context, page, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    await page.goto(`${base}/?date=2020-08-27`);
    await ready(page);
    const box = async (name) => {
      const label = page.locator('.leaflet-tooltip.place-label', { hasText: new RegExp(`^${name}$`) });
      return label.boundingBox();
    };
    const dot = (name) => page.locator(`path.place-marker[aria-label^="${name}"]`);
    const [sinL, danL, sinD, danD] = [await box('Sinuiju'), await box('Dandong'), await dot('Sinuiju').boundingBox(), await dot('Dandong').boundingBox()];
    // China is north of the river here: Dandong's label above its dot, Sinuiju's below.
    assert.ok(sinL.y >= sinD.y, `Sinuiju's label ${JSON.stringify(sinL)} is not below its dot ${JSON.stringify(sinD)}`);
    assert.ok(danL.y + danL.height <= danD.y + danD.height, `Dandong's label ${JSON.stringify(danL)} is not above its dot ${JSON.stringify(danD)}`);
    const gap = Math.hypot((sinD.x + sinD.width / 2) - (danD.x + danD.width / 2), (sinD.y + sinD.height / 2) - (danD.y + danD.height / 2));
    assert.ok(gap >= 9, `the two dots are ${gap}px apart`);
    await dot('Sinuiju').click({ force: true });
    await page.waitForSelector('.leaflet-popup .place-popup');
    assert.match(await page.locator('.leaflet-popup .place-popup h3').innerText(), /^Sinuiju/);
    await page.keyboard.press('Escape');

    // Escape closes the card and gives focus back to what opened it.
    const item = page.locator('#incident-list button[data-incident-id]').first();
    const id = await item.getAttribute('data-incident-id');
    await item.click();
    await page.locator('#card').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('#card').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.incidentId), id, 'focus back on the list item');
    const marker = page.locator('.incident-marker[data-incident-id]').first();
    const mid = await marker.getAttribute('data-incident-id');
    await marker.focus();
    await page.keyboard.press('Enter');
    await page.locator('#card').waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await page.locator('#card').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.dataset.incidentId), mid, 'focus back on the marker');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('without internet the online tiles say so once, and the offline map stays', async () => {
  const { context, page } = await openPage(browser, { width: 1366, height: 768 });
  try {
    await context.route('https://tile.openstreetmap.org/**', (route) => route.abort('internetdisconnected'));
    await page.goto(`${base}/?date=2020-08-27`);
    await ready(page);
    // The layer control's box for the online tiles (it opens on hover, which a loaded machine may miss).
    await page.evaluate(() => [...document.querySelectorAll('.leaflet-control-layers label')]
      .find((l) => /OpenStreetMap/.test(l.textContent)).querySelector('input').click());
    await page.waitForFunction(() => /could not be loaded/.test(document.querySelector('#notice').textContent), null, { timeout: 10000 });
    assert.equal(await page.locator('.leaflet-tile').count(), 0, 'the tile layer is taken off again');
    assert.ok(await page.locator('path.border-line').count() > 0, 'the offline map is there');
    assert.equal(await page.locator('#notice li').count(), 1, 'said once');
  } finally {
    await context.close();
  }
});

test('every incident\'s date says exactly the days the map shows it on', () => {
  for (const f of incidents.features) {
    const p = F(f);
    const words = incidentDateWords(p);
    const from = new Date(`${p.in_force_from}T00:00:00Z`);
    const to = new Date(`${p.in_force_to}T00:00:00Z`);
    const wholeMonths = from.getUTCDate() === 1 && new Date(to.getTime() + 86400000).getUTCDate() === 1;
    assert.ok(words.includes(MONTHS[from.getUTCMonth()]) || /\b\d{4}\b/.test(words), `${f.id}: ${words}`);
    if (!wholeMonths || p.date_precision === 'day') {
      assert.ok(new RegExp(`\\b${from.getUTCDate()}\\b`).test(words), `${f.id}: “${words}” does not give the first day, ${p.in_force_from}`);
      if (p.in_force_to !== p.in_force_from) assert.ok(new RegExp(`\\b${to.getUTCDate()}\\b`).test(words), `${f.id}: “${words}” does not give the last day, ${p.in_force_to}`);
    } else if (p.date_precision !== 'year' && p.date_precision !== 'season') {
      assert.ok(words.includes(MONTHS[to.getUTCMonth()]), `${f.id}: “${words}” does not name the last month, ${p.in_force_to}`);
    }
  }
  // The example the issue gave.
  const musan = incidents.features.find((f) => f.id === '2020-05-07-musan-temperature-checks');
  assert.equal(incidentDateWords(F(musan)), 'between 7 and 20 May 2020');
  assert.ok(dayNo(F(musan).in_force_to) - dayNo(F(musan).in_force_from) === 13);
});

// Words a reader should never meet: file names, paths, package names,
// column names and other code words.
const CODE_WORDS = [
  /\b[a-z]+_[a-z0-9_]+\b/, // snake_case: date_end, place_ids, in_force_from
  /\.(csv|geojson|json|go|js|mjs|md|txt)\b/,
  /\bshared\//, /\bnpm\b/, /\bnode_modules\b/, /cities\.json/, /\bseed\b/i,
  /\b\d{4}-\d{2}-\d{2}-[a-z]+(-[a-z]+)+\b/, // an incident id
  /\bundefined\b/, /\bnull\b/, /\bNaN\b/, /\[object /,
];

test('text readers see has no file paths, column names or code words', async () => {
  const { context, page, errors } = await openPage(browser, { width: 1366, height: 768 });
  const seen = [];
  const check = (label, text) => {
    for (const re of CODE_WORDS) {
      const m = re.exec(text);
      if (m) seen.push(`${label}: “${m[0]}” in “…${text.slice(Math.max(0, m.index - 40), m.index + 40)}…”`);
    }
  };
  try {
    // Every incident's card, on a day it is in force.
    for (const f of incidents.features) {
      await page.goto(`${base}/?incident=${encodeURIComponent(f.id)}&date=${F(f).in_force_from}`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
      check(`card ${f.id}`, await page.locator('#card').innerText());
    }
    await page.goto(`${base}/?date=2020-08-27`);
    await ready(page);
    check('panel', await page.locator('#panel').innerText());
    check('timeline', await page.locator('#timeline').innerText());
    check('legend', await page.locator('.legend').innerText());
    // Every place's popup and the zones'.
    for (const f of places.features.filter((x) => x.geometry)) {
      const ok = await page.evaluate((id) => {
        const e = [...document.querySelectorAll('path.place-marker')].find((n) => n.getAttribute('aria-label') && n.getAttribute('aria-label').startsWith(id));
        if (e) e.dispatchEvent(new MouseEvent('click', { bubbles: true }));
        return Boolean(e);
      }, F(f).name_en);
      if (!ok) continue;
      await page.waitForSelector('.leaflet-popup .place-popup', { timeout: 5000 });
      check(`place ${f.id}`, await page.locator('.leaflet-popup').last().innerText());
      await page.evaluate(() => document.querySelectorAll('.leaflet-popup-close-button').forEach((b) => b.click()));
    }
    await page.locator('path.zone-1km').focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('.leaflet-popup .zone-popup');
    check('zone', await page.locator('.leaflet-popup').last().innerText());
    await page.locator('#about-btn').click();
    await page.waitForFunction(() => document.querySelectorAll('#about-sources li a').length > 0);
    check('about', await page.locator('#about-dialog').innerText());
    await page.screenshot({ path: path.join(SHOTS, 'about.png') });
    await page.keyboard.press('Escape');
    await page.locator('#share-btn').click();
    await page.waitForFunction(() => /retrieved/.test(document.querySelector('#share-citation').value));
    const dialog = await page.locator('#share-dialog').innerText();
    // The embed code in its box is for machines; the rest of the dialog is for people.
    check('share', dialog.replace(await page.locator('#embed-code').inputValue(), ''));
    assert.deepEqual(seen, [], 'code words in text for readers');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('Korean: the whole interface, dates and incidents in Korean; the browser\'s language by default; place labels switch', async () => {
  const shoot = incidents.features.find((f) => f.id === '2020-08-26-shoot-on-sight-zone');
  // A Korean browser gets Korean without asking.
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ko-KR', bypassCSP: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  try {
    await page.goto(`${base}/?date=2020-08-27&incident=${shoot.id}`);
    await ready(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'ko');
    assert.equal(await page.locator('#date-words').innerText(), '2020년 8월 27일 목요일');
    assert.equal(await page.locator('#card .card-title').innerText(), F(shoot).title_ko);
    assert.equal(await page.getAttribute('#card .card-title', 'lang'), 'ko');
    assert.match(await page.locator('#card').innerText(), /2020년 8월 26~27일/);
    assert.match(await page.locator('#play').innerText(), /재생/);
    assert.match(await page.locator('.legend').innerText(), /범례/);
    // English notes in a Korean card say they are English.
    assert.equal(await page.getAttribute('#card .fact-note span[lang="en"]', 'lang'), 'en');
    await page.screenshot({ path: path.join(SHOTS, 'korean.png') });
    const { axeViolations } = await import('./harness.mjs');
    assert.deepEqual(await axeViolations(page), [], 'axe in Korean');

    // The language link opens the same view in English.
    await page.locator('#lang-btn').click();
    await ready(page);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(new URL(page.url()).searchParams.get('incident'), shoot.id);
    assert.equal(await page.locator('#card .card-title').innerText(), F(shoot).title);

    // Place labels in their own names: Korean in Korea, Chinese in China.
    await page.locator('.label-switch').click();
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('labels') === 'ko');
    const sinuiju = page.locator('.leaflet-tooltip.place-label span[lang="ko"]', { hasText: '신의주' });
    const dandong = page.locator('.leaflet-tooltip.place-label span[lang="zh"]', { hasText: '丹东' });
    assert.equal(await sinuiju.count(), 1, 'Sinuiju in Korean');
    assert.equal(await dandong.count(), 1, 'Dandong in Chinese');
    await page.screenshot({ path: path.join(SHOTS, 'labels-local.png') });

    // The presentation in Korean.
    await page.goto(`${base}/present?story=closure&step=11&lang=ko`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    const closure = await getJSON(base, '/stories/closure');
    assert.equal(await page.locator('#step-title').innerText(), closure.steps[10].title_ko);
    assert.match(await page.locator('#step-counter').innerText(), /11/);
    await page.screenshot({ path: path.join(SHOTS, 'present-korean.png') });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on a phone: the time controls, the filters, a place in the search and Korean', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 390, height: 844 }, { mobile: true });
  try {
    await page.goto(`${base}/?date=${DAY}`);
    await ready(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the page is ${width}px wide`);
    // The controls row scrolls sideways; every control is reachable and big enough to tap.
    await page.locator('button[data-step="+1w"]').tap();
    await page.waitForSelector(`body[data-day="${shift(DAY, 7)}"]`);
    await page.selectOption('#mode', 'cumulative');
    await page.waitForSelector('body[data-mode="cumulative"]');
    for (const sel of ['button[data-step="-1m"]', '#mode', '#loop', '#speed']) {
      await page.locator(sel).scrollIntoViewIfNeeded();
      const b = await page.locator(sel).boundingBox();
      assert.ok(b && b.x >= 0 && b.x + b.width <= 391, `${sel} can be reached`);
    }
    // Filters in their panel.
    await page.locator('#filters-toggle').tap();
    await page.locator('#filters-panel').waitFor({ state: 'visible' });
    await page.locator('label[for="verification-official"]').tap();
    await page.waitForFunction(() => new URL(window.location.href).searchParams.has('ver'));
    await page.screenshot({ path: path.join(SHOTS, 'phone-filters.png') });
    await page.locator('#filters-toggle').tap();
    // A place from the search, in the sheet.
    await page.locator('#sheet-handle').tap();
    await page.fill('#search-input', 'Manpo');
    await page.waitForFunction(() => document.body.dataset.search === 'Manpo');
    await page.locator('button[data-place-id="manpo"]').tap();
    await page.waitForSelector('body[data-place="manpo"]');
    await page.screenshot({ path: path.join(SHOTS, 'phone-place.png') });
    // Korean.
    await page.goto(`${base}/?date=${DAY}&lang=ko`);
    await ready(page);
    assert.equal(await page.locator('#date-words').innerText(), '2020년 6월 15일 월요일');
    await page.screenshot({ path: path.join(SHOTS, 'phone-korean.png') });
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('About: from the top bar by keyboard, with the reports, the coding and the contradictions', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 }, { bypassCSP: true });
  try {
    await page.goto(`${base}/`);
    await ready(page);
    await page.locator('#about-btn').focus();
    await page.keyboard.press('Enter');
    await page.locator('#about-dialog').waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelectorAll('#about-sources li a').length > 0);
    const text = await page.locator('#about-dialog').innerText();
    for (const want of ['Human Rights Watch', 'Daily NK', 'one to two kilometers', 'inferred', 'OpenStreetMap']) assert.ok(text.includes(want), `About lacks ${want}`);
    const { axeViolations } = await import('./harness.mjs');
    assert.deepEqual(await axeViolations(page), [], 'axe on About');
    await page.keyboard.press('Escape');
    await page.locator('#about-dialog').waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'about-btn', 'focus back on About');
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
