// Printing: the map page and the presentation printed to PDF in headless
// Chromium on A4 and US Letter, read back with poppler-utils (pdfinfo,
// pdftotext) and turned into PNG pages (pdftoppm) to look at.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  SHOTS, useServer, openPage, getJSON,
} from './harness.mjs';

const DAY = '2020-08-27';
const PAPER = { A4: [595, 842], Letter: [612, 792] }; // points

let base;
let browser;
let incidents;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  assert.ok(!r.error, `${cmd} is not installed (Debian: apt-get install poppler-utils): ${r.error && r.error.message}`);
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const site = useServer({ ready(s) { ({ base, browser, incidents } = s); } });

/** Prints the page as a browser would (print media, then the PDF) and reads it back. */
async function printPDF(page, name, format) {
  await page.emulateMedia({ media: 'print' });
  await page.waitForSelector('body[data-print="ready"]', { timeout: 5000 });
  const file = path.join(site.tmp, `${name}-${format}.pdf`);
  await page.pdf({ path: file, format });
  const info = run('pdfinfo', [file]);
  const [, w, h] = info.match(/Page size:\s+([\d.]+) x ([\d.]+) pts/);
  assert.ok(Math.abs(w - PAPER[format][0]) < 2 && Math.abs(h - PAPER[format][1]) < 2, `${name}: page size ${w} x ${h}, not ${format}`);
  const pages = Number(info.match(/Pages:\s+(\d+)/)[1]);
  // Pages to look at, in e2e/screenshots.
  run('pdftoppm', ['-r', '50', '-png', file, path.join(SHOTS, `print-${name}-${format}`)]);
  const text = run('pdftotext', ['-layout', file, '-']).replace(/\s+/g, ' ');
  await page.emulateMedia({ media: 'screen' });
  return { pages, text };
}

test('print: the map page prints the day, the filters, the map and every incident listed with its sources', async () => {
  const inForce = incidents.features.filter((f) => f.properties.in_force_from <= DAY && DAY <= f.properties.in_force_to);
  const { context, page, errors } = await openPage(browser, { width: 1366, height: 768 });
  try {
    await page.goto(`${base}/?date=${DAY}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    const before = await page.evaluate(() => [window.L && document.querySelector('#map').clientWidth, document.querySelector('#map').clientHeight]);
    for (const format of ['A4', 'Letter']) {
      const { pages, text } = await printPDF(page, 'map', format);
      assert.ok(pages >= 2, `${format}: ${pages} page(s)`);
      for (const want of ['Borderline', 'Thursday 27 August 2020', `${inForce.length} incidents in force`, 'all categories',
        'Hyesan', 'OpenStreetMap', 'This view online']) {
        assert.ok(text.includes(want), `${format}: the printout lacks “${want}”`);
      }
      for (const f of inForce) {
        const p = f.properties;
        assert.ok(text.includes(p.title.replace(/\s+/g, ' ')), `${format}: ${f.id} is not printed whole`);
        for (const s of p.sources) {
          assert.ok(text.includes(s.outlet), `${format}: ${f.id}'s source ${s.outlet}`);
          assert.ok(text.includes(`“${s.headline}”`.replace(/\s+/g, ' ')), `${format}: ${f.id}'s headline “${s.headline}”`);
        }
      }
      for (const control of ['Copy link', 'Speed', 'Search all dates', 'Legend', 'Share']) {
        assert.ok(!text.includes(control), `${format}: the control “${control}” is printed`);
      }
    }
    // Back on screen, the map has its screen size again.
    const again = await page.evaluate(() => [window.L && document.querySelector('#map').clientWidth, document.querySelector('#map').clientHeight]);
    assert.deepEqual(again, before, 'the map is back to its size on screen');

    // Filters and a search are said on paper too.
    await page.goto(`${base}/?date=${DAY}&cat=arrests,health&q=Hyesan`);
    await page.waitForSelector('body[data-search="Hyesan"]', { timeout: 20000 });
    const { text } = await printPDF(page, 'map-search', 'A4');
    assert.ok(text.includes('matching “Hyesan”') && text.includes('only Arrests and punishment, Deaths and health'), 'the search and the filter are printed');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('print: the presentation prints its step and the whole story as a handout', async () => {
  const story = await getJSON(base, '/stories/closure');
  const { context, page, errors } = await openPage(browser, { width: 1280, height: 720 });
  try {
    await page.goto(`${base}/present?story=closure&step=4`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
    const { pages, text } = await printPDF(page, 'present', 'Letter');
    assert.ok(pages >= 2, `${pages} page(s)`);
    assert.ok(text.includes(story.title.replace(/\s+/g, ' ')), 'the story title');
    assert.ok(text.includes(`Step 4 of ${story.steps.length}`), 'the step shown');
    for (const s of story.steps) assert.ok(text.includes(s.title), `step ${s.step} “${s.title}” is printed`);
    for (const control of ['Full screen', 'Open the map here', 'Next']) assert.ok(!text.includes(control), `the control “${control}” is printed`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
