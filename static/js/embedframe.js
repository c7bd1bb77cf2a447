// What the embed (/embed) does for the page that frames it: it keeps the
// "Open the full map" link on the view the reader is looking at, and tells the
// host how tall it would like to be, so that a responsive iframe (with
// /embed.js on the host page) fits it:
//
//   window.parent.postMessage({ type: 'borderline-height', height: 612 }, '*')
//
// height is in CSS pixels: what the timeline and the credit line need at the
// frame's current width, plus a map whose height follows the width (a
// landscape map on a wide page, a squarer one on a phone). It does not depend
// on the frame's current height, so resizing the frame to it is stable. It is
// sent on load and whenever it changes.

import { pageURL } from './site.js';

export const HEIGHT_MESSAGE = 'borderline-height';
// The map's share of the preferred height: 60 % of the width, within bounds
// that keep it usable on a phone and short enough to scroll past on a desktop.
const MAP_MIN = 260;
const MAP_MAX = 560;
const MAP_RATIO = 0.6;

/** The height the embed asks for at a given width, given what is not map. */
export function preferredHeight(width, chromeHeight) {
  const mapHeight = Math.round(Math.min(MAP_MAX, Math.max(MAP_MIN, width * MAP_RATIO)));
  return Math.ceil(chromeHeight + mapHeight);
}

export function setupEmbedFrame({ current }) {
  const link = document.querySelector('#open-full');
  const layout = document.querySelector('.embed-layout');
  const mapWrap = document.querySelector('.map-wrap');

  const updateLink = () => { link.href = pageURL('map', current.search()); };
  current.onChange(updateLink);
  updateLink();

  if (window.parent === window) return; // not framed: nobody to tell
  let last = 0;
  const report = () => {
    // Everything in the layout but the map (timeline, credit line).
    const chrome = layout.scrollHeight - mapWrap.offsetHeight;
    const height = preferredHeight(document.documentElement.clientWidth, chrome);
    if (height === last) return;
    last = height;
    document.body.dataset.preferredHeight = String(height);
    window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, '*');
  };
  if (typeof ResizeObserver === 'function') {
    const ro = new ResizeObserver(() => report());
    ro.observe(document.documentElement);
    for (const node of layout.children) if (node !== mapWrap) ro.observe(node);
  }
  window.addEventListener('resize', report);
  report();
}
