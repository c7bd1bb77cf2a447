// Browser test of the map against the real server binary, in Debian's headless
// Chromium driven by playwright-core (no browser download).
//
//   make build && node --test e2e/
//
// Environment: BORDERLINE_BIN (default bin/borderline), CHROMIUM (default
// /usr/bin/chromium). Screenshots go to e2e/screenshots/ (not committed).
//
// Expectations are derived from the API's own data (which incidents are in
// force on a day, which zones are valid), never from hard-coded counts.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BIN, SHOTS, useServer, openPage as open, getJSON as fetchJSON, foreignRequests, axeViolations,
} from './harness.mjs';

const BEFORE_ZONE = '2020-08-25'; // the day before the shoot-on-sight order took effect
const AFTER_ZONE = '2020-08-27';

// Dated after the days the other tests look at, so it stays out of their screenshots.
const HOSTILE_ID = 'e2e-markup-as-text';
const HOSTILE_DAY = '2021-04-20';
const HOSTILE_TITLE = '<img src=x onerror="window.__xss=1">Title with <b>markup</b>';
const HOSTILE_SUMMARY = '<script>window.__xss=2</script>A summary & "quotes" <i>stay</i> text.';
const HOSTILE_CSV_HEADER = 'id,title,summary,category,date_start,date_end,date_precision,date_inferred,date_note,place_ids,location_precision,location_note,verification,verification_note,source_ids,contradictions,research_ref';
const csvCell = (v) => `"${v.replaceAll('"', '""')}"`;
const HOSTILE_CSV_ROW = [HOSTILE_ID, csvCell(HOSTILE_TITLE), csvCell(HOSTILE_SUMMARY), 'arrests', HOSTILE_DAY, '', 'day', 'no',
  csvCell('<a href="javascript:alert(1)">note</a>'), 'hyesan', 'exact', '', 'single_source', '', 'dailynk-2021-03',
  csvCell('<svg onload="window.__xss=3">'), ''].join(',');

let base;
let browser;
let incidents; // FeatureCollection from the API
let zones;
let places;

const getJSON = (p) => fetchJSON(base, p);
const openPage = (viewport, opts) => open(browser, viewport, opts);

/** Incidents in force on an ISO day: the closed interval [in_force_from, in_force_to]. */
function inForce(day) {
  return incidents.features.filter((f) => f.properties.in_force_from <= day && day <= f.properties.in_force_to);
}

function zonesInForce(day) {
  return zones.features.filter((f) => f.properties.valid_from <= day
    && (!f.properties.valid_to || day <= f.properties.valid_to));
}

function pointCount(geometry) {
  if (!geometry) return 0;
  if (geometry.type === 'Point') return 1;
  if (geometry.type === 'MultiPoint') return geometry.coordinates.length;
  return 0;
}

function isShootOnSight(f) {
  const p = f.properties;
  return /shoot|shot on sight|kill anyone/i.test(`${p.title} ${p.summary}`);
}

async function gotoReady(page, p) {
  await page.goto(base + p);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
}

async function setDay(page, day) {
  const value = String(Date.parse(`${day}T00:00:00Z`) / 86400000);
  await page.locator('#date-slider').fill(value);
  await page.waitForSelector(`body[data-day="${day}"]`, { timeout: 5000 });
}

async function listedIds(page) {
  return page.$$eval('#incident-list button[data-id]', (bs) => bs.map((b) => b.dataset.id));
}

async function offMapIds(page) {
  return page.$$eval('#incident-list ul[aria-labelledby="offmap-heading"] button[data-id]',
    (bs) => bs.map((b) => b.dataset.id));
}

function assertLocalOnly(requests) {
  assert.deepEqual(foreignRequests(requests, [base]), [], 'requests left 127.0.0.1');
}

