// Browser tests of what newsrooms use: the chromeless embed at the sizes
// pages give it, a host page on another origin that frames it through the
// share dialog's code and /embed.js, oEmbed's size against the embed's own,
// and the share dialog itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import {
  SHOTS, useServer, openPage, getJSON, freePort, axeViolations,
} from './harness.mjs';

const DAY = '2020-08-27';
const SIZES = [[300, 300], [400, 600], [640, 480], [1000, 650]];

let base;
let browser;
let incidents;

useServer({ ready(s) { ({ base, browser, incidents } = s); } });

const inForce = (day) => incidents.features.filter((f) => f.properties.in_force_from <= day && day <= f.properties.in_force_to);
// Ready, and nothing left in flight (navigating away would abort it, which
// reads as a failed request).
const ready = async (page) => {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  await page.waitForLoadState('networkidle');
};

/** Boxes of the embed's parts, in CSS pixels. */
function boxes(page) {
  return page.evaluate(() => {
    const box = (sel) => {
      const n = document.querySelector(sel);
      if (!n) return null;
      const r = n.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, bottom: r.bottom, right: r.right };
    };
    return {
      map: box('.map-wrap'), timeline: box('#timeline'), credit: box('#embed-credit'), opener: box('#sheet-open'),
      slider: box('#date-slider'), play: box('#play'), words: box('#date-words'),
      links: [...document.querySelectorAll('#embed-credit a')].map((a) => {
        const r = a.getBoundingClientRect();
        return { text: a.textContent, x: r.x, y: r.y, bottom: r.bottom, right: r.right, w: r.width };
      }),
      scrollW: document.documentElement.scrollWidth,
      scrollH: document.documentElement.scrollHeight,
    };
  });
}

test('embed: every frame size from 300 × 300 shows map, timeline and credits, nothing cut off', async () => {
  for (const [width, height] of SIZES) {
    const { context, page, failed, errors } = await openPage(browser, { width, height });
    try {
      await page.goto(`${base}/embed?date=${DAY}`);
      await ready(page);
      const label = `${width}×${height}`;
      const b = await boxes(page);
      assert.ok(b.scrollW <= width && b.scrollH <= height, `${label}: the page overflows (${b.scrollW}×${b.scrollH})`);
      assert.ok(b.map.h >= 100, `${label}: the map is only ${b.map.h}px tall`);
      assert.ok(b.map.bottom <= b.timeline.y + 0.5 && b.timeline.bottom <= b.credit.y + 0.5, `${label}: map, timeline and credits overlap`);
      assert.ok(b.credit.bottom <= height + 0.5, `${label}: the credit line is cut off`);
      for (const l of b.links) {
        assert.ok(l.x >= 0 && l.right <= width + 0.5 && l.bottom <= height + 0.5 && l.w > 0, `${label}: credit link “${l.text}” is cut off`);
      }
      for (const part of ['slider', 'play', 'words']) {
        assert.ok(b[part].x >= 0 && b[part].right <= width + 0.5, `${label}: ${part} is cut off`);
      }
      assert.ok(b.opener.y >= b.map.y && b.opener.bottom <= b.map.bottom && b.opener.right <= width, `${label}: the list button leaves the map`);
      assert.ok(b.words.right <= b.timeline.right, `${label}: the date runs out of the timeline`);
      // The credit line names the sources and the map data's licences.
      const credit = await page.locator('#embed-credit').innerText();
      for (const want of ['Borderline', 'Open the full map', 'Sources', 'OpenStreetMap', 'Natural Earth', 'GeoNames']) {
        assert.ok(credit.includes(want), `${label}: the credit line lacks ${want}`);
      }
      assert.ok(await page.locator('.incident-marker').count() > 0, `${label}: no incident on the map`);
      assert.ok(await page.locator('path.border-line').count() > 0, `${label}: no border`);
      await page.screenshot({ path: path.join(SHOTS, `embed-${width}x${height}.png`) });
      assert.deepEqual(failed, [], `${label}: failed requests`);
      assert.deepEqual(errors, [], `${label}: console errors`);
    } finally {
      await context.close();
    }
  }
});

