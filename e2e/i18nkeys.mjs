// Every English string the interface shows, found where it is written: the
// t()/count() calls in static/js, the code lists' labels, and the text and
// label attributes of the pages' markup. The Korean dictionary (ko.js) must
// have each of them; `node e2e/i18nkeys.mjs` prints those it lacks.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORIES, VERIFICATION, LOCATION_PRECISION, PLACE_KINDS, COUNTRY_NAMES } from '../static/js/categories.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const JS = path.join(ROOT, 'static', 'js');
const PAGES = ['index.html', 'embed.html', 'present.html'].map((f) => path.join(ROOT, 'static', f));

/** The string literals passed to t(), count() and plural(), and the lists of English strings meant for t(). */
function fromScripts() {
  const keys = new Set();
  const lit = String.raw`'((?:[^'\\]|\\.)*)'`;
  const call = new RegExp(String.raw`\b(?:t|count|plural)\(\s*(?:[\w.]+\s*,\s*)?${lit}(?:\s*,\s*${lit})?`, 'g');
  for (const f of fs.readdirSync(JS).filter((n) => n.endsWith('.js') && n !== 'ko.js')) {
    const src = fs.readFileSync(path.join(JS, f), 'utf8');
    for (const m of src.matchAll(call)) {
      for (const k of [m[1], m[2]]) if (k !== undefined) keys.add(k.replace(/\\'/g, "'"));
    }
    // Arrays of sentences that are translated where they are used (about.js, basemap.js).
    for (const m of src.matchAll(/\[\s*'([^']+)',\s*'([^']{20,})'\s*\]/g)) { keys.add(m[1]); keys.add(m[2]); }
    for (const m of src.matchAll(/^\s*'((?:[^'\\]|\\.){30,})',\s*$/gm)) keys.add(m[1].replace(/\\'/g, "'"));
    for (const m of src.matchAll(/\{ text: '([^']+)'/g)) keys.add(m[1]);
    for (const m of src.matchAll(/^(?:export )?const OFF_MAP_\w+ = '([^']+)'/gm)) keys.add(m[1]);
  }
  return keys;
}

function fromCodeLists() {
  const keys = new Set();
  for (const c of CATEGORIES) { keys.add(c.label); keys.add(c.short); }
  for (const v of Object.values(VERIFICATION)) keys.add(v.label);
  for (const o of [LOCATION_PRECISION, PLACE_KINDS, COUNTRY_NAMES]) for (const v of Object.values(o)) keys.add(v);
  return keys;
}

/** Text between tags and the label attributes, in the pages' own markup. */
function fromPages() {
  const keys = new Set();
  for (const file of PAGES) {
    const html = fs.readFileSync(file, 'utf8').replace(/<script[\s\S]*?<\/script>/g, '').replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/<[^>]*data-no-translate[^>]*>[^<]*/g, '');
    for (const m of html.matchAll(/>([^<>]+)</g)) {
      const text = m[1].trim();
      if (/[A-Za-z]{2}/.test(text) && !/^&\w+;$/.test(text)) keys.add(text.replace(/&amp;/g, '&'));
    }
    for (const m of html.matchAll(/\b(?:aria-label|title|placeholder|alt)="([^"]+)"/g)) keys.add(m[1].replace(/&amp;/g, '&'));
  }
  return keys;
}

export function interfaceStrings() {
  return [...new Set([...fromScripts(), ...fromCodeLists(), ...fromPages()])]
    .filter((k) => /[A-Za-z]/.test(k) && k !== 'Borderline' && !/^https?:/.test(k) && !k.includes('<a ')).sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { KO } = await import('../static/js/ko.js');
  const missing = interfaceStrings().filter((k) => !KO[k]);
  process.stdout.write(JSON.stringify(missing, null, 1));
  process.stderr.write(`\n${missing.length} of ${interfaceStrings().length} strings have no Korean\n`);
}