useServer({
  // One incident whose text is markup, imported the way a user would: the
  // map must show it as text and never run it.
  prepare(site) {
    const hostile = path.join(site.tmp, 'hostile.csv');
    fs.writeFileSync(hostile, `${HOSTILE_CSV_HEADER}\n${HOSTILE_CSV_ROW}\n`);
    const imported = spawnSync(BIN, ['import', '--db', site.db, hostile], { encoding: 'utf8' });
    assert.equal(imported.status, 0, `import of the hostile incident failed: ${imported.stderr}`);
  },
  async ready(site) {
    ({ base, browser, incidents } = site);
    zones = await getJSON('/collections/zones/items?limit=10000');
    places = await getJSON('/collections/places/items?limit=10000');
  },
});

test('the data the map needs is there', () => {
  assert.ok(incidents.features.length > 0, 'no incidents');
  for (const f of incidents.features) {
    const p = f.properties;
    assert.match(p.in_force_from, /^\d{4}-\d{2}-\d{2}$/, `${f.id} in_force_from`);
    assert.match(p.in_force_to, /^\d{4}-\d{2}-\d{2}$/, `${f.id} in_force_to`);
    assert.ok(p.in_force_from <= p.in_force_to, `${f.id} in force interval`);
  }
  assert.ok(inForce(AFTER_ZONE).some(isShootOnSight), `no shoot-on-sight incident in force on ${AFTER_ZONE}`);
  assert.equal(zonesInForce(BEFORE_ZONE).length, 0, `a zone is in force on ${BEFORE_ZONE}`);
  assert.ok(zonesInForce(AFTER_ZONE).length > 0, `no zone in force on ${AFTER_ZONE}`);
});

