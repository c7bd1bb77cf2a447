// The view lives in the URL's query string so that any view can be shared:
//   ?date=2020-08-26&incident=I16&lat=41.20&lng=127.40&z=7&cat=border_security,arrests&q=hyesan
// Values are validated here; anything odd is dropped, never trusted.

import { isISODate } from './dates.js';
import { CATEGORY_IDS } from './categories.js';

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
/** The server refuses longer searches (server/params.go). */
export const MAX_QUERY = 200;

export function readState(search = window.location.search) {
  const q = new URLSearchParams(search);
  const state = {};
  const date = q.get('date');
  if (isISODate(date)) state.date = date;
  const incident = q.get('incident');
  if (incident && ID_RE.test(incident)) state.incident = incident;
  const lat = Number.parseFloat(q.get('lat'));
  const lng = Number.parseFloat(q.get('lng'));
  const z = Number.parseFloat(q.get('z'));
  if (Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 85 && Math.abs(lng) <= 180) {
    state.center = [lat, lng];
  }
  if (Number.isFinite(z) && z >= 0 && z <= 20) state.zoom = z;
  if (q.has('cat')) {
    const raw = q.get('cat');
    state.categories = raw === 'none' ? [] : raw.split(',').filter((c) => CATEGORY_IDS.includes(c));
  }
  const text = (q.get('q') || '').trim();
  if (text && text.length <= MAX_QUERY) state.query = text;
  return state;
}

export function buildSearch(state) {
  const q = new URLSearchParams();
  if (state.date) q.set('date', state.date);
  if (state.incident) q.set('incident', state.incident);
  if (state.center) {
    q.set('lat', state.center[0].toFixed(4));
    q.set('lng', state.center[1].toFixed(4));
  }
  if (state.zoom !== undefined) q.set('z', String(Math.round(state.zoom * 100) / 100));
  if (state.categories && state.categories.length !== CATEGORY_IDS.length) {
    q.set('cat', state.categories.length ? state.categories.join(',') : 'none');
  }
  if (state.query) q.set('q', state.query);
  const s = q.toString().replace(/%2C/g, ',');
  return s ? `?${s}` : '';
}

/** Replaces the current history entry (no new entry per slider step) with a query string from buildSearch. */
export function writeState(search) {
  const url = `${window.location.pathname}${search}${window.location.hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(null, '', url);
  }
}
