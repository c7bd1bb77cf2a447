// The data of a static copy (borderline export --site): the collections as
// files under data/ (server/site.go writes them), filtered here the way the
// server filters them, for the parameters the front end uses. A search is
// answered from the exported incidents: every word must start a word of the
// title, the summary, a place's names (English, Korean, Chinese, other
// spellings) or a source's outlet or reporter — the server's rule.

import { siteURL } from './site.js';

const files = new Map();

function load(name) {
  if (!files.has(name)) {
    const p = fetch(siteURL(name), { headers: { Accept: 'application/json' } }).then(async (r) => {
      if (!r.ok) throw new Error(`Loading ${name} failed (${r.status}).`);
      return r.json();
    });
    p.catch(() => files.delete(name)); // a failure is tried again next time
    files.set(name, p);
  }
  return files.get(name);
}

const fileOf = (collection, simplify) => (simplify ? `data/${collection}.simplify-${simplify}.json` : `data/${collection}.json`);

/**
 * Lower case, without accents: how the server's index compares words.
 * Recomposed afterwards, so that Hangul syllables (which NFD splits into
 * letters) compare whole, as the server compares them.
 */
const fold = (s) => String(s || '').normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC').toLowerCase();

/** The words of a text: runs of letters and digits (as the server reads a search). */
export function words(text) {
  return fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** Whether every word of the query starts some word of the text's words. */
export function matches(query, textWords) {
  return words(query).every((w) => textWords.some((t) => t.startsWith(w)));
}

let searchIndex = null;
function incidentWords() {
  if (!searchIndex) {
    searchIndex = Promise.all([load(fileOf('incidents')), load(fileOf('places'))]).then(([incidents, places]) => {
      const names = new Map((places.features || []).map((f) => {
        const p = f.properties || {};
        return [String(f.id), [p.name_en, p.name_ko, p.name_zh, ...(Array.isArray(p.alt_names) ? p.alt_names : [])]];
      }));
      return new Map(incidents.features.map((f) => {
        const p = f.properties || {};
        const text = [p.title, p.summary, p.title_ko, p.summary_ko,
          ...(p.places || []).flatMap((pl) => names.get(String(pl.id)) || [pl.name]),
          ...(p.sources || []).flatMap((s) => [s.outlet, s.original_reporter])];
        return [String(f.id), words(text.join(' '))];
      }));
    });
    searchIndex.catch(() => { searchIndex = null; });
  }
  return searchIndex;
}

const KNOWN = new Set(['limit', 'offset', 'simplify', 'kind', 'category', 'q']);

/** Like GET /collections/{id}/items with these parameters, from the files. */
export async function staticItems(collection, params = {}) {
  for (const k of Object.keys(params)) {
    if (!KNOWN.has(k)) throw new Error(`This static copy of the map cannot filter by ${k}.`);
  }
  const fc = await load(fileOf(collection, params.simplify));
  let features = fc.features || [];
  const list = (v) => new Set(String(v).split(',').map((s) => s.trim()).filter(Boolean));
  if (params.kind) {
    const kinds = list(params.kind);
    features = features.filter((f) => kinds.has(f.properties && f.properties.kind));
  }
  if (params.category) {
    const cats = list(params.category);
    features = features.filter((f) => cats.has(f.properties && f.properties.category));
  }
  if (params.q) {
    const index = await incidentWords();
    features = features.filter((f) => matches(params.q, index.get(String(f.id)) || []));
  }
  const matched = features.length;
  const offset = Number(params.offset) || 0;
  const limit = params.limit ? Number(params.limit) : matched;
  features = features.slice(offset, offset + limit);
  return { ...fc, features, numberMatched: matched, numberReturned: features.length };
}

/** Like GET /collections/{id}/items/{featureId}: area outlines are files of their own. */
export async function staticFeature(collection, id, params = {}) {
  if (collection === 'areas' && params.simplify) return load(`data/areas/${encodeURIComponent(id)}.simplify-${params.simplify}.json`);
  const fc = await load(fileOf(collection, params.simplify));
  const f = (fc.features || []).find((x) => String(x.id) === String(id));
  if (!f) throw new Error(`There is no feature ${id} in ${collection}.`);
  return f;
}
