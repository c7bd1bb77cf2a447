// The data service's HTML pages (the OGC API – Features HTML class) in
// Debian's headless Chromium against the real server binary: which clients
// get HTML and which JSON, the links between the two, paging, imported
// markup shown as text, and axe-core's WCAG 2.1 AA rules on every kind of
// page, on a desktop and on a phone.
//
//   make build && BORDERLINE_BIN=$PWD/bin/borderline node --test e2e/datapages.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, SHOTS, useServer, openPage, axeViolations, foreignRequests } from './harness.mjs';

// What Chromium sends when it opens a page.
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

const HOSTILE_ID = 'e2e-datapages-markup';
const HOSTILE_DAY = '2021-04-21';
const HOSTILE_TITLE = '<script>window.__xss=1</script>Title with <b>markup</b>';
const HOSTILE_SUMMARY = '<img src=x onerror="window.__xss=2">A summary & "quotes" stay text.';
const csvCell = (v) => `"${v.replaceAll('"', '""')}"`;
const HOSTILE_CSV = [
  'id,title,summary,category,date_start,date_end,date_precision,date_inferred,date_note,place_ids,location_precision,location_note,verification,verification_note,source_ids,contradictions,research_ref',
  [HOSTILE_ID, csvCell(HOSTILE_TITLE), csvCell(HOSTILE_SUMMARY), 'arrests', HOSTILE_DAY, '', 'day', 'no',
    csvCell('<a href="javascript:window.__xss=3">note</a>'), 'hyesan', 'exact', '', 'single_source', '', 'dailynk-2021-03', '', ''].join(','),
].join('\n') + '\n';

const site = useServer({
  // Imported the way an editor would, before the server starts.
  prepare(s) {
    const csv = path.join(s.tmp, 'hostile.csv');
    fs.writeFileSync(csv, HOSTILE_CSV);
    const imported = spawnSync(BIN, ['import', '--db', s.db, csv], { encoding: 'utf8' });
    assert.equal(imported.status, 0, `import failed: ${imported.stderr}`);
  },
});

const FEATURE = '/collections/incidents/items/2020-01-01-border-closed-trade-halted';

// Each kind of page, with the media type of its JSON.
const PAGES = [
  { name: 'collections', path: '/collections', json: 'application/json' },
  { name: 'collection', path: '/collections/incidents', json: 'application/json' },
  { name: 'items', path: '/collections/incidents/items?limit=10', json: 'application/geo+json' },
  { name: 'item', path: FEATURE, json: 'application/geo+json' },
  { name: 'place', path: '/collections/places/items/hyesan', json: 'application/geo+json' },
  { name: 'queryables', path: '/collections/incidents/queryables', json: 'application/schema+json' },
  { name: 'sortables', path: '/collections/zones/sortables', json: 'application/schema+json' },
];

async function fetchAs(p, accept) {
  const res = await fetch(site.base + p, { headers: accept === undefined ? {} : { Accept: accept } });
  return { status: res.status, type: res.headers.get('content-type') || '', vary: res.headers.get('vary') || '', link: res.headers.get('link') || '', body: await res.text() };
}

const withF = (p, f) => `${p}${p.includes('?') ? '&' : '?'}f=${f}`;
const isHTML = (r) => r.type.startsWith('text/html');

test('a browser gets HTML, curl and scripts JSON, and f= overrides the Accept header', async () => {
  for (const { path: p, json } of PAGES) {
    for (const [accept, html, why] of [
      [BROWSER, true, 'a browser'],
      ['*/*', false, 'curl'],
      [undefined, false, 'no Accept header'],
      ['application/json', false, 'application/json'],
    ]) {
      const r = await fetchAs(p, accept);
      assert.equal(r.status, 200, `${why}: GET ${p}`);
      assert.equal(isHTML(r), html, `${why}: GET ${p} answered ${r.type}`);
      if (!html) assert.equal(r.type, json, `${why}: GET ${p}`);
      assert.match(r.vary, /\bAccept\b/, `${why}: GET ${p} has Vary ${r.vary}`);
    }
    const asJSON = await fetchAs(withF(p, 'json'), BROWSER);
    assert.equal(asJSON.type, json, `f=json from a browser: ${p}`);
    JSON.parse(asJSON.body);
    assert.ok(isHTML(await fetchAs(withF(p, 'html'), '*/*')), `f=html from curl: ${p}`);
  }
  const conf = JSON.parse((await fetchAs('/conformance', '*/*')).body);
  assert.ok(conf.conformsTo.includes('http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html'));
  // The landing page is still the map for a browser.
  assert.match((await fetchAs('/', BROWSER)).body, /id="map"/);
});

