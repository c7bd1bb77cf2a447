// The view lives in the URL's query string so that any view can be shared:
//   ?date=2020-08-26&mode=window&window=30&incident=I16&lat=41.20&lng=127.40&z=7
//    &cat=border_security,arrests&ver=single_source&src=dailynk-2021-03&q=hyesan&place=hyesan&lang=ko&labels=ko
// Values are read generously where the meaning is clear (a category's label,
// any case) and otherwise reported to the reader: a link typed by hand never
// silently empties the map.

import { isISODate } from './dates.js';
import { CATEGORIES, VERIFICATION } from './categories.js';

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** The server refuses longer searches (server/params.go). */
export const MAX_QUERY = 200;
export const MODES = ['day', 'cumulative', 'window'];
export const DEFAULT_WINDOW = 30;
export const MAX_WINDOW = 366;
export const LANGS = ['en', 'ko'];

const fold = (s) => String(s).trim().toLowerCase().replace(/[\s_-]+/g, '_');

/** A category from its id, label, short name or letter, in any case. */
export function categoryFrom(text) {
  const t = fold(text);
  const c = CATEGORIES.find((k) => [k.id, k.label, k.short].some((n) => fold(n) === t) || k.letter.toLowerCase() === t);
  return c ? c.id : null;
}

/** A verification status from its code, label or short name, in any case. */
export function verificationFrom(text) {
  const t = fold(text);
  const hit = Object.entries(VERIFICATION).find(([id, v]) => [id, v.label, v.short].some((n) => fold(n) === t));
  return hit ? hit[0] : null;
}

/** Reads a list parameter through `resolve`; what it cannot read becomes a problem. */
function readList(raw, resolve, what, problems) {
  if (raw === 'none') return [];
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const ok = [];
  const bad = [];
  for (const p of parts) {
    const v = resolve(p);
    if (v) { if (!ok.includes(v)) ok.push(v); } else bad.push(p);
  }
  if (bad.length) {
    problems.push(ok.length
      ? `The link names ${what} this map does not have (${bad.join(', ')}); it is left out.`
      : `The link names ${what} this map does not have (${bad.join(', ')}), so that filter is not applied.`);
  }
  // Nothing readable: no filter rather than an empty map.
  return ok.length ? ok : undefined;
}

/**
 * The state in a query string: {state, problems}. `state` holds only what
 * the URL gives; `problems` are sentences for the reader about what it gave
 * that could not be read.
 */
export function readState(search = window.location.search) {
  const q = new URLSearchParams(search);
  const state = {};
  const problems = [];
  const date = q.get('date');
  if (date !== null) {
    if (isISODate(date.trim())) state.date = date.trim();
    else problems.push(`The link's date “${date}” is not a date of the form 2020-08-26; showing the default day.`);
  }
  const incident = q.get('incident');
  if (incident && ID_RE.test(incident)) state.incident = incident;
  const place = q.get('place');
  if (place && ID_RE.test(place)) state.place = place;
  const lat = Number.parseFloat(q.get('lat'));
  const lng = Number.parseFloat(q.get('lng'));
  const z = Number.parseFloat(q.get('z'));
  if (Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 85 && Math.abs(lng) <= 180) {
    state.center = [lat, lng];
  }
  if (Number.isFinite(z) && z >= 0 && z <= 20) state.zoom = z;
  if (q.has('cat')) {
    const v = readList(q.get('cat'), categoryFrom, 'categories', problems);
    if (v) state.categories = v;
  }
  if (q.has('ver')) {
    const v = readList(q.get('ver'), verificationFrom, 'kinds of verification', problems);
    if (v) state.verifications = v;
  }
  // Sources are known only once the data is loaded: filters.js reads them.
  if (q.has('src')) state.sources = q.get('src').split(',').map((s) => s.trim()).filter(Boolean);
  const mode = q.get('mode');
  if (mode !== null) {
    const m = fold(mode);
    if (MODES.includes(m)) state.mode = m;
    else problems.push(`The link's time mode “${mode}” is not one of day, cumulative or window; showing what is in force on the day.`);
  }
  const win = q.get('window');
  if (win !== null) {
    const n = Number(win);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_WINDOW) state.window = n;
    else problems.push(`The link's window “${win}” is not a number of days from 1 to ${MAX_WINDOW}; using ${DEFAULT_WINDOW}.`);
  }
  const text = (q.get('q') || '').trim();
  if (text && text.length <= MAX_QUERY) state.query = text;
  for (const key of ['lang', 'labels']) {
    const v = q.get(key);
    if (v === null) continue;
    if (LANGS.includes(fold(v))) state[key] = fold(v);
    else problems.push(`The link's ${key === 'lang' ? 'language' : 'label language'} “${v}” is not en or ko.`);
  }
  return { state, problems };
}

/** The query string of a state (only what differs from the defaults). */
export function buildSearch(state) {
  const q = new URLSearchParams();
  if (state.date) q.set('date', state.date);
  if (state.mode && state.mode !== 'day') q.set('mode', state.mode);
  if (state.mode === 'window' && state.window) q.set('window', String(state.window));
  if (state.incident) q.set('incident', state.incident);
  if (state.center) {
    q.set('lat', state.center[0].toFixed(4));
    q.set('lng', state.center[1].toFixed(4));
  }
  if (state.zoom !== undefined) q.set('z', String(Math.round(state.zoom * 100) / 100));
  if (state.categories && state.categories.length !== CATEGORIES.length) {
    q.set('cat', state.categories.length ? state.categories.join(',') : 'none');
  }
  const verCount = Object.keys(VERIFICATION).length;
  if (state.verifications && state.verifications.length !== verCount) {
    q.set('ver', state.verifications.length ? state.verifications.join(',') : 'none');
  }
  if (state.sources && state.sources.length) q.set('src', state.sources.join(','));
  if (state.query) q.set('q', state.query);
  if (state.place) q.set('place', state.place);
  if (state.lang) q.set('lang', state.lang);
  if (state.labels) q.set('labels', state.labels);
  const s = q.toString().replace(/%2C/g, ',');
  return s ? `?${s}` : '';
}

/**
 * Puts a query string from buildSearch in the address bar: a new history
 * entry with `push` (a step the reader may want to go Back to: a selection, a
 * search, a filter, a mode), otherwise in place of the current one (slider
 * ticks and map pans).
 */
export function writeState(search, { push = false } = {}) {
  const url = `${window.location.pathname}${search}${window.location.hash}`;
  if (url === `${window.location.pathname}${window.location.search}${window.location.hash}`) return;
  if (push) window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}