test('desktop: base map, places, timeline, list, card, URL state', async () => {
  const { context, page, requests, errors } = await openPage({ width: 1366, height: 768 });
  try {
    await gotoReady(page, '/');

    // The border renders, and is drawn across a good part of the map.
    const border = page.locator('path.border-line').first();
    await border.waitFor({ state: 'attached' });
    const box = await border.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `border line too small: ${JSON.stringify(box)}`);
    assert.ok((await page.locator('.leaflet-control-attribution').innerText()).includes('OpenStreetMap'),
      'attribution names OpenStreetMap');

    // Every point place (towns, counties, facilities, sites abroad; not areas) has a marker;
    // some labels are visible.
    const pointKinds = new Set(['city', 'county', 'facility', 'foreign_site']);
    const withPoint = places.features.filter((f) => f.geometry && f.geometry.type === 'Point'
      && pointKinds.has(f.properties.kind)).length;
    assert.ok(withPoint > 0, 'no point places');
    assert.equal(await page.locator('path.place-marker').count(), withPoint, 'place markers');
    const labels = await page.locator('.leaflet-tooltip.place-label:not(.is-hidden)').count();
    assert.ok(labels >= Math.min(5, withPoint), `only ${labels} place labels visible`);

    // Before the order: no zone, and the list is exactly the incidents in force then.
    await setDay(page, BEFORE_ZONE);
    assert.equal(await page.locator('path.zone').count(), 0, 'zone drawn before it was in force');
    assert.equal(await page.locator('body').getAttribute('data-zone'), 'off');
    const expectedBefore = inForce(BEFORE_ZONE).map((f) => String(f.id)).sort();
    const listedBefore = (await listedIds(page)).sort();
    assert.deepEqual(listedBefore, expectedBefore, `list on ${BEFORE_ZONE}`);
    const offBefore = inForce(BEFORE_ZONE).filter((f) => f.properties.off_map || !f.geometry).map((f) => String(f.id)).sort();
    assert.deepEqual((await offMapIds(page)).sort(), offBefore, 'off-map section');
    if (offBefore.length) {
      assert.match(await page.locator('#offmap-heading').innerText(), /no single location/i);
    }
    await page.screenshot({ path: path.join(SHOTS, 'desktop-before.png') });

    // The arrow key moves the slider by one day.
    await page.locator('#date-slider').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('body[data-day="2020-08-26"]', { timeout: 5000 });
    assert.match(await page.locator('#date-words').innerText(), /^Wednesday 26 August 2020$/);

    // After the order: the zone and the shoot-on-sight incident appear, the list changed.
    await setDay(page, AFTER_ZONE);
    assert.ok(await page.locator('path.zone').count() > 0, 'zone not drawn while in force');
    assert.equal(await page.locator('body').getAttribute('data-zone'), 'on');
    const expectedAfter = inForce(AFTER_ZONE).map((f) => String(f.id)).sort();
    const listedAfter = (await listedIds(page)).sort();
    assert.deepEqual(listedAfter, expectedAfter, `list on ${AFTER_ZONE}`);
    assert.notDeepEqual(listedAfter, listedBefore, 'list did not change');
    const shoot = inForce(AFTER_ZONE).find(isShootOnSight);
    assert.ok(listedAfter.includes(String(shoot.id)), 'shoot-on-sight incident listed');
    // Each on-map incident has one marker per point.
    for (const f of inForce(AFTER_ZONE)) {
      const n = f.properties.off_map ? 0 : pointCount(f.geometry);
      assert.equal(await page.locator(`.incident-marker[data-incident-id="${f.id}"]`).count(), n, `markers of ${f.id}`);
    }
    // The live region announces the date and the count.
    await page.waitForFunction(() => /27 August 2020/.test(document.querySelector('#live').textContent));
    const live = await page.locator('#live').innerText();
    assert.match(live, new RegExp(`${inForce(AFTER_ZONE).length} incidents? in force`), `live region: ${live}`);

    // Clicking the incident in the list shows its card with summary and sources.
    await page.locator(`#incident-list button[data-id="${shoot.id}"]`).click();
    const card = page.locator('#card');
    await card.waitFor({ state: 'visible' });
    assert.equal(await card.locator('.card-title').innerText(), shoot.properties.title);
    assert.equal(await card.locator('.card-summary').innerText(), shoot.properties.summary);
    const src = shoot.properties.sources[0];
    assert.ok(src, 'the incident has a source');
    const sourcesText = await card.locator('.sources').innerText();
    assert.ok(sourcesText.includes(src.outlet), 'source outlet shown');
    if (src.headline) assert.ok(sourcesText.includes(src.headline), 'source headline shown');
    for (const a of await card.locator('.sources a').all()) {
      assert.match(await a.getAttribute('href'), /^https?:\/\//);
      assert.equal(await a.getAttribute('target'), '_blank');
      assert.match(await a.getAttribute('rel'), /noopener/);
    }
    const linked = shoot.properties.sources.filter((s) => /^https?:\/\//.test(s.url || ''));
    assert.equal(await card.locator('.sources a').count(), linked.length, 'one link per source with an http(s) URL');
    if (shoot.properties.contradictions) {
      assert.ok(await card.locator('.contradictions').isVisible(), 'contradictions highlighted');
    }
    await page.screenshot({ path: path.join(SHOTS, 'desktop-card.png') });

    // The selection is in the URL; opening that URL restores the view.
    await page.waitForFunction((id) => new URL(window.location.href).searchParams.get('incident') === id, String(shoot.id));
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('date'), AFTER_ZONE);

    // Back to the list; then a marker selects its incident in the panel (keyboard: Enter).
    await card.locator('.back-btn').click();
    await page.locator('#list-view').waitFor({ state: 'visible' });
    const onMap = inForce(AFTER_ZONE).find((f) => !f.properties.off_map && pointCount(f.geometry) > 0);
    if (onMap) {
      const marker = page.locator(`.incident-marker[data-incident-id="${onMap.id}"]`).first();
      await marker.focus();
      await page.keyboard.press('Enter');
      await card.waitFor({ state: 'visible' });
      assert.equal(await card.locator('.card-title').innerText(), onMap.properties.title);
      assert.equal(await page.locator(`#incident-list button[data-id="${onMap.id}"]`).getAttribute('aria-current'), 'true');
    }

    const page2 = await context.newPage();
    page2.on('request', (r) => requests.push(r.url()));
    page2.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await gotoReady(page2, `${url.pathname}${url.search}`);
    assert.equal(await page2.locator('body').getAttribute('data-day'), AFTER_ZONE);
    assert.equal(await page2.locator('#card .card-title').innerText(), shoot.properties.title);
    const z1 = Number(url.searchParams.get('z'));
    const z2 = Number(new URL(page2.url()).searchParams.get('z'));
    assert.ok(Math.abs(z1 - z2) < 0.01, `zoom restored (${z1} vs ${z2})`);

    // A category filter hides that category from the list and is kept in the URL.
    const cat = shoot.properties.category;
    // The categories are chips in the top bar on wide screens, else in the filters panel.
    if (!await page2.locator(`label[for="category-${cat}"]`).isVisible()) await page2.locator('#filters-toggle').click();
    await page2.locator(`label[for="category-${cat}"]`).click();
    assert.equal(await page2.locator(`#category-filter input[value="${cat}"]`).isChecked(), false);
    await page2.waitForFunction((c) => {
      const v = new URL(window.location.href).searchParams.get('cat');
      return v !== null && !v.split(',').includes(c);
    }, cat);
    const filtered = (await listedIds(page2)).sort();
    const expectedFiltered = inForce(AFTER_ZONE).filter((f) => f.properties.category !== cat).map((f) => String(f.id)).sort();
    assert.deepEqual(filtered, expectedFiltered, 'list after filtering');

    assertLocalOnly(requests);
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('phone: map, timeline and the bottom sheet', async () => {
  const { context, page, requests, errors } = await openPage({ width: 390, height: 844 }, { mobile: true });
  try {
    await gotoReady(page, `/?date=${AFTER_ZONE}`);
    const map = await page.locator('#map').boundingBox();
    const timeline = await page.locator('#timeline').boundingBox();
    assert.ok(map.height > 300, 'map has room');
    assert.ok(timeline.y >= map.y + map.height - 1, 'timeline under the map');
    assert.ok(await page.locator('path.border-line').count() > 0, 'border drawn');
    await page.screenshot({ path: path.join(SHOTS, 'phone.png') });

    const handle = page.locator('#sheet-handle');
    assert.equal(await handle.getAttribute('aria-expanded'), 'false');
    const hb = await handle.boundingBox();
    assert.ok(hb.height >= 40, 'sheet handle is a good touch target');
    await handle.click();
    assert.equal(await handle.getAttribute('aria-expanded'), 'true');
    await page.locator('#incident-list button[data-id]').first().waitFor({ state: 'visible' });
    await page.waitForTimeout(400); // the sheet's slide
    assert.deepEqual((await listedIds(page)).sort(), inForce(AFTER_ZONE).map((f) => String(f.id)).sort());
    for (const b of await page.locator('#incident-list button[data-id]').all()) {
      const bb = await b.boundingBox();
      assert.ok(bb.height >= 40, 'list buttons are ≥ 40 px tall');
    }
    await page.screenshot({ path: path.join(SHOTS, 'phone-sheet.png') });
    await page.locator('#incident-list button[data-id]').first().click();
    await page.locator('#card').waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, 'phone-card.png') });

    assertLocalOnly(requests);
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('timeline: space plays and pauses, the date moves on', async () => {
  const { context, page, requests, errors } = await openPage({ width: 1366, height: 768 });
  try {
    await gotoReady(page, '/?date=2020-08-01');
    const play = page.locator('#play');
    await play.focus();
    await page.keyboard.press('Space');
    await page.waitForSelector('#timeline.is-playing');
    assert.equal(await play.getAttribute('aria-label'), 'Pause');
    await page.waitForFunction(() => document.body.dataset.day > '2020-08-03');
    await page.keyboard.press('Space');
    await page.waitForSelector('#timeline:not(.is-playing)');
    assert.equal(await play.getAttribute('aria-label'), 'Play');
    const day = await page.locator('body').getAttribute('data-day');
    await page.waitForTimeout(300);
    assert.equal(await page.locator('body').getAttribute('data-day'), day, 'paused');
    assert.equal(await page.locator('#date-slider').inputValue(), String(Date.parse(`${day}T00:00:00Z`) / 86400000));
    const n = inForce(day).length;
    await page.waitForFunction((d) => document.querySelector('#live').textContent.includes(d),
      await page.locator('#date-words').innerText());
    assert.match(await page.locator('#live').innerText(), new RegExp(`${n} incidents? in force`));
    assertLocalOnly(requests);
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('data text is never parsed as HTML', async () => {
  const { context, page, errors } = await openPage({ width: 1366, height: 768 });
  try {
    await gotoReady(page, `/?date=${HOSTILE_DAY}&incident=${HOSTILE_ID}`);
    const titles = await page.$$eval('#incident-list .item-title', (ns) => ns.map((n) => n.textContent));
    assert.ok(titles.includes(HOSTILE_TITLE), 'the markup title is listed verbatim');
    const card = await page.locator('#card').innerText();
    assert.ok(card.includes(HOSTILE_TITLE), 'the card shows the title verbatim');
    assert.ok(card.includes(HOSTILE_SUMMARY), 'the card shows the summary verbatim');
    assert.equal(await page.locator('#incident-list img, #incident-list b, #incident-list script, #card img, #card script, #card svg[onload], #card a[href^="javascript"]').count(), 0,
      'no element was made from data');
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'no script from data ran');
    // Every other title in force that day is shown verbatim too.
    for (const f of inForce(HOSTILE_DAY)) assert.ok(titles.includes(f.properties.title), `title shown verbatim: ${f.properties.title}`);
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('a permalink to an incident without a map position brings it into view', async () => {
  // The on-map incident farthest from the border region's default view.
  // Incidents are MultiPoints (one geometry type per collection); take those at one point.
  const far = incidents.features
    .filter((f) => !f.properties.off_map && f.geometry && f.geometry.coordinates.length === 1)
    .sort((a, b) => a.geometry.coordinates[0][1] - b.geometry.coordinates[0][1])[0];
  assert.ok(far, 'an incident with a point exists');
  const { context, page, errors } = await openPage({ width: 1366, height: 768 });
  try {
    await gotoReady(page, `/?incident=${encodeURIComponent(far.id)}`);
    const marker = page.locator(`[data-incident-id="${far.id}"]`).first();
    await marker.waitFor({ state: 'attached', timeout: 5000 });
    const [m, box] = await Promise.all([marker.boundingBox(), page.locator('#map').boundingBox()]);
    assert.ok(m && box, 'marker and map have boxes');
    const cx = m.x + m.width / 2;
    const cy = m.y + m.height / 2;
    assert.ok(cx >= box.x && cx <= box.x + box.width && cy >= box.y && cy <= box.y + box.height,
      `marker of ${far.id} at ${cx},${cy} lies inside the map ${JSON.stringify(box)}`);
    assert.match(await page.locator('#card').innerText(), new RegExp(far.properties.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('a selected incident outlines the provinces it covers; a town incident outlines nothing', async () => {
  const AREA = new Set(['province', 'country', 'border']);
  const areasOf = (f) => (f.properties.places || []).filter((p) => AREA.has(p.kind));
  const onMap = incidents.features.filter((f) => !f.properties.off_map);
  const broad = onMap.filter((f) => areasOf(f).some((p) => p.kind === 'province'))
    .sort((a, b) => areasOf(b).length - areasOf(a).length)[0];
  const town = onMap.find((f) => areasOf(f).length === 0);
  assert.ok(broad && town, 'a province incident and a town incident exist');
  const { context, page, requests, errors } = await openPage({ width: 1366, height: 768 });
  try {
    await gotoReady(page, `/?incident=${encodeURIComponent(broad.id)}&date=${broad.properties.in_force_from}`);
    await page.waitForSelector('body[data-areas]', { timeout: 5000 });
    const want = areasOf(broad).length;
    assert.equal(await page.getAttribute('body', 'data-areas'), String(want));
    assert.equal(await page.locator('path.area-outline').count(), want, `${broad.id}: one outline per area`);
    await page.screenshot({ path: path.join(SHOTS, 'desktop-areas.png') });

    // Closing the card clears them; another selection draws its own: a town
    // is a point, not an area.
    await page.locator('#card .back-btn').click();
    await page.waitForSelector('body[data-areas="0"]', { timeout: 5000 });
    assert.equal(await page.locator('path.area-outline').count(), 0, 'no outline without a selection');
    await page.evaluate(() => { delete document.body.dataset.areas; });
    await setDay(page, town.properties.in_force_from);
    await page.locator(`#incident-list button[data-id="${town.id}"]`).click();
    await page.waitForSelector('body[data-areas="0"]', { timeout: 5000 });
    assert.equal(await page.locator('path.area-outline').count(), 0, `${town.id} outlines nothing`);
    assertLocalOnly(requests);
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('the card says when a publication date is our inference', async () => {
  const pick = (inferred) => incidents.features.find((f) => !f.properties.off_map
    && f.properties.sources.length === 1 && f.properties.sources[0].published_inferred === inferred);
  const guessed = pick(true);
  const printed = pick(false);
  assert.ok(guessed && printed, 'incidents with an inferred and a printed publication date exist');
  const { context, page, errors } = await openPage({ width: 1366, height: 768 });
  try {
    for (const [f, inferred] of [[guessed, true], [printed, false]]) {
      await gotoReady(page, `/?incident=${encodeURIComponent(f.id)}`);
      const date = await page.locator('#card .source-date').innerText();
      if (inferred) {
        assert.match(date, /^Published about .*date inferred/s, `${f.id}: ${date}`);
        assert.equal(await page.locator('#card .source-note').innerText(), f.properties.sources[0].published_note);
      } else {
        assert.doesNotMatch(date, /about|inferred/, `${f.id}: ${date}`);
        assert.equal(await page.locator('#card .source-note').count(), 0);
      }
    }
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('search: the server matches at any date; a result moves the slider to its date', async () => {
  const want = await getJSON('/collections/incidents/items?q=Hyesan&limit=100');
  assert.ok(want.numberMatched > 3, 'Hyesan is in several incidents');
  const { context, page, requests, errors } = await openPage({ width: 1366, height: 768 });
  try {
    await gotoReady(page, `/?date=${BEFORE_ZONE}`);
    await page.locator('#search-input').fill('Hyesan');
    await page.waitForSelector('body[data-search="Hyesan"]', { timeout: 5000 });
    assert.match(await page.locator('#list-heading').innerText(), new RegExp(`^${want.numberMatched} incidents match “Hyesan”`));
    const listed = await listedIds(page);
    assert.deepEqual(listed, want.features.map((f) => f.id), 'the list is the server\'s matches, in its order');
    await page.waitForFunction(() => /[?&]q=Hyesan(&|$)/.test(window.location.search), null, { timeout: 5000 });
    assert.ok(requests.some((u) => u.includes('/collections/incidents/items?') && u.includes('q=Hyesan')), 'asked the server');

    // A match from another date: choosing it moves the slider there.
    const later = want.features.find((f) => f.properties.in_force_from > AFTER_ZONE);
    await page.locator(`#incident-list button[data-id="${later.id}"]`).click();
    await page.waitForSelector(`body[data-day="${later.properties.in_force_from}"]`, { timeout: 5000 });
    assert.equal(await page.locator('#card .card-title').innerText(), later.properties.title);
    await page.locator('#card .back-btn').click();
    assert.deepEqual(await listedIds(page), listed, 'back to the same results');

    // Escape ends the search: the day's list returns.
    await page.locator('#search-input').press('Escape');
    await page.waitForFunction(() => !document.body.dataset.search && /in force/.test(document.querySelector('#list-heading').textContent));
    await page.waitForFunction(() => !/[?&]q=/.test(window.location.search), null, { timeout: 5000 });
    assert.match(page.url(), new RegExp(`date=${later.properties.in_force_from}`), 'the day chosen through the search stays');
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

test('keyboard: the slider, the zones and the list work without a mouse', async () => {
  const { context, page, errors } = await openPage({ width: 1366, height: 768 });
  try {
    await gotoReady(page, `/?date=${AFTER_ZONE}`);
    await page.locator('#date-slider').focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('body[data-day="2020-08-28"]', { timeout: 5000 });

    // A zone is a named keyboard stop; Enter opens its details.
    const zone = page.locator('path.zone-1km');
    assert.match(await zone.getAttribute('aria-label'), /1 km/);
    await zone.focus();
    await page.keyboard.press('Enter');
    await page.locator('.leaflet-popup .zone-popup').waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await page.locator('path.zone-band[tabindex="0"]').count(), 0, 'the band is not a second stop');

    const first = page.locator('#incident-list button[data-id]').first();
    const id = await first.getAttribute('data-id');
    await first.focus();
    await page.keyboard.press('Enter');
    await page.locator('#card').waitFor({ state: 'visible', timeout: 5000 });
    assert.equal(await page.locator('#card .card-title').innerText(), incidents.features.find((f) => f.id === id).properties.title);

    // A marker opens its card with Enter too (the README says so).
    await page.locator('#card .back-btn').click();
    const marker = page.locator('.incident-marker[data-incident-id]').first();
    const markerId = await marker.getAttribute('data-incident-id');
    await marker.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((t) => document.querySelector('#card .card-title')?.textContent === t,
      incidents.features.find((f) => f.id === markerId).properties.title, { timeout: 5000 });
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});

// axe-core's WCAG 2.1 A and AA rules on the states a reader sees: the map with
// its list, an open card, the phone layout with its sheet. axe is injected as
// a script, which the strict CSP rightly refuses, so these pages bypass it.
test('accessibility: no WCAG 2.1 A/AA violations that axe can find', async () => {
  const audit = async (page, label) => {
    assert.deepEqual(await axeViolations(page), [], `${label}: axe found violations`);
  };
  const broad = incidents.features.find(isShootOnSight);
  const desk = await openPage({ width: 1366, height: 768 }, { bypassCSP: true });
  try {
    await gotoReady(desk.page, `/?date=${AFTER_ZONE}`);
    await audit(desk.page, 'desktop list');
    await gotoReady(desk.page, `/?date=${AFTER_ZONE}&incident=${encodeURIComponent(broad.id)}`);
    await audit(desk.page, 'desktop card');
    await gotoReady(desk.page, `/?date=${AFTER_ZONE}&q=Hyesan`);
    await desk.page.waitForSelector('body[data-search="Hyesan"]', { timeout: 5000 });
    await audit(desk.page, 'desktop search results');
  } finally {
    await desk.context.close();
  }
  const phone = await openPage({ width: 390, height: 844 }, { mobile: true, bypassCSP: true });
  try {
    await gotoReady(phone.page, `/?date=${AFTER_ZONE}`);
    await audit(phone.page, 'phone');
    await phone.page.locator('#sheet-handle').click();
    await phone.page.waitForTimeout(400); // the sheet's slide
    await audit(phone.page, 'phone, sheet open');
  } finally {
    await phone.context.close();
  }
});

test('the front end follows next links: every incident arrives, however the server pages', async () => {
  const { context, page, errors } = await openPage({ width: 1366, height: 768 });
  try {
    await gotoReady(page, '/');
    const got = await page.evaluate(async () => {
      // The page's own module, at the versioned address the page loaded.
      const main = document.querySelector('script[type="module"]').src;
      const { fetchItems } = await import(new URL('api.js', main).href);
      const fc = await fetchItems('incidents', { limit: '7' });
      return fc.features.map((f) => f.id);
    });
    assert.deepEqual(got, incidents.features.map((f) => f.id), 'pages of 7 add up to the whole collection, in order');
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
  }
});