test('embed: the first view transfers at most 250 KB, data included', async (t) => {
  for (const [width, height] of [[640, 480], [1000, 650]]) {
    const { context, page, failed } = await openPage(browser, { width, height });
    const responses = [];
    page.on('requestfinished', (r) => responses.push(r));
    try {
      await page.goto(`${base}/embed?date=${DAY}`);
      await ready(page);
      await page.waitForLoadState('networkidle');
      let total = 0;
      const rows = [];
      for (const r of responses) {
        const sizes = await r.sizes();
        const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
        total += bytes;
        rows.push(`${Math.round(bytes / 1024)} kB ${new URL(r.url()).pathname}${new URL(r.url()).search}`);
      }
      t.diagnostic(`${width}×${height}: ${responses.length} requests, ${Math.round(total / 1024)} kB`);
      // The front end comes from versioned addresses that cache for good, compressed.
      const paths = responses.map((r) => new URL(r.url()).pathname);
      const unversioned = paths.filter((p) => /^\/(static|vendor)\//.test(p) && !/^\/(static|vendor\/leaflet)\/[0-9a-f]{16}\//.test(p));
      assert.deepEqual(unversioned, [], 'files of the front end asked for at unversioned addresses');
      const leaflet = responses.find((r) => /^\/vendor\/leaflet\/[0-9a-f]{16}\/leaflet\.js$/.test(new URL(r.url()).pathname));
      assert.ok(leaflet, `Leaflet was loaded from its versioned address: ${paths.join(' ')}`);
      const headers = await (await leaflet.response()).allHeaders();
      assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.match(headers['content-encoding'] || '', /^(br|gzip)$/, 'Leaflet came compressed');
      assert.equal(headers.vary, 'Accept-Encoding');
      assert.match(headers.etag, /^"[0-9a-f]{24}\.(br|gz)"$/);
      assert.ok(total <= 250 * 1024, `${width}×${height}: the first view transferred ${Math.round(total / 1024)} kB:\n${rows.join('\n')}`);
      assert.equal(await page.getAttribute('body', 'data-shapes'), null, 'the full shapes were loaded at the default zoom');
      assert.deepEqual(failed, []);
    } finally {
      await context.close();
    }
  }
});

test('embed: takes the URL state of the map, and links to the full map with it', async () => {
  const shoot = incidents.features.find((f) => /shoot/i.test(f.properties.title) && f.properties.in_force_from <= DAY);
  const cat = shoot.properties.category;
  const { context, page, failed, errors } = await openPage(browser, { width: 1000, height: 650 });
  try {
    await page.goto(`${base}/embed?date=${DAY}&incident=${encodeURIComponent(shoot.id)}`);
    await ready(page);
    assert.equal(await page.getAttribute('body', 'data-day'), DAY);
    // A frame with room shows the chosen incident's card beside the map.
    await page.locator('#card').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#card .card-title').innerText(), shoot.properties.title);
    await page.screenshot({ path: path.join(SHOTS, 'embed-1000x650-card.png') });
    const full = new URL(await page.getAttribute('#open-full', 'href'));
    assert.equal(full.pathname, '/');
    assert.equal(full.searchParams.get('date'), DAY);
    assert.equal(full.searchParams.get('incident'), shoot.id);
    assert.equal(await page.getAttribute('#open-full', 'target'), '_blank');

    // Category filter and search from the URL narrow the list as on the map.
    await page.goto(`${base}/embed?date=${DAY}&cat=${cat}`);
    await ready(page);
    const listed = await page.$$eval('#incident-list button[data-id]', (bs) => bs.map((b) => b.dataset.id).sort());
    assert.deepEqual(listed, inForce(DAY).filter((f) => f.properties.category === cat).map((f) => f.id).sort());
    await page.goto(`${base}/embed?date=${DAY}&q=Hyesan`);
    await page.waitForSelector('body[data-search="Hyesan"]', { timeout: 10000 });
    assert.match(await page.locator('#sheet-open').innerText(), /\d+ match/);
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('embed: works by touch on a phone-sized frame', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 400, height: 600 }, { mobile: true });
  try {
    await page.goto(`${base}/embed?date=${DAY}`);
    await ready(page);
    const opener = page.locator('#sheet-open');
    const ob = await opener.boundingBox();
    assert.ok(ob.height >= 34 && ob.width >= 44, 'the list button is a touch target');
    assert.match(await opener.innerText(), new RegExp(`${inForce(DAY).length} incidents?`));
    await opener.tap();
    await page.waitForSelector('#panel.is-open');
    assert.equal(await opener.getAttribute('aria-expanded'), 'true');
    await page.waitForTimeout(300); // the sheet's slide
    const first = page.locator('#incident-list button[data-id]').first();
    const id = await first.getAttribute('data-id');
    await first.tap();
    await page.locator('#card').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#card .card-title').innerText(), incidents.features.find((f) => f.id === id).properties.title);
    await page.screenshot({ path: path.join(SHOTS, 'embed-400x600-card.png') });
    await page.locator('#sheet-handle').tap();
    await page.waitForSelector('#panel:not(.is-open)');
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** A page on another origin (another loopback port) with the given body. */
async function hostServer(bodyHTML) {
  const port = await freePort();
  const srv = http.createServer((req, res) => {
    if (req.url === '/favicon.ico') { res.writeHead(204); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A newspaper</title>
<style>body{margin:0;font-family:serif} main{max-width:var(--w,1000px);margin:0 auto;padding:0 10px}</style></head>
<body><main><h1>A story about the border</h1><p>Text before the map.</p>${bodyHTML}<p id="after">Text after the map.</p></main></body></html>`);
  });
  await new Promise((r) => srv.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}/story.html`, close: () => new Promise((r) => srv.close(r)) };
}

test('embed: a page on another site frames it with the share code, and the frame takes the height it reports', async () => {
  // The code a reader copies from the share dialog.
  const { context: c1, page: mapPage } = await openPage(browser, { width: 1366, height: 768 });
  let snippet;
  try {
    await mapPage.goto(`${base}/?date=${DAY}`);
    await ready(mapPage);
    await mapPage.locator('#share-btn').click();
    await mapPage.locator('#share-dialog').waitFor({ state: 'visible' });
    snippet = await mapPage.locator('#embed-code').inputValue();
  } finally {
    await c1.close();
  }
  assert.match(snippet, /<iframe [^>]*data-borderline-responsive/);
  assert.match(snippet, new RegExp(`<script async src="${base}/embed.js"></script>`));
  const host = await hostServer(snippet);
  const { context, page, failed, errors, requests } = await openPage(browser, { width: 1100, height: 900 });
  try {
    await page.goto(host.url);
    const frameEl = page.locator('iframe[data-borderline-responsive]');
    const frame = await (await frameEl.elementHandle()).contentFrame();
    await frame.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    assert.ok(await frame.locator('path.border-line').count() > 0, 'the map renders in the frame');
    assert.ok(await frame.locator('.incident-marker').count() > 0, 'incidents render in the frame');
    assert.equal(await frame.evaluate(() => document.body.dataset.day), DAY);

    // The frame is cross-origin: its own height request is read inside it.
    const settled = async () => {
      const deadline = Date.now() + 10000;
      for (;;) {
        const want = Number(await frame.evaluate(() => document.body.dataset.preferredHeight));
        const box = await frameEl.boundingBox();
        if (want && Math.abs(box.height - want) < 1) {
          // Stable, not just caught up: a taller frame may show the bar chart
          // and ask once more.
          await page.waitForTimeout(400);
          const again = Number(await frame.evaluate(() => document.body.dataset.preferredHeight));
          if (again === want && Math.abs((await frameEl.boundingBox()).height - want) < 1) {
            return { height: box.height, width: box.width, reported: Number(await frameEl.getAttribute('data-borderline-height')) };
          }
        }
        assert.ok(Date.now() < deadline, `the frame stays ${box.height}px tall, the embed asks for ${want}px`);
        await page.waitForTimeout(100);
      }
    };
    const wide = await settled();
    assert.equal(wide.reported, Math.round(wide.height), 'the frame is as tall as the embed asked');
    assert.ok(wide.height > 400 && wide.height < 900, `a 1000 px wide embed asks for ${wide.height}px`);
    await page.screenshot({ path: path.join(SHOTS, 'embed-host-wide.png'), fullPage: true });

    // A narrower column: the embed asks again, and gets it.
    await page.evaluate(() => document.querySelector('main').style.setProperty('--w', '420px'));
    await page.waitForFunction((h) => Number(document.querySelector('iframe').dataset.borderlineHeight) !== h, wide.reported);
    const narrow = await settled();
    assert.ok(narrow.width <= 420 && narrow.height !== wide.height, `narrow frame ${JSON.stringify(narrow)}`);
    await page.screenshot({ path: path.join(SHOTS, 'embed-host-narrow.png'), fullPage: true });

    // oEmbed's height for a width is what the embed itself asks for there (give or take a wrapped line).
    await page.evaluate(() => document.querySelector('main').style.setProperty('--w', '640px'));
    await page.waitForFunction(() => Math.round(document.querySelector('iframe').getBoundingClientRect().width) === 640);
    const at640 = await settled();
    const oembed = await getJSON(base, `/oembed?format=json&maxwidth=640&url=${encodeURIComponent(`${base}/?date=${DAY}`)}`);
    assert.equal(oembed.width, 640);
    assert.ok(Math.abs(oembed.height - at640.height) <= 24, `oEmbed says ${oembed.height}px at 640, the embed asks ${at640.height}px`);

    // A message from anywhere but the frame's own origin moves nothing.
    await page.evaluate(() => window.postMessage({ type: 'borderline-height', height: 2000 }, '*'));
    await page.waitForTimeout(300);
    assert.equal((await page.locator('iframe').boundingBox()).height, at640.height, 'a forged message resized the frame');

    assert.ok(requests.some((u) => u === `${base}/embed.js`), 'the host page loaded /embed.js');
    assert.deepEqual(failed, [], 'failed requests');
    assert.deepEqual(errors, [], 'console errors');
  } finally {
    await context.close();
    await host.close();
  }
});

test('share dialog: the link, the embed code with its preview, downloads of what is shown, by keyboard', async () => {
  const cat = 'border_security';
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  try {
    await page.goto(`${base}/?date=${DAY}&cat=${cat}`);
    await ready(page);
    const opener = page.locator('#share-btn');
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('#share-dialog');
    await dialog.waitFor({ state: 'visible' });
    await page.waitForFunction(() => document.querySelector('#preview-frame iframe')?.contentDocument?.body?.dataset.ready === 'true', null, { timeout: 20000 });
    await page.screenshot({ path: path.join(SHOTS, 'share-dialog.png') });

    // The permalink is this view; the copy button puts it on the clipboard.
    const link = new URL(await page.locator('#share-link').inputValue());
    assert.equal(link.searchParams.get('date'), DAY);
    assert.equal(link.searchParams.get('cat'), cat);
    await page.locator('button[data-copy="share-link"]').click();
    await page.waitForFunction(() => /Copied/.test(document.querySelector('#share-status').textContent));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), link.href);

    // Fixed height: the code changes, the preview follows.
    await page.locator('input[name="embed-size"][value="fixed"]').check();
    await page.locator('#embed-height').fill('480');
    const fixed = await page.locator('#embed-code').inputValue();
    assert.match(fixed, /height="480"/);
    assert.doesNotMatch(fixed, /<script/);
    const embedSrc = new URL(fixed.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&'));
    assert.equal(embedSrc.pathname, '/embed');
    assert.equal(embedSrc.searchParams.get('cat'), cat);

    // Downloads are exactly the incidents the map shows, with their sources.
    const want = inForce(DAY).filter((f) => f.properties.category === cat).map((f) => f.id).sort();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-geojson').click()]);
    const fc = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(fc.features.map((f) => f.id).sort(), want, 'GeoJSON download');
    assert.ok(fc.features.every((f) => f.properties.sources.every((s) => s.outlet && s.headline)), 'each incident carries its sources');
    assert.equal(new URL(page.url()).pathname, '/', 'the download did not navigate away from the map');
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    const csv = fs.readFileSync(await csvDownload.path(), 'utf8').trim().split('\n');
    assert.equal(csv.length - 1, want.length, 'CSV rows');
    await page.waitForFunction(() => /retrieved/.test(document.querySelector('#share-citation').value));
    const cited = await page.locator('#share-citation').inputValue();
    assert.ok(cited.startsWith('Borderline. "') && cited.includes(link.href), `citation: ${cited}`);
    assert.match(await page.locator('#share-credits').inputValue(), /OpenStreetMap.*ODbL.*GeoNames/s);

    // axe on the open dialog (injected: this context bypasses nothing, so use a second one).
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'share-btn', 'focus returns to the Share button');
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  const a11y = await openPage(browser, { width: 1366, height: 768 }, { bypassCSP: true });
  try {
    await a11y.page.goto(`${base}/?date=${DAY}`);
    await ready(a11y.page);
    await a11y.page.locator('#share-btn').click();
    await a11y.page.locator('#share-dialog').waitFor({ state: 'visible' });
    assert.deepEqual(await axeViolations(a11y.page), [], 'share dialog: axe found violations');
    await a11y.page.keyboard.press('Escape');
    await a11y.page.goto(`${base}/embed?date=${DAY}`);
    await ready(a11y.page);
    assert.deepEqual(await axeViolations(a11y.page), [], 'embed: axe found violations');
    await a11y.page.locator('#sheet-open').click();
    await a11y.page.waitForTimeout(300);
    assert.deepEqual(await axeViolations(a11y.page), [], 'embed with its list open: axe found violations');
  } finally {
    await a11y.context.close();
  }
});


test('share dialog: on a phone, one column that fits the screen', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 390, height: 844 }, { mobile: true });
  try {
    await page.goto(`${base}/?date=${DAY}`);
    await ready(page);
    await page.locator('#share-btn').tap();
    const dialog = page.locator('#share-dialog');
    await dialog.waitFor({ state: 'visible' });
    const box = await dialog.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390 && box.height <= 844, `the dialog ${JSON.stringify(box)} leaves the screen`);
    for (const sel of ['button[data-copy="share-link"]', 'button[data-copy="embed-code"]', '#download-csv', '#download-geojson', '.present-start']) {
      const el = page.locator(sel).first();
      await el.scrollIntoViewIfNeeded();
      const b = await el.boundingBox();
      assert.ok(b && b.x >= 0 && b.x + b.width <= 390 && b.height >= 40, `${sel} is cut off or too small to tap: ${JSON.stringify(b)}`);
    }
    await page.locator('#preview-frame iframe').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'share-dialog-phone.png') });
    await page.locator('#share-close').tap();
    await dialog.waitFor({ state: 'hidden' });
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
