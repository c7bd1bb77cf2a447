// The share dialog of the full map: the permalink of the view, the code that
// embeds it (responsive or of a fixed height) with a live preview, a start
// for the classroom presentation, and downloads of exactly the incidents the
// map shows, with the citation. A native <dialog>: it traps focus, Escape
// closes it, and focus returns to the Share button.

import { el, clear } from './dom.js';
import { pageURL, siteURL, STATIC } from './site.js';
import { longDate, isoOf } from './dates.js';
import { CATEGORIES } from './categories.js';
import { fetchStories } from './stories.js';
import { getJSON } from './api.js';
import { t, count as plural, localized } from './i18n.js';
import { HEIGHT_MESSAGE } from './embedframe.js';

const $ = (sel) => document.querySelector(sel);
const DEFAULT_HEIGHT = 560;

/** The embed code for a view: an iframe, and for a responsive one the host script. */
export function embedCode(search, { responsive, height = DEFAULT_HEIGHT, title }) {
  const src = pageURL('embed', search);
  const attr = (s) => s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');
  if (responsive) {
    return `<iframe src="${attr(src)}" title="${attr(title)}" width="100%" height="${DEFAULT_HEIGHT}" style="border:0" loading="lazy" data-borderline-responsive></iframe>\n`
      + `<script async src="${attr(siteURL('embed.js'))}"></script>`;
  }
  return `<iframe src="${attr(src)}" title="${attr(title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`;
}

/** What the map shows, in words: "the 11 incidents in force on …, in 3 categories". */
function viewWords(current, count) {
  const cats = current.categories();
  const catText = cats.length === CATEGORIES.length ? t('all categories')
    : t('{n} of {all} categories ({list})', { n: cats.length, all: CATEGORIES.length, list: cats.map((c) => t(CATEGORIES.find((k) => k.id === c).short)).join(', ') });
  const q = current.query();
  if (q) return t('Incidents matching “{q}” at any date, in {cats}.', { q, cats: catText });
  const n = typeof count === 'number' ? plural(count, '{n} incident', '{n} incidents') : t('incidents');
  const f = current.filters();
  const filtered = f.verifications || f.sources ? t(', with the filters on how sure and outlets') : '';
  const [from, to] = current.period();
  const vars = { n, cats: catText, filtered, day: longDate(current.day()), from: longDate(from), to: longDate(to) };
  if (current.mode() === 'cumulative') return t('The {n} up to {day}, in {cats}{filtered}.', vars);
  if (current.mode() === 'window') return t('The {n} between {from} and {to}, in {cats}{filtered}.', vars);
  return t('The {n} in force on {day}, in {cats}{filtered}.', vars);
}

/** Query parameters of the API request for what the map shows. */
export function downloadParams(current) {
  const p = new URLSearchParams();
  const q = current.query();
  const f = current.filters();
  if (q) p.set('q', q);
  else {
    const [from, to] = current.period();
    p.set('datetime', from === to ? isoOf(from) : `${Number.isFinite(from) ? isoOf(from) : '..'}/${isoOf(to)}`);
  }
  if (f.categories && !f.categories.size) return null; // nothing is shown
  if (f.categories) p.set('category', [...f.categories].join(','));
  if (f.verifications) {
    if (!f.verifications.size) return null;
    p.set('verification', [...f.verifications].join(','));
  }
  if (f.sources) {
    if (!f.sources.size) return null;
    p.set('source', [...f.sources].sort().join(','));
  }
  p.set('limit', '10000');
  return p;
}

/** The citation text and licences the server gives (/cite?f=json), once. */
let termsPromise = null;
function fetchTerms() {
  if (!termsPromise) {
    termsPromise = getJSON(siteURL(STATIC ? 'cite/index.json' : 'cite?f=json'), 'the citation')
      .catch((err) => { termsPromise = null; throw err; });
  }
  return termsPromise;
}