test('the alternate links lead from the JSON to the page and back', async () => {
  const { context, page } = await openPage(site.browser, { width: 1280, height: 900 });
  try {
    for (const { path: p, json } of PAGES) {
      const doc = await fetchAs(p, '*/*');
      let href = (JSON.parse(doc.body).links || []).find((l) => l.rel === 'alternate' && l.type === 'text/html')?.href;
      href ??= /<([^>]+)>; rel="alternate"; type="text\/html"/.exec(doc.link)?.[1]; // a JSON Schema links it in the header
      assert.ok(href, `${p}: no alternate link to HTML`);
      assert.equal(new URL(href).searchParams.get('f'), 'html');
      const res = await page.goto(href);
      assert.equal(res.status(), 200);
      assert.match(res.headers()['content-type'], /^text\/html/);
      const back = await page.locator(`head link[rel="alternate"][type="${json}"]`).getAttribute('href');
      assert.ok(back, `${href}: no <link rel="alternate" type="${json}">`);
      const visible = page.locator(`main .formats a[type="${json}"]`);
      assert.equal(await visible.count(), 1, `${href}: no visible link to the ${json}`);
      const again = await fetchAs(new URL(back, href).pathname + new URL(back, href).search, BROWSER);
      assert.equal(again.type, json, `${href} links ${back}, which answers ${again.type}`);
      JSON.parse(again.body);
    }
  } finally {
    await context.close();
  }
});

async function caption(page) {
  return page.locator('table.features caption').innerText();
}

async function rowIds(page) {
  return page.locator('table.features tbody th[scope="row"] a').allInnerTexts();
}

test('an items page pages with next and prev, keeping the query, as the GeoJSON does', async () => {
  const { context, page } = await openPage(site.browser, { width: 1280, height: 900 });
  try {
    const query = '?limit=5&sortby=-date_start&category=arrests,border_security';
    const fc = JSON.parse((await fetchAs(`/collections/incidents/items${query}`, '*/*')).body);
    assert.ok(fc.numberMatched > 10, `too few incidents to page through: ${fc.numberMatched}`);
    await page.goto(`${site.base}/collections/incidents/items${query}`);
    assert.match(await caption(page), new RegExp(`1–5 of ${fc.numberMatched}\\b.*\\(5 on this page\\)`));
    assert.deepEqual(await rowIds(page), fc.features.map((f) => f.id));
    assert.equal(await page.locator('a[rel="prev"]').count(), 0, 'the first page has no previous page');

    await page.locator('a[rel="next"]').click();
    await page.waitForURL(/offset=5/);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('sortby'), '-date_start');
    assert.equal(url.searchParams.get('category'), 'arrests,border_security');
    assert.match(await caption(page), new RegExp(`6–10 of ${fc.numberMatched}\\b`));
    const second = JSON.parse((await fetchAs(`/collections/incidents/items${query}&offset=5`, '*/*')).body);
    assert.deepEqual(await rowIds(page), second.features.map((f) => f.id));

    await page.locator('a[rel="prev"]').click();
    await page.waitForURL(/offset=0/);
    assert.deepEqual(await rowIds(page), fc.features.map((f) => f.id));

    // A feature's id leads to its page.
    await page.locator('table.features tbody th[scope="row"] a').first().click();
    await page.waitForURL(/\/items\/[^/?]+$/);
    assert.equal(await page.locator('h1').innerText(), fc.features[0].properties.title);
  } finally {
    await context.close();
  }
});

