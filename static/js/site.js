// Where this copy of Borderline lives. The same modules run on the Borderline
// server and in a static copy (`borderline export --site DIR`) published under
// any folder of a newsroom's site, so no URL here starts with "/": everything
// is resolved against the site's root, found from this module's own address:
// the folder above static/, whether the module is static/js/site.js or, as the
// pages load it, static/VERSION/js/site.js (server/assets.go).

const HERE = new URL(import.meta.url);
export const ROOT = new URL(HERE.pathname.slice(0, HERE.pathname.lastIndexOf('/static/') + 1), HERE);

/** True in a static copy: no server answers queries, data comes as files. */
export const STATIC = typeof document !== 'undefined'
  && document.querySelector('meta[name="borderline-site"][content="static"]') !== null;

// A static host serves /embed/index.html at /embed/ (it would redirect
// /embed there, but a redirect costs a round trip on every load).
const PAGES = {
  map: '',
  embed: STATIC ? 'embed/' : 'embed',
  present: STATIC ? 'present/' : 'present',
  cite: STATIC ? 'cite/' : 'cite',
};

/** Absolute URL of a page of this site with a query string ("?a=b" or ""). */
export function pageURL(page, search = '') {
  if (!(page in PAGES)) throw new Error(`no page ${page}`);
  return new URL(PAGES[page] + search, ROOT).href;
}

/** Absolute URL of a path under the site's root ("collections/x/items?…"). */
export function siteURL(path) {
  return new URL(path.replace(/^\/+/, ''), ROOT).href;
}
