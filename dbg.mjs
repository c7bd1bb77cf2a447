import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
const page = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
await page.goto('http://127.0.0.1:18081/?date=2020-08-27');
await page.waitForSelector('body[data-ready="true"]');
await page.locator('#date-slider').focus();
for (let i = 0; i < 15; i++) { await page.keyboard.press('ArrowRight'); await page.waitForTimeout(400); }
console.log(await page.evaluate(() => {
  const m = (n) => performance.getEntriesByName(n).map((e) => e.startTime);
  const s = m('borderline-step-start'), d = m('borderline-step-data'), v = m('borderline-step-map');
  return performance.getEntriesByName('borderline-step').map((e, i) => `${e.duration.toFixed(0)}`).join(' ') + ' | data ' + d.slice(-10).map((x, i) => x.toFixed(0)).join(' ') + ' | map ' + v.slice(-10).map((x) => x.toFixed(0)).join(' ');
}));
await browser.close();
