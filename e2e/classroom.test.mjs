// Browser tests of what teachers use: the presentation at a projector's
// 1280 × 720, its keys, autoplay and touch, and starting it from the map.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  SHOTS, useServer, openPage, getJSON, axeViolations,
} from './harness.mjs';

const PROJECTOR = { width: 1280, height: 720 };

let base;
let browser;
let incidents;
let closure;

useServer({
  async ready(s) {
    ({ base, browser, incidents } = s);
    closure = await getJSON(base, '/stories/closure');
  },
});

const incident = (id) => incidents.features.find((f) => f.id === id);
const atStep = (page, n) => page.waitForSelector(`body[data-step="${n}"]`, { timeout: 10000 });

test('present: every step of the story on a projector, large and whole', async () => {
  const { context, page, failed, errors } = await openPage(browser, PROJECTOR);
  try {
    await page.goto(`${base}/present?story=closure&step=1`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    const n = closure.steps.length;
    assert.ok(n >= 12 && n <= 20, `the story has ${n} steps`);
    for (const step of closure.steps) {
      await atStep(page, step.step);
      const f = incident(step.incident);
      assert.equal(await page.locator('#step-counter').innerText(), `${step.step} of ${n}`);
      assert.equal(await page.locator('#step-title').innerText(), step.title);
      assert.equal(await page.locator('#step-intro').innerText(), step.intro);
      // The map is at the day the incident came into force, with it selected.
      assert.equal(await page.getAttribute('body', 'data-day'), f.properties.in_force_from, `step ${step.step}: the day`);
      if (!f.properties.off_map && f.geometry) {
        assert.ok(await page.locator(`.incident-marker[data-incident-id="${f.id}"]`).count() > 0, `step ${step.step}: its marker`);
      }
      const facts = await page.locator('#step-facts').innerText();
      for (const s of f.properties.sources) assert.ok(facts.includes(s.outlet), `step ${step.step}: source ${s.outlet}`);
      assert.match(await page.locator('.step-kicker').innerText(), new RegExp(f.properties.verification === 'single_source' ? 'unverified' : '\\w'));
      // Readable from the back of the room, and whole: nothing to scroll.
      const fit = await page.evaluate(() => {
        const card = document.querySelector('#step-card');
        const px = (sel) => [...document.querySelectorAll(sel)].map((n) => parseFloat(getComputedStyle(n).fontSize));
        return { over: card.scrollHeight - card.clientHeight, body: [...px('#step-intro'), ...px('#step-facts dd')] };
      });
      assert.ok(fit.over <= 0, `step ${step.step} does not fit: ${fit.over}px to scroll`);
      assert.ok(fit.body.every((s) => s >= 28), `step ${step.step}: body text of ${Math.min(...fit.body)}px`);
      if ([1, 11, n].includes(step.step)) await page.screenshot({ path: path.join(SHOTS, `present-step-${step.step}.png`) });
      if (step.step < n) await page.keyboard.press('ArrowRight');
    }
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('present: keys and clickers, the step in the URL, Escape to the map at that step', async () => {
  const { context, page, failed, errors } = await openPage(browser, PROJECTOR);
  try {
    await page.goto(`${base}/present?story=closure&step=3`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    await atStep(page, 3);
    const n = closure.steps.length;
    for (const [key, want] of [['ArrowRight', 4], ['Space', 5], ['PageDown', 6], ['ArrowLeft', 5], ['PageUp', 4], ['End', n], ['Home', 1], ['ArrowLeft', 1]]) {
      await page.keyboard.press(key);
      await atStep(page, want);
      assert.equal(new URL(page.url()).searchParams.get('step'), String(want), `after ${key}`);
    }
    assert.equal(await page.locator('#prev').isDisabled(), true, 'no step before the first');
    await page.keyboard.press('End');
    await atStep(page, n);
    await page.reload();
    await atStep(page, n);
    assert.equal(await page.locator('#step-title').innerText(), closure.steps[n - 1].title, 'a reload keeps the step');
    await page.keyboard.press('Escape');
    await page.waitForURL((u) => u.pathname === '/', { timeout: 10000 });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    const last = incident(closure.steps[n - 1].incident);
    assert.equal(new URL(page.url()).searchParams.get('incident'), last.id);
    assert.equal(await page.getAttribute('body', 'data-day'), last.properties.in_force_from);
    assert.equal(await page.locator('#card .card-title').innerText(), last.properties.title);
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('present: autoplay advances by itself and loops at the end', async () => {
  const { context, page, errors } = await openPage(browser, PROJECTOR);
  try {
    const n = closure.steps.length;
    await page.goto(`${base}/present?story=closure&step=${n - 1}&autoplay=2`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    await atStep(page, n);
    await atStep(page, 1);
    assert.equal(new URL(page.url()).searchParams.get('autoplay'), '2');
    await page.locator('#autoplay').click(); // pause
    await page.waitForTimeout(2600);
    assert.equal(await page.getAttribute('body', 'data-step'), '1', 'paused');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('present: by touch, with the buttons or a swipe on the card', async () => {
  const { context, page, errors } = await openPage(browser, { width: 390, height: 844 }, { mobile: true });
  try {
    await page.goto(`${base}/present?story=closure&step=1`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    await page.locator('#next').tap();
    await atStep(page, 2);
    await page.screenshot({ path: path.join(SHOTS, 'present-phone.png') });
    const swipe = (dx) => page.evaluate((d) => {
      const card = document.querySelector('#step-card');
      const at = (x) => [new Touch({ identifier: 1, target: card, clientX: x, clientY: 500 })];
      card.dispatchEvent(new TouchEvent('touchstart', { changedTouches: at(200), touches: at(200), bubbles: true }));
      card.dispatchEvent(new TouchEvent('touchend', { changedTouches: at(200 + d), touches: [], bubbles: true }));
    }, dx);
    await swipe(-120);
    await atStep(page, 3);
    await swipe(120);
    await atStep(page, 2);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('present: starts from the map at the selected incident, and tells every incident too', async () => {
  const { context, page, failed, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    const step = closure.steps[10];
    const f = incident(step.incident);
    await page.goto(`${base}/?date=${f.properties.in_force_from}&incident=${encodeURIComponent(f.id)}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    await page.waitForFunction(() => /incident=/.test(document.querySelector('#present-btn').href));
    await page.locator('#present-btn').click();
    await page.waitForSelector('body[data-page="present"][data-ready="true"]', { timeout: 20000 });
    await atStep(page, step.step);

    await page.waitForLoadState('networkidle');
    const all = await getJSON(base, '/stories/all');
    assert.equal(all.steps.length, incidents.features.length, 'one step per incident');
    await page.goto(`${base}/present?story=all&step=${all.steps.length}`);
    await atStep(page, all.steps.length);
    assert.equal(await page.locator('#step-title').innerText(), all.steps[all.steps.length - 1].title);
    assert.deepEqual(failed, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('present: no WCAG 2.1 A/AA violations that axe can find', async () => {
  const { context, page } = await openPage(browser, PROJECTOR, { bypassCSP: true });
  try {
    await page.goto(`${base}/present?story=closure&step=11`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    assert.deepEqual(await axeViolations(page), [], 'axe found violations');
  } finally {
    await context.close();
  }
});
