// Offline first: with every request that leaves the site blocked, the map,
// the embed and the presentation load and work — first from the Borderline
// server, then from a static copy (borderline export --site) served by
// Python's http.server under a sub-folder, as a newsroom's static host would.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BIN, SHOTS, useServer, openPage, getJSON, freePort, sleep,
} from './harness.mjs';

const DAY = '2020-08-27';
const BEFORE = '2020-08-25';

let server;
let browser;
let incidents;
let staticSite; // {root, stop}

/** Serves folder with Python's http.server; resolves when it answers. */
async function pythonServer(folder) {
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', folder], { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${origin}/`)).status < 500) break;
    } catch { /* not up yet */ }
    assert.equal(proc.exitCode, null, 'python3 -m http.server exited');
    await sleep(100);
  }
  return { origin, stop: () => proc.kill('SIGTERM') };
}

const site = useServer({
  async ready(s) {
    ({ server, browser, incidents } = s);
    // The static copy, published under a folder of the host.
    const pub = path.join(s.tmp, 'pub');
    const exported = spawnSync(BIN, ['export', '--db', s.db, '--site', path.join(pub, 'interactives', 'borderline')], { encoding: 'utf8' });
    assert.equal(exported.status, 0, `export --site failed: ${exported.stderr}`);
    const py = await pythonServer(pub);
    staticSite = { root: `${py.origin}/interactives/borderline/`, stop: py.stop };
  },
});
after(() => { if (staticSite) staticSite.stop(); });

const inForce = (day) => incidents.features.filter((f) => f.properties.in_force_from <= day && day <= f.properties.in_force_to);

/** A page on which every request to another origin than `origin` is refused, as with no internet. */
async function offlinePage(origin, viewport) {
  const opened = await openPage(browser, viewport);
  const blocked = [];
  await opened.context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    blocked.push(url);
    return route.abort('internetdisconnected');
  });
  return { ...opened, blocked };
}

// Ready, and nothing left in flight: navigating away would abort it, which
// would read as a failed request.
const ready = async (page) => {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
  await page.waitForLoadState('networkidle');
};
async function setDay(page, day) {
  await page.locator('#date-slider').fill(String(Date.parse(`${day}T00:00:00Z`) / 86400000));
  await page.waitForSelector(`body[data-day="${day}"]`, { timeout: 5000 });
}
const listed = (page) => page.$$eval('#incident-list button[data-id]', (bs) => bs.map((b) => b.dataset.id).sort());

/** The checks every copy of the site passes: map, slider, card, embed, presentation. */
async function exercise(label, pageAt, origin) {
  const { context, page, failed, errors, blocked } = await offlinePage(origin, { width: 1366, height: 768 });
  try {
    await page.goto(pageAt('map', `?date=${BEFORE}`));
    await ready(page);
    assert.ok(await page.locator('path.border-line').count() > 0, `${label}: the border`);
    assert.deepEqual(await listed(page), inForce(BEFORE).map((f) => f.id).sort(), `${label}: the list on ${BEFORE}`);
    await setDay(page, DAY);
    assert.deepEqual(await listed(page), inForce(DAY).map((f) => f.id).sort(), `${label}: the slider changed what is shown`);
    assert.equal(await page.getAttribute('body', 'data-zone'), 'on', `${label}: the zone`);
    const first = inForce(DAY)[0];
    await page.locator(`#incident-list button[data-id="${first.id}"]`).click();
    await page.locator('#card').waitFor({ state: 'visible' });
    assert.equal(await page.locator('#card .card-title').innerText(), first.properties.title, `${label}: the card`);
    await page.waitForLoadState('networkidle'); // its area's outline
    await page.screenshot({ path: path.join(SHOTS, `${label}-map.png`) });

    await page.goto(pageAt('embed', `?date=${DAY}`));
    await ready(page);
    assert.ok(await page.locator('.incident-marker').count() > 0, `${label}: the embed's markers`);
    const full = new URL(await page.getAttribute('#open-full', 'href'));
    assert.equal(full.href.split('?')[0], pageAt('map', ''), `${label}: the embed links to this copy's map`);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(SHOTS, `${label}-embed.png`) });

    await page.goto(pageAt('present', '?story=closure&step=2'));
    await ready(page);
    await page.keyboard.press('ArrowRight');
    await page.waitForSelector('body[data-step="3"]', { timeout: 10000 });
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: path.join(SHOTS, `${label}-present.png`) });

    assert.deepEqual(blocked, [], `${label}: requests that would need the internet`);
    assert.deepEqual(failed, [], `${label}: failed requests`);
    assert.deepEqual(errors, [], `${label}: console errors`);
  } finally {
    await context.close();
  }
}

test('offline: the map, the embed and the presentation need nothing beyond the server', async () => {
  const pages = { map: '/', embed: '/embed', present: '/present' };
  await exercise('offline', (name, q) => `${server.base}${pages[name]}${q}`, server.base);
});

