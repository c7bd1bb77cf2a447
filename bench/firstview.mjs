// Prints the requests the map's page makes on its first load, one JSON object
// a line: {"url": "/path?query", "type": "script", "method": "GET",
// "status": 200, "accept": "*/*"}. Only
// requests to the page's own origin are listed, in the order the browser
// made them; the load orchestrator (bench/load) replays them with wrk.
//
//   node bench/firstview.mjs http://127.0.0.1:8080/ [--width 1280 --height 800]
//
// Environment: CHROMIUM (default /usr/bin/chromium). The page is given until
// the network is idle, then SETTLE_MS (default 1500) more for late requests
// (the timeline's counts, the data for the day).

import { chromium } from 'playwright-core';

const args = process.argv.slice(2);
const target = args.find((a) => !a.startsWith('--'));
if (!target) {
  console.error('usage: node bench/firstview.mjs URL [--width W --height H]');
  process.exit(2);
}
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const origin = new URL(target).origin;
const settle = Number(process.env.SETTLE_MS || 1500);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: opt('width', 1280), height: opt('height', 800) } });
  const page = await context.newPage();
  const seen = [];
  const byRequest = new Map();
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.origin !== origin) return;
    const entry = {
      url: u.pathname + u.search, type: req.resourceType(), method: req.method(), status: 0, accept: req.headers().accept || '',
    };
    byRequest.set(req, entry);
    seen.push(entry);
  });
  page.on('response', (res) => {
    const entry = byRequest.get(res.request());
    if (entry) entry.status = res.status();
  });
  await page.goto(target, { waitUntil: 'networkidle', timeout: 60000 });
  await page.waitForTimeout(settle);
  await page.waitForLoadState('networkidle', { timeout: 30000 });
  for (const e of seen) process.stdout.write(`${JSON.stringify(e)}\n`);
} finally {
  await browser.close();
}
