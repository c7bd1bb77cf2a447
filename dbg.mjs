import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] });
for (const mobile of [false, true]) {
const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: mobile, hasTouch: mobile })).newPage();
await page.goto('http://127.0.0.1:18080/?date=2020-08-27');
await page.waitForSelector('body[data-ready="true"]');
console.log(mobile, await page.evaluate(() => [window.innerWidth, document.documentElement.scrollWidth, ...[...document.querySelectorAll('.timeline, .timeline-head, .timeline-controls, .timeline-track, .topbar, .layout, .map-wrap')].map((e) => `${e.className}: ${e.scrollWidth}/${e.clientWidth}`)]));
}
await browser.close();