test('static copy: served by a plain static server under a folder, it works the same', async () => {
  const pages = { map: '', embed: 'embed/', present: 'present/' };
  await exercise('static', (name, q) => `${staticSite.root}${pages[name]}${q}`, new URL(staticSite.root).origin);
});

test('static copy: on a phone, the map, its sheet and a card', async () => {
  const { context, page, failed, errors } = await offlinePage(new URL(staticSite.root).origin, { width: 390, height: 844 });
  try {
    await page.goto(`${staticSite.root}?date=${DAY}`);
    await ready(page);
    await page.locator('#sheet-handle').click();
    await page.waitForSelector('#panel.is-open');
    assert.deepEqual(await listed(page), inForce(DAY).map((f) => f.id).sort());
    await page.locator('#incident-list button[data-id]').first().click();
    await page.locator('#card').waitFor({ state: 'visible' });
    await page.screenshot({ path: path.join(SHOTS, 'static-phone.png') });
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('static copy: search, downloads and the citation work from the exported files', async () => {
  const origin = new URL(staticSite.root).origin;
  const { context, page, failed, errors, blocked } = await offlinePage(origin, { width: 1366, height: 768 });
  try {
    // The search answers as the server does.
    // "port" starts no word but is inside many (report, support): words match from their start.
    for (const q of ['Hyesan', 'phone', 'shoot border', 'RFA', '혜산', 'port', 'ban']) {
      const want = await getJSON(server.base, `/collections/incidents/items?limit=100&q=${encodeURIComponent(q)}`);
      await page.goto(`${staticSite.root}?date=${DAY}&q=${encodeURIComponent(q)}`);
      await page.waitForFunction((t) => document.body.dataset.search === t, q, { timeout: 20000 });
      await page.waitForLoadState('networkidle');
      assert.deepEqual(await page.$$eval('#incident-list button[data-id]', (bs) => bs.map((b) => b.dataset.id)),
        want.features.map((f) => f.id), `the static copy's search for “${q}”`);
    }
    // The page says it is a static copy, under a strict policy of its own.
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline/);
    assert.equal(await page.locator('link[type="application/json+oembed"]').count(), 0, 'no oEmbed link without a server');

    // Share: the downloads are the exported files, and say so; the citation loads.
    await page.locator('#share-btn').click();
    await page.locator('#share-dialog').waitFor({ state: 'visible' });
    assert.match(await page.locator('#download-what').innerText(), /every incident/);
    for (const [sel, name] of [['#download-csv', 'data/incidents.csv'], ['#download-geojson', 'data/incidents.geojson']]) {
      const href = await page.getAttribute(sel, 'href');
      assert.equal(href, `${staticSite.root}${name}`);
      const res = await fetch(href);
      assert.equal(res.status, 200, `${name} is there`);
    }
    await page.waitForFunction(() => /retrieved/.test(document.querySelector('#share-citation').value));
    const code = await page.locator('#embed-code').inputValue();
    assert.ok(code.includes(`${staticSite.root}embed/?`) && code.includes(`${staticSite.root}embed.js`), `embed code: ${code}`);
    await page.waitForLoadState('networkidle'); // the preview's requests
    await page.screenshot({ path: path.join(SHOTS, 'static-share.png') });

    // The citation page and the data list, with their links inside the copy.
    await page.goto(`${staticSite.root}cite/`);
    await page.waitForLoadState('networkidle');
    assert.match(await page.locator('h1').innerText(), /cite/i);
    for (const href of await page.$$eval('a[href]', (as) => as.map((a) => a.href))) {
      if (href.startsWith(origin)) assert.equal((await fetch(href)).status, 200, `a link of /cite: ${href}`);
    }
    await page.goto(`${staticSite.root}data/`);
    const files = await page.$$eval('a[href]', (as) => as.map((a) => a.href).filter((h) => h.includes('/data/')));
    assert.ok(files.length >= 10, 'the data files are listed');
    for (const f of files) assert.equal((await fetch(f)).status, 200, f);
    assert.deepEqual(blocked, []);
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('static copy: a second export replaces the first; a folder that is not a copy is refused', () => {
  const dir = path.join(site.tmp, 'again');
  for (let i = 0; i < 2; i++) {
    const r = spawnSync(BIN, ['export', '--db', path.join(site.tmp, 'test.db'), '--site', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  }
  const other = path.join(site.tmp, 'mine');
  fs.mkdirSync(other);
  fs.writeFileSync(path.join(other, 'notes.txt'), 'keep me');
  const r = spawnSync(BIN, ['export', '--db', path.join(site.tmp, 'test.db'), '--site', other], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /not empty/);
  assert.equal(fs.readFileSync(path.join(other, 'notes.txt'), 'utf8'), 'keep me', 'nothing of the folder was touched');
});
