// What every browser test needs: the real server binary on a free loopback
// port with a database of its own, Debian's headless Chromium, and pages that
// record their requests and console errors.
//
// Environment: BORDERLINE_BIN (default bin/borderline), CHROMIUM (default
// /usr/bin/chromium). Screenshots go to e2e/screenshots/ (not committed).

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.resolve(ROOT, process.env.BORDERLINE_BIN || 'bin/borderline');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const SHOTS = path.join(ROOT, 'e2e', 'screenshots');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A temporary folder, removed by the returned cleanup. */
export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'borderline-e2e-'));
}

/**
 * Starts `borderline serve` on a free port (or the port given) with the
 * database `db` and extra arguments; resolves to {base, process, log(),
 * stop()} once /healthz answers.
 */
export async function startServer(db, extraArgs = [], { port } = {}) {
  assert.ok(fs.existsSync(BIN), `server binary ${BIN} not found: run "make build" first (or set BORDERLINE_BIN)`);
  port = port || await freePort();
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const proc = spawn(BIN, ['serve', '--addr', `127.0.0.1:${port}`, '--db', db, ...extraArgs], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const server = {
    base,
    process: proc,
    log: () => log,
    async stop() {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      const exited = await Promise.race([
        new Promise((r) => proc.once('exit', () => r(true))),
        sleep(5000).then(() => false),
      ]);
      if (!exited) proc.kill('SIGKILL');
    },
  };
  await waitForHealth(server, 60000);
  return server;
}

async function waitForHealth(server, ms) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) throw new Error(`server exited with ${server.process.exitCode}:\n${server.log()}`);
    try {
      const res = await fetch(`${server.base}/healthz`);
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await sleep(150);
  }
  throw new Error(`server not healthy after ${ms} ms (${last}):\n${server.log()}`);
}

export async function launchBrowser() {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page that records every request, every failed one (a network error or an
 * HTTP status of 400 and up) and every console error.
 */
export async function openPage(browser, viewport, { mobile = false, bypassCSP = false } = {}) {
  const context = await browser.newContext({
    viewport, isMobile: mobile, hasTouch: mobile, deviceScaleFactor: 1, serviceWorkers: 'block', bypassCSP,
  });
  const page = await context.newPage();
  const requests = [];
  const failed = [];
  const errors = [];
  watch(page, { requests, failed, errors });
  return { context, page, requests, failed, errors };
}

/** Records a page's requests, failures and console errors into the given arrays. */
export function watch(page, { requests, failed, errors }) {
  page.on('request', (r) => requests.push(r.url()));
  page.on('requestfailed', (r) => {
    const why = r.failure() && r.failure().errorText;
    // The browser asks for the icon itself, after the page has loaded; a
    // test that goes on to the next page cancels it. Not the map's failure.
    if (why === 'net::ERR_ABORTED' && new URL(r.url()).pathname.endsWith('favicon.svg')) return;
    failed.push(`${r.url()}: ${why}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.url()}: HTTP ${r.status()}`); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
}

export async function getJSON(base, p) {
  const res = await fetch(base + p);
  assert.equal(res.status, 200, `GET ${p}`);
  return res.json();
}

/** Requests that left the given origins. */
export function foreignRequests(requests, origins) {
  const allowed = new Set(origins.map((o) => new URL(o).host));
  return requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && !allowed.has(new URL(u).host));
}

/** Runs axe-core's WCAG 2.1 A/AA rules on the page (which must bypass the CSP to inject it). */
export async function axeViolations(page) {
  await page.addScriptTag({ path: path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js') });
  const result = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  assert.ok(result.passes.length > 10, 'axe ran its rules');
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * For a test file: before its tests, a fresh database, the server on it,
 * its incidents and Chromium; after them, all stopped and removed. The
 * returned object is filled in before the first test runs. `prepare(site)`
 * runs before the server starts (site.tmp and site.db are set), `ready(site)`
 * once all is up. (A file's own root-level before hook is not awaited after
 * this one in Node 20, so set-up that needs the server goes in `ready`.)
 */
export function useServer({ prepare, ready } = {}) {
  const site = {};
  before(async () => {
    site.tmp = tempDir();
    site.db = path.join(site.tmp, 'test.db');
    if (prepare) await prepare(site);
    site.server = await startServer(site.db);
    site.base = site.server.base;
    site.incidents = await getJSON(site.base, '/collections/incidents/items?limit=10000');
    site.browser = await launchBrowser();
    if (ready) await ready(site);
  });
  after(async () => {
    if (site.browser) await site.browser.close().catch(() => {});
    if (site.server) await site.server.stop();
    if (site.tmp) fs.rmSync(site.tmp, { recursive: true, force: true });
  });
  return site;
}
