// The HTTP/JSON contract with the server (docs/architecture.md):
// OGC API – Features collections as GeoJSON FeatureCollections. URLs are
// resolved against the site's root (site.js), not the host's.

import { siteURL, STATIC } from './site.js';
import { staticItems, staticFeature } from './staticdata.js';

export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/**
 * GET /collections/{id}/items with query parameters; resolves to one
 * FeatureCollection holding every page: the server caps a page at 10,000
 * features, so the rel="next" links are followed until there are none
 * (unless `follow` is false: then it is the first page, numberMatched telling
 * how many there are in all).
 */
export async function fetchItems(collection, params = {}, { signal, follow = true } = {}) {
  if (STATIC) return asApiError(collection, staticItems(collection, params));
  const query = new URLSearchParams({ limit: '10000', ...params });
  let url = siteURL(`collections/${encodeURIComponent(collection)}/items?${query}`);
  let all = null;
  while (url) {
    const page = await fetchPage(collection, url, signal);
    if (all) all.features.push(...page.features);
    else all = page;
    const next = (page.links || []).find((l) => l.rel === 'next');
    // Only the path is used: the host in the link is what the server was
    // called by, which behind a proxy may not be ours.
    url = next && follow ? nextPath(next.href) : null;
  }
  all.numberReturned = all.features.length;
  return all;
}

/** GET /collections/{id}/items/{featureId}: one GeoJSON Feature. */
export async function fetchFeature(collection, id, { signal, params } = {}) {
  if (STATIC) return asApiError(collection, staticFeature(collection, id, params));
  const query = params ? `?${new URLSearchParams(params)}` : '';
  const url = siteURL(`collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(id)}${query}`);
  const body = await fetchJSON(collection, url, signal);
  if (!body || body.type !== 'Feature') {
    throw new ApiError(`The server sent something other than a Feature for ${collection}/${id}.`, 200);
  }
  return body;
}

/** A static copy's failure, in the form the callers know. */
function asApiError(collection, promise) {
  return promise.catch((err) => { throw new ApiError(`Loading ${collection} failed: ${err.message}`, 0); });
}

function nextPath(href) {
  const u = new URL(href, window.location.href);
  return u.pathname.startsWith('/collections/') ? siteURL(u.pathname + u.search) : null;
}

async function fetchPage(collection, url, signal) {
  const body = await fetchJSON(collection, url, signal);
  if (!body || body.type !== 'FeatureCollection' || !Array.isArray(body.features)) {
    throw new ApiError(`The server sent something other than a FeatureCollection for ${collection}.`, 200);
  }
  return body;
}

async function fetchJSON(collection, url, signal) {
  return getJSON(url, collection, { signal, accept: 'application/geo+json, application/json' });
}

/**
 * GETs JSON, with the server's own description of a failure in the error:
 * `what` names the thing for the reader ("incidents", "the stories").
 */
export async function getJSON(url, what, { signal, accept = 'application/json' } = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: accept }, signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(`Could not reach the server for ${what}.`, 0);
  }
  if (!response.ok) {
    let description = response.statusText;
    try {
      const body = await response.json();
      if (body && typeof body.description === 'string') description = body.description;
    } catch { /* not JSON */ }
    throw new ApiError(`Loading ${what} failed (${response.status}): ${description}`, response.status);
  }
  return response.json();
}