/** The suggested citation of this view, in the form /cite and the downloads use. */
export function citation(terms, current, permalink) {
  const today = new Date().toISOString().slice(0, 10);
  const item = current.selected();
  if (item) return `Borderline. "${item.props.title}". In "${terms.title}" [data set]. ${permalink}, retrieved ${today}.`;
  return `Borderline. "${terms.title}" [data set]. ${permalink}, retrieved ${today}.`;
}

/** The credit line and the licences, to print under a chart or a story. */
function credits(terms) {
  const licences = (terms.licenses || []).filter((l) => l.url).map((l) => `${l.name} (${l.applies_to.toLowerCase()})`);
  return `${terms.attribution}.\nLicences: ${licences.join('; ')}.`;
}

export function setupShare({ current }) {
  const dialog = $('#share-dialog');
  const opener = $('#share-btn');
  const status = $('#share-status');
  const presentBtn = $('#present-btn');
  if (!dialog || !opener) return;
  let statusTimer = 0;
  const say = (text) => {
    status.textContent = text;
    clearTimeout(statusTimer);
    statusTimer = setTimeout(() => { status.textContent = ''; }, 5000);
  };

  // --- copying ---------------------------------------------------------------
  dialog.addEventListener('click', async (e) => {
    const btn = e.target.closest('button[data-copy]');
    if (!btn) return;
    const field = document.getElementById(btn.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
      say(t('Copied.'));
    } catch {
      // No clipboard (an insecure context, a denied permission): select it for Ctrl+C.
      field.focus();
      field.select();
      say(t('Press Ctrl+C (or ⌘C) to copy the selected text.'));
    }
  });

  // --- embed code and preview -----------------------------------------------
  const sizeInputs = [...dialog.querySelectorAll('input[name="embed-size"]')];
  const heightInput = $('#embed-height');
  const code = $('#embed-code');
  const note = $('#embed-note');
  const previewBox = $('#preview-frame');
  let preview = null;
  const responsive = () => sizeInputs.find((i) => i.checked).value === 'responsive';
  const fixedHeight = () => {
    const n = Math.round(Number(heightInput.value));
    return Number.isFinite(n) ? Math.min(2000, Math.max(300, n)) : DEFAULT_HEIGHT;
  };
  const title = () => {
    const item = current.selected();
    return item ? `Borderline: ${item.props.title}` : `Borderline: the North Korea–China border on ${longDate(current.day()).replace(/^\w+ /, '')}`;
  };

  const keepView = $('#embed-keep-view');
  /** The view's state for the embed, without the map position unless it is to be kept. */
  const embedSearch = () => {
    const q = new URLSearchParams(current.search());
    if (!keepView.checked) for (const k of ['lat', 'lng', 'z']) q.delete(k);
    const s = q.toString().replace(/%2C/g, ',');
    return s ? `?${s}` : '';
  };

  function renderEmbed() {
    const search = embedSearch();
    code.value = embedCode(search, { responsive: responsive(), height: fixedHeight(), title: title() });
    note.textContent = responsive()
      ? t('The frame takes the height the map needs at the width it is given. Both lines go in the page; the script can be included once for several maps.')
      : t('The frame is {n} pixels tall at any width; the map fills it.', { n: fixedHeight() });
    heightInput.disabled = responsive();
    const src = pageURL('embed', search);
    if (!preview) {
      preview = el('iframe', { title: t('Preview of the embedded map'), class: 'preview', src });
      previewBox.appendChild(preview);
    } else if (preview.src !== src) {
      preview.src = src;
    }
    if (!responsive()) preview.style.height = `${fixedHeight()}px`;
  }
  // The preview sizes itself as a host page with embed.js would.
  window.addEventListener('message', (e) => {
    if (!preview || e.source !== preview.contentWindow || e.origin !== window.location.origin) return;
    if (!e.data || e.data.type !== HEIGHT_MESSAGE || !Number.isFinite(e.data.height)) return;
    if (responsive()) preview.style.height = `${Math.round(e.data.height)}px`;
    preview.dataset.height = String(Math.round(e.data.height));
  });
  for (const i of sizeInputs) i.addEventListener('change', renderEmbed);
  keepView.addEventListener('change', renderEmbed);
  heightInput.addEventListener('input', renderEmbed);

  // --- presentation ------------------------------------------------------------
  let stories = null;
  async function renderPresent() {
    const box = $('#present-choices');
    if (!stories) {
      try {
        stories = await fetchStories();
      } catch (err) {
        clear(box).appendChild(el('p', { class: 'share-hint' }, `${t('The stories could not be loaded.')} ${err.message}`));
        return;
      }
    }
    clear(box);
    for (const s of stories) {
      box.appendChild(el('div', { class: 'present-choice' },
        el('a', { class: 'present-start', href: pageURL('present', `?story=${encodeURIComponent(s.id)}`) },
          el('span', { class: 'present-title', lang: localized(s, 'title').lang }, localized(s, 'title').text),
          el('span', { class: 'present-meta' }, plural(s.steps, '{n} step', '{n} steps'))),
        s.description ? el('p', { class: 'share-hint', lang: localized(s, 'description').lang }, localized(s, 'description').text) : null));
    }
  }

  // --- downloads -----------------------------------------------------------
  function renderDownloads() {
    const params = downloadParams(current);
    const stamp = current.query() ? 'search' : isoOf(current.day());
    const csv = $('#download-csv');
    const geojson = $('#download-geojson');
    $('#download-what').textContent = viewWords(current, current.count && current.count());
    if (!params) {
      csv.removeAttribute('href');
      geojson.removeAttribute('href');
      $('#download-what').textContent = t('The filters leave no incident on the map to download.');
    } else if (STATIC) {
      // A static copy has no server to filter: it offers the whole dataset.
      csv.href = siteURL('data/incidents.csv');
      geojson.href = siteURL('data/incidents.geojson');
      $('#download-what').textContent = t('This copy of the map offers every incident (the Borderline server also offers just what is on screen).');
    } else {
      csv.href = siteURL(`collections/incidents/items?${params}&f=csv`);
      geojson.href = siteURL(`collections/incidents/items?${params}`);
    }
    csv.setAttribute('download', `borderline-incidents-${stamp}.csv`);
    geojson.setAttribute('download', `borderline-incidents-${stamp}.geojson`);
    const permalink = pageURL('map', current.search());
    fetchTerms().then((terms) => {
      $('#share-citation').value = citation(terms, current, permalink);
      $('#share-credits').value = credits(terms);
    }, (err) => {
      $('#share-citation').value = `${t('The citation could not be loaded; see the sources and licences page.')} (${err.message})`;
    });
  }

  function render() {
    const link = pageURL('map', current.search());
    $('#share-link').value = link;
    $('#share-view').textContent = viewWords(current, current.count && current.count());
    renderEmbed();
    renderDownloads();
  }

  opener.addEventListener('click', () => {
    keepView.checked = !current.isRegionView();
    render();
    renderPresent();
    dialog.showModal();
    document.body.dataset.share = 'open';
  });
  $('#share-close').addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener('click', (e) => {
    if (e.target !== dialog) return;
    const r = dialog.getBoundingClientRect();
    if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) dialog.close();
  });
  dialog.addEventListener('close', () => {
    delete document.body.dataset.share;
    opener.focus();
  });
  current.onChange(() => {
    if (dialog.open) render();
    if (presentBtn) presentBtn.href = pageURL('present', presentSearch(current));
  });
  if (presentBtn) presentBtn.href = pageURL('present', presentSearch(current));
}

/** The presentation to start from the map: the curated story, at the selected incident if it has a step. */
function presentSearch(current) {
  const item = current.selected();
  return item ? `?story=closure&incident=${encodeURIComponent(item.id)}` : '?story=closure';
}
