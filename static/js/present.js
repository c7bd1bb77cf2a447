// The presentation (/present?story=ID&step=N[&autoplay=SECONDS]): a story
// told one step at a time on a projector. Each step flies the map to its
// incident's place, shows the map on the day it came into force, and puts
// its card in large type beside it: title, introduction, the date in words,
// the place, how sure it is and the sources. Keys: → Space Page Down next,
// ← Page Up back, Home/End, F full screen, Escape to the full map at this
// step. Swipes on the card step too.

import L from './leaflet.js';
import { MapView, loadMapData } from './mapview.js';
import { fetchStory } from './stories.js';
import { TimeAxis } from './timeaxis.js';
import { pageURL } from './site.js';
import { buildSearch } from './state.js';
import { el, clear, fill, debounce } from './dom.js';
import { category, verification } from './categories.js';
import { isoOf, longDate, shortDate, monthStart, monthEnd, incidentDateWords } from './dates.js';
import { placesText, sourceShort, sourceLong } from './describe.js';
import { printableMap } from './print.js';
import { readState } from './state.js';
import { t, localized, setLanguage, browserLanguage, translateDocument } from './i18n.js';

/** A story's or step's text in the reader's language where it has it. */
const stepText = (obj, field) => localized(obj, field).text;

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const DEFAULT_STORY = 'closure';
const POINT_ZOOM = 8;
const EAGER_STEPS = 200;
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const $ = (sel) => document.querySelector(sel);

/** The presentation's URL: story, step (1-based), autoplay seconds, or an incident to start at. */
export function readPresentState(search = window.location.search) {
  const q = new URLSearchParams(search);
  const story = q.get('story');
  const step = Number.parseInt(q.get('step'), 10);
  const autoplay = Number.parseFloat(q.get('autoplay'));
  const incident = q.get('incident');
  return {
    story: story && ID_RE.test(story) ? story : DEFAULT_STORY,
    step: Number.isFinite(step) && step >= 1 ? step : null,
    autoplay: Number.isFinite(autoplay) && autoplay >= 2 && autoplay <= 3600 ? autoplay : null,
    incident: incident && ID_RE.test(incident) ? incident : null,
  };
}

function setStatus(text, { error = false } = {}) {
  const node = $('#map-status');
  node.textContent = text;
  node.hidden = !text;
  node.classList.toggle('is-error', error);
}

/** The step's card: its category, title and introduction, then the facts. */
function renderCard(step, item) {
  const p = item.props;
  const cat = category(p.category);
  const v = verification(p.verification, p.verification_label);
  // The category and how sure the report is, before anything else is read.
  fill($('#step-kicker'), 
    el('span', { class: 'chip-letter', 'aria-hidden': 'true', style: { background: cat.color, color: cat.ink } }, cat.letter),
    el('span', null, t(cat.label)),
    el('span', { class: ['badge', `badge-${v.level}`] }, t(v.label)));
  $('#step-title').textContent = stepText(step, 'title');
  $('#step-title').lang = localized(step, 'title').lang;
  $('#step-intro').textContent = stepText(step, 'intro');
  $('#step-intro').lang = localized(step, 'intro').lang;
  const facts = clear($('#step-facts'));
  const fact = (term, ...desc) => { facts.appendChild(el('dt', null, term)); facts.appendChild(el('dd', null, ...desc)); };
  fact(t('When'), incidentDateWords(p), p.date_inferred ? el('span', { class: 'badge badge-muted' }, t('inferred')) : null);
  fact(t('Where'), placesText(p), item.offMap ? el('span', { class: 'fact-aside' }, ` — ${t('no single place on the map')}`) : null);
  const sources = Array.isArray(p.sources) ? p.sources : [];
  fact(sources.length === 1 ? t('Source') : t('Sources'), sources.map(sourceShort).join('\u00a0· '));
}

/** Every step, for the printed handout. */
function renderPrint(story, steps) {
  const root = clear($('#story-print'));
  fill(root, el('h2', null, t('The story, step by step')), story.description ? el('p', { class: 'print-lead' }, stepText(story, 'description')) : null);
  root.appendChild(el('ol', { class: 'print-steps' }, steps.map(({ step, item }) => {
    if (!item) return el('li', null, el('h3', null, stepText(step, 'title')), el('p', null, stepText(step, 'intro')));
    const p = item.props;
    const v = verification(p.verification, p.verification_label);
    return el('li', null,
      el('h3', null, stepText(step, 'title')),
      el('p', null, stepText(step, 'intro')),
      el('p', { class: 'print-facts' }, `${incidentDateWords(p, { inferred: true })} · ${placesText(p)} · ${t(v.label)}`),
      el('ul', { class: 'print-sources' }, (p.sources || []).map((s) => el('li', null, sourceLong(s)))));
  })));
}

