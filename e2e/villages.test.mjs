// The map with a newsroom's many places: the bench database's 1,800
// synthetic villages along the border beside the dataset's towns (written by
// bench/benchdb, the project's own import path). Every place gets its dot;
// the labels that fit are shown, none over another label or another place's
// dot, and zooming in names more of them. The map used to lay out the page
// once per label, which at this size never finished. With more incidents in
// a period than one list holds, the list's heading still counts them all.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT, SHOTS, useServer, openPage, getJSON } from './harness.mjs';

let base;
let browser;

useServer({
  prepare(site) {
    const made = spawnSync('go', ['run', './bench/benchdb', '-n', '2000', '-db', site.db], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(made.status, 0, `bench database: ${made.stderr}`);
  },
  ready(s) { ({ base, browser } = s); },
});

/** The visible labels and every dot, in page pixels. */
function layout(page) {
  return page.evaluate(() => {
    const box = (n) => { const r = n.getBoundingClientRect(); return { l: r.left, r: r.right, t: r.top, b: r.bottom }; };
    const frame = box(document.querySelector('#map'));
    const labels = [...document.querySelectorAll('.leaflet-tooltip.place-label:not(.is-hidden)')]
      .map((n) => ({ text: n.textContent, ...box(n) }));
    const dots = [...document.querySelectorAll('path.place-marker')].map((n) => ({ name: n.getAttribute('aria-label') || '', ...box(n) }));
    return { frame, labels, dots };
  });
}

// More than a pixel into each other both ways: label widths are worked out
// from the font, and the page may round them a pixel differently.
const overlap = (a, b) => Math.min(a.r, b.r) - Math.max(a.l, b.l) > 1 && Math.min(a.b, b.b) - Math.max(a.t, b.t) > 1;

function checkLabels({ frame, labels, dots }, when) {
  assert.ok(labels.length >= 5, `${when}: only ${labels.length} labels shown`);
  for (const [i, a] of labels.entries()) {
    assert.ok(a.l >= frame.l - 1 && a.r <= frame.r + 1 && a.t >= frame.t - 1 && a.b <= frame.b + 1, `${when}: "${a.text}" is cut off by the map's edge`);
    for (const b of labels.slice(i + 1)) assert.ok(!overlap(a, b), `${when}: "${a.text}" and "${b.text}" overlap`);
    // A label may touch only its own dot (or the dots at that very point).
    const own = dots.filter((d) => d.name === a.text || d.name.startsWith(`${a.text} (`));
    for (const d of dots) {
      if (own.includes(d) || own.some((o) => o.l === d.l && o.t === d.t)) continue;
      assert.ok(!overlap(a, d), `${when}: "${a.text}" covers the dot of ${d.name}`);
    }
  }
}

test('1,800 villages: every dot drawn, the labels that fit shown apart, more on zooming in', async () => {
  const places = await getJSON(base, '/collections/places/items?limit=10000');
  const points = places.features.filter((f) => f.geometry && f.geometry.type === 'Point'
    && ['city', 'county', 'facility', 'foreign_site'].includes(f.properties.kind));
  assert.ok(points.length > 1800, `${points.length} places with a point`);
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    await page.goto(`${base}/?date=2020-08-27`);
    // Waiting is the test: with a layout per label the map never got here.
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    assert.equal(await page.locator('path.place-marker').count(), points.length, 'place markers');
    const wide = await layout(page);
    checkLabels(wide, 'zoomed out');
    await page.screenshot({ path: path.join(SHOTS, 'villages.png') });

    await page.locator('.leaflet-control-zoom-in').click();
    // Zooming in names a place that had no room for its name before.
    const before = wide.labels.map((l) => l.text);
    await page.waitForFunction((names) => [...document.querySelectorAll('.leaflet-tooltip.place-label:not(.is-hidden)')]
      .some((n) => !names.includes(n.textContent)), before, { timeout: 10000 });
    await page.waitForTimeout(500); // the zoom's animation, and the labels placed after it
    checkLabels(await layout(page), 'zoomed in');
    await page.screenshot({ path: path.join(SHOTS, 'villages-zoomed.png') });
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('more incidents in a period than the list holds: the heading counts them all, and says first what is left out', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    await page.goto(`${base}/?date=2021-12-31&mode=cumulative`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
    await page.waitForFunction(() => Number(document.body.dataset.shown) > 0);
    const shown = Number(await page.locator('body').getAttribute('data-shown'));
    // Listed: what the list's sections say they hold (it draws its items as they scroll into view).
    const sections = await page.locator('#incident-list h3.list-section').allInnerTexts();
    const listed = sections.reduce((sum, h) => sum + Number((h.match(/\(([\d,]+)\)\s*$/) || [0, '0'])[1].replace(/,/g, '')), 0);
    assert.ok(shown > listed && listed > 0, `${shown} in the period, ${listed} listed: the test needs more than the list holds`);
    const heading = await page.locator('#list-heading').innerText();
    assert.equal(Number(heading.replace(/[^0-9]/g, '')), shown, `the heading "${heading}" against ${shown} in the period`);
    const first = page.locator('#incident-list > *').first();
    assert.match(await first.innerText(), /older ones? (is|are) not listed/, 'the note on what is left out does not come first');
    assert.ok((await first.innerText()).replace(/[^0-9]/g, '') === String(shown - listed), `the note \"${await first.innerText()}\" against ${shown - listed} left out of ${shown}`);
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