test('imported markup is shown as text on the table and the feature page, and never runs', async () => {
  const { context, page, errors } = await openPage(site.browser, { width: 1280, height: 900 });
  try {
    for (const p of [`/collections/incidents/items/${HOSTILE_ID}`, `/collections/incidents/items?datetime=${HOSTILE_DAY}&limit=100`]) {
      await page.goto(site.base + p);
      assert.equal(await page.evaluate(() => window.__xss), undefined, `${p}: imported markup ran`);
      assert.equal(await page.locator('main script, main img, main b').count(), 0, `${p}: imported markup became elements`);
      const text = await page.locator('main').innerText();
      assert.ok(text.includes(HOSTILE_TITLE), `${p}: the title is not shown as text`);
      assert.ok(text.includes(HOSTILE_SUMMARY), `${p}: the summary is not shown as text`);
      assert.equal(await page.locator('main a[href^="javascript:"]').count(), 0);
    }
    assert.equal(await page.locator('h1').count(), 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('every kind of page passes axe on a desktop and a phone, scrolls tables in their frame, and needs nothing from elsewhere', async () => {
  for (const [w, h, device] of [[1280, 900, 'desktop'], [390, 844, 'phone']]) {
    // axe is injected as a script, which the pages' CSP refuses: this
    // context bypasses it; the next one checks the pages under it.
    const { context, page } = await openPage(site.browser, { width: w, height: h }, { mobile: device === 'phone', bypassCSP: true });
    try {
      for (const { name, path: p } of PAGES) {
        await page.goto(site.base + p, { waitUntil: 'load' });
        await page.screenshot({ path: path.join(SHOTS, `datapage-${name}-${device}.png`) });
        assert.deepEqual(await axeViolations(page), [], `axe on ${p} (${device})`);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `${p} (${device}) scrolls sideways by ${overflow}px`);
      }
      // A mistake in the address is a page too, for a browser.
      const bad = `/collections/incidents/items?filter=${encodeURIComponent("title = 'x")}`;
      const res = await page.goto(site.base + bad, { waitUntil: 'load' });
      assert.equal(res.status(), 400);
      assert.match(await page.locator('main').innerText(), /never closed/);
      assert.deepEqual(await axeViolations(page), [], `axe on the error page (${device})`);
    } finally {
      await context.close();
    }
  }
  const { context, page, requests, errors } = await openPage(site.browser, { width: 1280, height: 900 });
  try {
    for (const { path: p } of PAGES) {
      await page.goto(site.base + p, { waitUntil: 'load' });
      // The style sheet loaded under the CSP: the skip link is moved off screen.
      const top = await page.locator('.skip-link').evaluate((el) => el.getBoundingClientRect().top);
      assert.ok(top < 0, `${p}: the skip link shows before it has focus (no style sheet?)`);
    }
    assert.deepEqual(errors, [], 'console errors (a CSP violation is one)');
    assert.deepEqual(foreignRequests(requests, [site.base]), []);
  } finally {
    await context.close();
  }
});

test('a keyboard reaches the skip link first, sees where focus is, and lands on the content', async () => {
  const { context, page } = await openPage(site.browser, { width: 1280, height: 900 });
  try {
    await page.goto(`${site.base}/collections/incidents/items?limit=5`);
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { cls: el.className, top: el.getBoundingClientRect().top, outline: style.outlineStyle, width: style.outlineWidth };
    });
    assert.equal(skip.cls, 'skip-link');
    assert.ok(skip.top >= 0, 'the focused skip link is on screen');
    assert.notEqual(skip.outline, 'none', 'focus is visible');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    const inMain = await page.evaluate(() => !!document.activeElement.closest('main'));
    assert.ok(inMain, 'after the skip link, Tab goes into the content');
    // The landmarks and the headings a screen reader lists.
    assert.equal(await page.locator('header nav[aria-label="Breadcrumb"] [aria-current="page"]').innerText(), 'Items');
    assert.deepEqual(await page.locator('nav[aria-label="Breadcrumb"] li').allInnerTexts().then((t) => t.map((s) => s.replace(/^›\s*/, ''))),
      ['Home map', 'Collections', 'Incidents', 'Items']);
    assert.equal(await page.locator('main h1').count(), 1);
  } finally {
    await context.close();
  }
});