async function start() {
  const params = readPresentState();
  const { state: url } = readState();
  await setLanguage(url.lang || browserLanguage());
  translateDocument();
  const narrow = window.matchMedia('(max-width: 700px)').matches;
  const view = new MapView('map', {
    legendOpen: false, layersControl: false, scale: false, keyboard: false, phone: narrow,
    labels: url.labels || (url.lang || browserLanguage()), labelSwitch: false,
  });
  let loaded;
  let story;
  try {
    [loaded, story] = await Promise.all([loadMapData(), fetchStory(params.story)]);
  } catch (err) {
    setStatus('');
    $('#step-title').textContent = t('This presentation could not be loaded');
    $('#step-intro').textContent = err.message;
    $('#step-facts').replaceChildren(el('p', null, el('a', { href: pageURL('map') }, t('Open the map'))));
    document.body.dataset.ready = 'error';
    return;
  }
  view.draw(loaded);
  const { source } = loaded;
  // Each step's incident: at hand for the incidents that ship; asked of the
  // server for a large dataset — all at once for a curated story, one by one
  // as they are shown for the story of every incident.
  let steps = story.steps.map((step) => ({ step, item: source.get(step.incident) }));
  if (steps.length <= EAGER_STEPS) {
    await Promise.all(steps.map(async (s) => { s.item = s.item || await source.ensure(s.step.incident); }));
    steps = steps.filter((s) => s.item);
  }
  if (!steps.length) {
    setStatus(t('This story has no incident on this map.'), { error: true });
    return;
  }
  const ext = source.extent();
  $('#story-title').textContent = stepText(story, 'title');
  document.title = `${stepText(story, 'title')} — Borderline`;
  const axis = new TimeAxis($('#time-axis'), { min: monthStart(ext.min), max: monthEnd(ext.max) });
  renderPrint(story, steps);

  const live = $('#live');
  const announce = debounce((text) => { live.textContent = text; }, 300);
  let index = 0;
  if (params.incident) index = Math.max(0, steps.findIndex((s) => s.step.incident === params.incident));
  if (params.step) index = Math.min(steps.length, params.step) - 1;

  let autoplay = params.autoplay;
  let timer = 0;
  let seq = 0;
  let skipped = 0;
  let shownIndex = 0;
  async function show(i, { animate = true } = {}) {
    const mine = ++seq;
    index = (i + steps.length) % steps.length;
    if (!steps[index].item) steps[index].item = await source.ensure(steps[index].step.incident);
    const { step, item } = steps[index];
    if (!item) { // gone since the story was written: the next one in the same direction
      if (++skipped > steps.length) return undefined;
      return show(i >= shownIndex ? index + 1 : index - 1, { animate });
    }
    skipped = 0;
    shownIndex = index;
    const day = item.from;
    renderCard(step, item);
    $('#step-counter').textContent = t('{n} of {all}', { n: index + 1, all: steps.length });
    // A date known only to the month, season or year is said as such; the
    // map shows the first day of that span, which the note says.
    const words = incidentDateWords(item.props);
    fill($('#present-date'), item.props.date_precision === 'day' || !item.props.date_precision
      ? longDate(day)
      : words.charAt(0).toUpperCase() + words.slice(1),
    item.props.date_precision && item.props.date_precision !== 'day'
      ? el('span', { class: 'present-date-note' }, t('The map shows {day}, the first day of that span.', { day: shortDate(day) })) : null);
    axis.set(item.from, item.to, day);
    $('#prev').disabled = !autoplay && index === 0;
    $('#next').disabled = !autoplay && index === steps.length - 1;
    const mapSearch = buildSearch({ date: isoOf(day), incident: item.id, lang: url.lang });
    $('#open-map').href = pageURL('map', mapSearch);
    const q = new URLSearchParams({ story: story.id, step: String(index + 1) });
    if (autoplay) q.set('autoplay', String(autoplay));
    if (url.lang) q.set('lang', url.lang);
    window.history.replaceState(null, '', `${window.location.pathname}?${q}`);
    fill($('#print-head'), el('h1', null, stepText(story, 'title')),
      el('p', { class: 'print-view' }, el('strong', null, t('Step {n} of {all}: {title}', { n: index + 1, all: steps.length, title: stepText(step, 'title') })), ` · ${t('the map on {day}', { day: longDate(day) })}`));
    document.body.dataset.step = String(index + 1);
    document.body.dataset.day = isoOf(day);
    announce(`${t('Step {n} of {all}: {title}', { n: index + 1, all: steps.length, title: stepText(step, 'title') })}. ${incidentDateWords(item.props)}.`);

    view.show(await source.inForce(day, null), day);
    const areas = await view.select(item);
    if (mine !== seq) return;
    const fly = animate && !reducedMotion.matches;
    const pts = view.latLngsFor(item);
    if (item.offMap || !pts.length) {
      view.fitRegion({ animate: fly });
    } else if (areas > 0) {
      view.map.flyToBounds(view.areas.layer.getBounds(), { padding: [30, 30], animate: fly, duration: 1.2 });
    } else if (pts.length === 1) {
      view.map.flyTo(pts[0], POINT_ZOOM, { animate: fly, duration: 1.2 });
    } else {
      view.map.flyToBounds(L.latLngBounds(pts).pad(0.4), { maxZoom: POINT_ZOOM, animate: fly, duration: 1.2 });
    }
    schedule();
  }

  function schedule() {
    clearTimeout(timer);
    if (autoplay) timer = setTimeout(() => show(index + 1), autoplay * 1000);
  }
  const autoBtn = $('#autoplay');
  function setAutoplay(on) {
    autoplay = on ? (params.autoplay || autoplay) : null;
    autoBtn.textContent = on ? t('Pause (advancing every {n} s)', { n: params.autoplay }) : t('Resume');
    show(index, { animate: false });
  }
  if (params.autoplay) {
    autoBtn.hidden = false;
    autoBtn.textContent = t('Pause (advancing every {n} s)', { n: params.autoplay });
    autoBtn.addEventListener('click', () => setAutoplay(!autoplay));
  }

  const next = () => { if (autoplay || index < steps.length - 1) show(index + 1); };
  const prev = () => { if (autoplay || index > 0) show(index - 1); };
  $('#next').addEventListener('click', next);
  $('#prev').addEventListener('click', prev);

  const fsBtn = $('#fullscreen');
  async function toggleFullscreen() {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    } catch {
      announce(t('Full screen is not available here; use the browser’s own full-screen key (F11).'));
    }
  }
  fsBtn.hidden = !document.fullscreenEnabled;
  fsBtn.addEventListener('click', toggleFullscreen);
  document.addEventListener('fullscreenchange', () => {
    fsBtn.textContent = document.fullscreenElement ? t('Exit full screen') : t('Full screen');
    view.map.invalidateSize();
  });

  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
    // A focused button or link takes its own Enter and Space.
    const onControl = e.target.closest && e.target.closest('button, a, input, select, textarea');
    if (onControl && (e.key === 'Enter' || e.key === ' ')) return;
    const keys = {
      ArrowRight: next, PageDown: next, ' ': e.shiftKey ? prev : next,
      ArrowLeft: prev, PageUp: prev,
      Home: () => show(0), End: () => show(steps.length - 1),
      f: toggleFullscreen, F: toggleFullscreen,
      Escape: () => { window.location.href = $('#open-map').href; },
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });

  // Swipes on the card (the map keeps its own dragging).
  let touch = null;
  const card = $('#step-card');
  card.addEventListener('touchstart', (e) => { const t = e.changedTouches[0]; touch = { x: t.clientX, y: t.clientY }; }, { passive: true });
  card.addEventListener('touchend', (e) => {
    if (!touch) return;
    const t = e.changedTouches[0];
    const dx = t.clientX - touch.x;
    const dy = t.clientY - touch.y;
    touch = null;
    if (Math.abs(dx) > 50 && Math.abs(dx) > 2 * Math.abs(dy)) (dx < 0 ? next : prev)();
  }, { passive: true });

  printableMap(view);
  setStatus('');
  await show(index, { animate: false });
  document.body.classList.add('is-ready');
  document.body.dataset.ready = 'true';
  requestAnimationFrame(() => view.declutter());
  view.map.on('moveend', () => view.declutter());
}

start().catch((err) => {
  // eslint-disable-next-line no-console
  console.error(err);
});
