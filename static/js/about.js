// "About this map": what Borderline shows, the reports it rests on, how
// dates, places and verification are coded and why, where the reports
// contradict each other, and the licences and how to cite. A native
// <dialog>, opened from the top bar.

import { el, clear, externalLink } from './dom.js';
import { getJSON } from './api.js';
import { siteURL, pageURL, STATIC } from './site.js';
import { shortDate } from './dates.js';
import { t, englishData } from './i18n.js';

const CODING = [
  ['Dates', 'Each incident has the days on which the map shows it and how exactly the reports date it: to the day, the week, the month, the season or the year. A date known only to the month is shown over the whole month (or the days other facts allow), never pinned to one day; on the map one ring around a marker means the month, two the season or year, and on the timeline such incidents are hatched over their whole span. A date we worked out from the text, rather than one the report prints, is marked as inferred and paler.'],
  ['Places', 'Each incident is drawn at the place the reports name. A solid outline means the town or facility itself, a dashed one a place near it or part of a region, and a wide pale disc a whole province or more: its marker stands for all of it, and choosing it outlines the area. Events with no single place, such as nationwide measures or a resolution in Geneva, are listed without a marker.'],
  ['How sure', 'Almost every report rests on one anonymous source inside North Korea that no one can check; those incidents say so. Others are corroborated by independent reporting, come from official data or statements, or are commentary and analysis.'],
];

const CONTRADICTIONS = [
  'The forbidden zone is 1 km wide in Radio Free Asia\'s reporting and "one to two kilometers" in Human Rights Watch\'s: the map draws both.',
  'The shoot-on-sight order took effect at midnight on 26 August 2020 according to the military source, but on "Thursday", 27 August, in the English wording: the map shows it from the 26th.',
  'Senior health officials were dismissed in June according to one report and around the Politburo meeting of 2 July according to others.',
  'North Korea officially reported no COVID-19 cases at all, while the reports describe deaths, isolation wards and quarantine camps.',
];

export function setupAbout() {
  const dialog = document.querySelector('#about-dialog');
  const opener = document.querySelector('#about-btn');
  if (!dialog || !opener) return;
  const body = dialog.querySelector('#about-body');
  let filled = false;

  async function fill() {
    const en = englishData();
    clear(body).append(
      el('p', null, t('Borderline maps what was reported about North Korea\'s border with China while the country was sealed against COVID-19, from January 2020 to April 2021: the order to shoot anyone near the border, lockdowns, arrests, deaths in isolation, quarantine, and defections that stopped. Every incident traces to a published report; the summaries are ours.')),
      el('h3', null, t('The reports')),
      el('ul', { class: 'about-sources', id: 'about-sources' }, el('li', null, t('Loading…'))),
      el('h3', null, t('How the map codes what it shows')),
      el('dl', { class: 'about-coding' }, CODING.flatMap(([term, text]) => [el('dt', null, t(term)), el('dd', null, t(text))])),
      el('h3', null, t('Where the reports disagree')),
      el('ul', null, CONTRADICTIONS.map((c) => el('li', null, t(c)))),
      el('h3', null, t('Licences and how to cite')),
      el('p', null, t('Border and North Korea\'s outline © OpenStreetMap contributors (ODbL); provinces, rivers and countries from Natural Earth (public domain); town coordinates from GeoNames (CC BY 4.0). The reports are cited, never copied.'), ' ',
        el('a', { href: pageURL('cite') }, t('Sources, licences and how to cite'))));
    try {
      const cite = await getJSON(siteURL(STATIC ? 'cite/index.json' : 'cite?f=json'), t('the sources'));
      const list = clear(body.querySelector('#about-sources'));
      for (const s of cite.sources || []) {
        list.appendChild(el('li', null,
          el('strong', null, s.outlet), s.original_reporter ? ` (${s.original_reporter})` : '', ': ',
          el('span', { lang: en }, externalLink(s.url, `“${s.headline}”`)), ', ',
          s.published_inferred ? t('published about {date}', { date: shortDate(s.published) }) : t('published {date}', { date: shortDate(s.published) })));
      }
    } catch (err) {
      clear(body.querySelector('#about-sources')).appendChild(el('li', null, err.message));
    }
    filled = true;
  }

  opener.addEventListener('click', async () => {
    if (!filled) await fill();
    dialog.showModal();
    document.body.dataset.about = 'open';
  });
  dialog.querySelector('#about-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    delete document.body.dataset.about;
    opener.focus();
  });
}
