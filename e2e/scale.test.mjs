// The map with 10,000 incidents: 10,000 synthetic ones are imported (the way
// a newsroom would add its own) beside the 52 that ship. The first view must
// transfer under 400 KB; a step of the slider is timed with performance marks
// in Chromium and reported (not asserted: this machine's speed varies), and
// what the map lists is checked against the API.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, SHOTS, useServer, openPage, getJSON } from './harness.mjs';

const N = 10000;
const HEADER = 'id,title,summary,category,date_start,date_end,date_precision,date_inferred,date_note,place_ids,location_precision,location_note,verification,verification_note,source_ids,contradictions,research_ref';
const CATEGORIES = ['border_security', 'quarantine', 'arrests', 'health', 'defection', 'policy', 'economy'];
const VERIFICATION = ['single_source', 'corroborated', 'official', 'commentary'];
const PRECISION = [['day', 0.6], ['week', 0.1], ['month', 0.2], ['year', 0.1]];

/** A deterministic random number generator (mulberry32), so every run imports the same set. */
function rng(seed) {
  let a = seed;
  return () => {
    a = (a + 0x6D2B79F5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** N incidents over 2020–2021 at the towns the dataset knows, as import CSV. */
function syntheticCSV(places, sources) {
  const r = rng(7);
  const pick = (list) => list[Math.floor(r() * list.length)];
  const start = Date.UTC(2020, 0, 1) / 86400000;
  const iso = (d) => new Date(d * 86400000).toISOString().slice(0, 10);
  const lines = [HEADER];
  for (let i = 0; i < N; i++) {
    let x = r();
    const precision = PRECISION.find(([, p]) => (x -= p) < 0)?.[0] || 'day';
    const day = start + Math.floor(r() * 480);
    let from = day;
    let to = day + (r() < 0.3 ? Math.floor(r() * 20) : 0);
    if (precision === 'week') to = from + 6;
    if (precision === 'month') { const d = new Date(day * 86400000); from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86400000; to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0) / 86400000; }
    if (precision === 'year') { const y = new Date(day * 86400000).getUTCFullYear(); from = Date.UTC(y, 0, 1) / 86400000; to = Date.UTC(y, 11, 31) / 86400000; }
    lines.push([`synthetic-${i}`, `Synthetic incident ${i}`, 'A made-up incident for testing the map at size.', pick(CATEGORIES),
      iso(from), iso(to), precision, r() < 0.3 ? 'yes' : 'no', '', pick(places), 'exact', '', pick(VERIFICATION), '', pick(sources), '', ''].join(','));
  }
  return `${lines.join('\n')}\n`;
}

let base;
let browser;

useServer({
  async prepare(site) {
    // The 52 incidents' places and sources, read from a first import-free run of the binary.
    const probe = spawnSync(BIN, ['export', '--db', site.db, '--format', 'csv'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(probe.status, 0, probe.stderr);
    const [head, ...rows] = probe.stdout.trim().split('\n');
    const col = (name) => head.split(',').indexOf(name);
    const places = new Set();
    const sources = new Set();
    for (const row of rows) {
      const cells = row.match(/("([^"]|"")*"|[^,]*)(,|$)/g).map((c) => c.replace(/,$/, ''));
      for (const p of cells[col('place_ids')].split('|')) if (/^[a-z-]+$/.test(p)) places.add(p);
      for (const s of cells[col('source_ids')].split('|')) if (/^[a-z0-9-]+$/.test(s)) sources.add(s);
    }
    const csv = path.join(site.tmp, 'synthetic.csv');
    fs.writeFileSync(csv, syntheticCSV([...places].filter((p) => !/border|korea|china|sea|province/.test(p)), [...sources]));
    const imported = spawnSync(BIN, ['import', '--db', site.db, csv], { encoding: 'utf8' });
    assert.equal(imported.status, 0, `import of ${N} incidents: ${imported.stderr}`);
  },
  ready(s) { ({ base, browser } = s); },
});

const percentile = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

test(`${N} incidents: the first view is small, a step of the slider is quick, the list is the API's`, async (t) => {
  const all = await getJSON(base, '/collections/incidents/items?limit=1');
  assert.ok(all.numberMatched >= N, `${all.numberMatched} incidents`);
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 });
  const responses = [];
  page.on('requestfinished', (r) => responses.push(r));
  try {
    await page.goto(`${base}/?date=2020-08-27`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    await page.waitForLoadState('networkidle');
    let bytes = 0;
    for (const r of responses) {
      const s = await r.sizes();
      bytes += s.responseBodySize + s.responseHeadersSize;
    }
    t.diagnostic(`first view: ${responses.length} requests, ${Math.round(bytes / 1024)} kB`);
    assert.ok(bytes < 400 * 1024, `the first view transferred ${Math.round(bytes / 1024)} kB`);
    await page.screenshot({ path: path.join(SHOTS, 'scale-10000.png') });

    // The list is what the server says is in force that day.
    const day = await getJSON(base, '/collections/incidents/items?datetime=2020-08-27&limit=1000');
    // A long list shows its first part and a button for the rest.
    assert.ok(await page.locator('#incident-list .list-more button').count() > 0, 'a long list is not drawn whole at once');
    while (await page.locator('#incident-list .list-more button').count()) await page.locator('#incident-list .list-more button').first().click();
    const listed = await page.$$eval('#incident-list button[data-incident-id]', (bs) => bs.map((b) => b.dataset.incidentId).sort());
    assert.deepEqual(listed, day.features.map((f) => f.id).sort(), 'the day\'s list');
    assert.match(await page.locator('#date-count').innerText(), new RegExp(`^${day.numberMatched.toLocaleString('en-GB')} incidents in force`));

    // Forty steps of the slider, each timed from the key to the map, chart and list redrawn.
    await page.locator('#date-slider').focus();
    const start = Date.parse('2020-08-27T00:00:00Z') / 86400000;
    for (let i = 1; i <= 40; i++) {
      await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`body[data-day="${new Date((start + i) * 86400000).toISOString().slice(0, 10)}"]`);
      await page.waitForFunction(() => performance.getEntriesByName('borderline-step-start').length === 0);
    }
    const steps = await page.evaluate(() => performance.getEntriesByName('borderline-step').map((e) => e.duration));
    t.diagnostic(`slider steps: ${steps.length}, p50 ${percentile(steps, 0.5).toFixed(1)} ms, p95 ${percentile(steps, 0.95).toFixed(1)} ms, max ${Math.max(...steps).toFixed(1)} ms`);
    assert.ok(steps.length >= 40, 'every step was measured');

    // Everything up to a day: the newest are listed and the rest counted, not dropped silently.
    await page.selectOption('#mode', 'cumulative');
    await page.waitForSelector('body[data-mode="cumulative"]');
    await page.waitForFunction(() => /older/.test(document.querySelector('#incident-list').textContent));
    const sofar = await getJSON(base, '/collections/incidents/items?datetime=../2020-10-06&limit=1');
    assert.match(await page.locator('#date-count').innerText(), new RegExp(`^${sofar.numberMatched.toLocaleString('en-GB')} incidents up to this day`));
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
