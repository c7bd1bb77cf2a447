// Calendar-day arithmetic. Dates in Borderline are calendar days (ISO
// YYYY-MM-DD), never instants: they are handled as day numbers since
// 1970-01-01 in UTC so that no time zone can shift them.

import { language } from './i18n.js';

const MS_PER_DAY = 86400000;
const KO_WEEKDAYS = ['일요일', '월요일', '화요일', '수요일', '목요일', '금요일', '토요일'];
const KO_SEASONS = { spring: '봄', summer: '여름', autumn: '가을', winter: '겨울' };
const ko = () => language() === 'ko';
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];
export const MONTHS_SHORT = MONTHS.map((m) => m.slice(0, 3));

export function isISODate(s) {
  if (typeof s !== 'string') return false;
  const m = ISO_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** ISO date → day number, or NaN. */
export function dayOf(iso) {
  if (!isISODate(iso)) return NaN;
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

/** Day number → ISO date. */
export function isoOf(day) {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function parts(day) {
  const d = new Date(day * MS_PER_DAY);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth(), d: d.getUTCDate(), wd: d.getUTCDay() };
}

/** "Wednesday 26 August 2020" ("2020년 8월 26일 수요일") */
export function longDate(day) {
  const p = parts(day);
  if (ko()) return `${p.y}년 ${p.m + 1}월 ${p.d}일 ${KO_WEEKDAYS[p.wd]}`;
  return `${WEEKDAYS[p.wd]} ${p.d} ${MONTHS[p.m]} ${p.y}`;
}

/** "26 Aug 2020" */
export function shortDate(isoOrDay) {
  const day = typeof isoOrDay === 'number' ? isoOrDay : dayOf(isoOrDay);
  if (Number.isNaN(day)) return '';
  const p = parts(day);
  if (ko()) return `${p.y}년 ${p.m + 1}월 ${p.d}일`;
  return `${p.d} ${MONTHS_SHORT[p.m]} ${p.y}`;
}

export function monthStart(day) {
  const p = parts(day);
  return Date.UTC(p.y, p.m, 1) / MS_PER_DAY;
}

export function monthEnd(day) {
  const p = parts(day);
  return Date.UTC(p.y, p.m + 1, 0) / MS_PER_DAY;
}

export function addMonths(day, n) {
  const p = parts(day);
  return Date.UTC(p.y, p.m + n, 1) / MS_PER_DAY;
}

/** [{start, end, year, month}] for every month touching [fromDay, toDay]. */
export function monthsBetween(fromDay, toDay) {
  const out = [];
  for (let s = monthStart(fromDay); s <= toDay; s = addMonths(s, 1)) {
    const p = parts(s);
    out.push({ start: s, end: monthEnd(s), year: p.y, month: p.m });
  }
  return out;
}

export function monthLabel(day) {
  const p = parts(day);
  return `${MONTHS[p.m]} ${p.y}`;
}

const SEASONS = ['winter', 'winter', 'spring', 'spring', 'spring', 'summer', 'summer', 'summer',
  'autumn', 'autumn', 'autumn', 'winter'];

/**
 * An incident's date as a person would say it, from the days the map shows
 * it on (in_force_from–in_force_to, else date_start–date_end) and how
 * precisely it is known: "26 August 2020", "26 August to 3 September 2020",
 * "the week of 29 June 2020", "some time in May 2020", "between 7 and
 * 20 May 2020", "between June and September 2020", "spring 2020", "some
 * time in 2020". With `short`, months are abbreviated
 * ("26 Aug 2020"). With `inferred`, ", inferred" follows an inferred date.
 * The words always cover exactly the days the map shows the incident on.
 */
export function incidentDateWords(props, { short = false, inferred = false } = {}) {
  const from = dayOf(props.in_force_from || props.date_start);
  if (Number.isNaN(from)) return '';
  let to = dayOf(props.in_force_to || props.date_end || '');
  if (Number.isNaN(to) || to < from) to = from;
  if (ko()) return koreanDateWords(props, from, to, inferred);
  const names = short ? MONTHS_SHORT : MONTHS;
  const pf = parts(from);
  const pt = parts(to);
  const dayMonth = (p) => `${p.d} ${names[p.m]}`;
  const full = (p) => `${dayMonth(p)} ${p.y}`;
  const month = (p) => `${names[p.m]} ${p.y}`;
  const whole = (unit) => isWhole(from, to, unit);
  // A span of days: "7–20 May 2020", "26 August to 3 September 2020".
  const days = () => {
    if (from === to) return full(pf);
    if (pf.y === pt.y && pf.m === pt.m) return `${pf.d}–${pt.d} ${month(pf)}`;
    if (pf.y === pt.y) return `${dayMonth(pf)} to ${full(pt)}`;
    return `${full(pf)} to ${full(pt)}`;
  };
  // A span of whole months: "May 2020", "June to September 2020".
  const months = () => {
    if (pf.y === pt.y && pf.m === pt.m) return month(pf);
    if (pf.y === pt.y) return `${names[pf.m]} and ${month(pt)}`;
    return `${month(pf)} and ${month(pt)}`;
  };
  let text;
  switch (props.date_precision || 'day') {
    case 'day':
      text = days();
      break;
    case 'week':
      text = to - from === 6 ? `the week of ${full(pf)}` : `between ${days().replace(/–/, ' and ').replace(/ to /, ' and ')}`;
      break;
    case 'season':
      if (whole('season')) {
        text = `${SEASONS[pf.m]} ${pf.m === 11 ? `${pf.y}–${String(pf.y + 1).slice(2)}` : pf.y}`;
        break;
      }
    // falls through: a season narrowed to some of its days
    case 'month':
    case 'year':
      if (whole('year')) text = pf.y === pt.y ? `some time in ${pf.y}` : `between ${pf.y} and ${pt.y}`;
      else if (whole('month')) text = pf.y === pt.y && pf.m === pt.m ? `some time in ${months()}` : `between ${months()}`;
      else text = `between ${days().replace(/–/, ' and ').replace(/ to /, ' and ')}`;
      break;
    default:
      text = days();
  }
  return inferred && props.date_inferred ? `${text}, inferred` : text;
}

/** Whether [from, to] is whole months, seasons or years. */
function isWhole(from, to, unit) {
  const pf = parts(from);
  const next = parts(to + 1);
  if (pf.d !== 1 || next.d !== 1) return false;
  if (unit === 'month') return true;
  if (unit === 'year') return pf.m === 0 && next.m === 0;
  // Seasons start in March, June, September and December and last three months.
  const months = (next.y - pf.y) * 12 + next.m - pf.m;
  return pf.m % 3 === 2 && months === 3;
}

/** incidentDateWords in Korean: "2020년 8월 26일", "2020년 5월 중", "2020년 5월 7~20일 사이", "2020년 봄". */
function koreanDateWords(props, from, to, inferred) {
  const pf = parts(from);
  const pt = parts(to);
  const ymd = (p) => `${p.y}년 ${p.m + 1}월 ${p.d}일`;
  const days = () => {
    if (from === to) return ymd(pf);
    if (pf.y === pt.y && pf.m === pt.m) return `${pf.y}년 ${pf.m + 1}월 ${pf.d}~${pt.d}일`;
    if (pf.y === pt.y) return `${pf.y}년 ${pf.m + 1}월 ${pf.d}일~${pt.m + 1}월 ${pt.d}일`;
    return `${ymd(pf)}~${ymd(pt)}`;
  };
  const months = () => {
    if (pf.y === pt.y && pf.m === pt.m) return `${pf.y}년 ${pf.m + 1}월`;
    if (pf.y === pt.y) return `${pf.y}년 ${pf.m + 1}~${pt.m + 1}월`;
    return `${pf.y}년 ${pf.m + 1}월~${pt.y}년 ${pt.m + 1}월`;
  };
  let text;
  const precision = props.date_precision || 'day';
  if (precision === 'day') text = days();
  else if (precision === 'week' && to - from === 6) text = `${ymd(pf)}부터 한 주`;
  else if (precision === 'season' && isWhole(from, to, 'season')) text = `${pf.m === 11 ? `${pf.y}~${String(pf.y + 1).slice(2)}년` : `${pf.y}년`} ${KO_SEASONS[SEASONS[pf.m]]}`;
  else if (isWhole(from, to, 'year')) text = pf.y === pt.y ? `${pf.y}년 중` : `${pf.y}~${pt.y}년 사이`;
  else if (isWhole(from, to, 'month')) text = pf.y === pt.y && pf.m === pt.m ? `${months()} 중` : `${months()} 사이`;
  else text = `${days()} 사이`;
  return inferred && props.date_inferred ? `${text}, 추정` : text;
}
