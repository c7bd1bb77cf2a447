// Calendar-day arithmetic. Dates in Borderline are calendar days (ISO
// YYYY-MM-DD), never instants: they are handled as day numbers since
// 1970-01-01 in UTC so that no time zone can shift them.

const MS_PER_DAY = 86400000;
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

/** "Wednesday 26 August 2020" */
export function longDate(day) {
  const p = parts(day);
  return `${WEEKDAYS[p.wd]} ${p.d} ${MONTHS[p.m]} ${p.y}`;
}

/** "26 Aug 2020" */
export function shortDate(isoOrDay) {
  const day = typeof isoOrDay === 'number' ? isoOrDay : dayOf(isoOrDay);
  if (Number.isNaN(day)) return '';
  const p = parts(day);
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
 * How an incident's date reads to people, with its precision:
 * "26 Aug 2020", "26–27 Aug 2020", "Aug 2020 (month)", "Jun–Sep 2020 (month)",
 * "week of 29 Jun 2020", "summer 2020 (season)", "2020 (year)".
 */
export function incidentDateText(props) {
  const start = dayOf(props.date_start);
  if (Number.isNaN(start)) return '';
  const endIso = props.date_end || '';
  const end = endIso ? dayOf(endIso) : NaN;
  const ps = parts(start);
  const pe = Number.isNaN(end) ? null : parts(end);
  const precision = props.date_precision || 'day';
  switch (precision) {
    case 'year':
      return pe && pe.y !== ps.y ? `${ps.y}–${pe.y} (year)` : `${ps.y} (year)`;
    case 'season':
      return `${SEASONS[ps.m]} ${ps.y} (season)`;
    case 'month': {
      if (!pe || (pe.y === ps.y && pe.m === ps.m)) return `${MONTHS_SHORT[ps.m]} ${ps.y} (month)`;
      if (pe.y === ps.y) return `${MONTHS_SHORT[ps.m]}–${MONTHS_SHORT[pe.m]} ${ps.y} (month)`;
      return `${MONTHS_SHORT[ps.m]} ${ps.y} – ${MONTHS_SHORT[pe.m]} ${pe.y} (month)`;
    }
    case 'week':
      return `week of ${shortDate(start)}`;
    default: {
      if (!pe || end === start) return shortDate(start);
      if (pe.y === ps.y && pe.m === ps.m) return `${ps.d}–${pe.d} ${MONTHS_SHORT[ps.m]} ${ps.y}`;
      if (pe.y === ps.y) return `${ps.d} ${MONTHS_SHORT[ps.m]} – ${pe.d} ${MONTHS_SHORT[pe.m]} ${ps.y}`;
      return `${shortDate(start)} – ${shortDate(end)}`;
    }
  }
}

/**
 * An incident's date as a person would say it, with its precision:
 * "26 August 2020", "26–27 August 2020", "the week of 29 June 2020",
 * "some time in May 2020", "between June and September 2020",
 * "summer 2020", "some time in 2020". Whether it is inferred is said apart.
 */
export function incidentDateWords(props) {
  const start = dayOf(props.date_start);
  if (Number.isNaN(start)) return '';
  const end = props.date_end ? dayOf(props.date_end) : NaN;
  const ps = parts(start);
  const pe = Number.isNaN(end) ? null : parts(end);
  const month = (p) => `${MONTHS[p.m]} ${p.y}`;
  switch (props.date_precision || 'day') {
    case 'year':
      return pe && pe.y !== ps.y ? `some time between ${ps.y} and ${pe.y}` : `some time in ${ps.y}`;
    case 'season':
      return `${SEASONS[ps.m]} ${ps.m === 11 ? `${ps.y}–${String(ps.y + 1).slice(2)}` : ps.y}`;
    case 'month':
      if (!pe || (pe.y === ps.y && pe.m === ps.m)) return `some time in ${month(ps)}`;
      if (pe.y === ps.y) return `between ${MONTHS[ps.m]} and ${month(pe)}`;
      return `between ${month(ps)} and ${month(pe)}`;
    case 'week':
      return `the week of ${ps.d} ${month(ps)}`;
    default:
      if (!pe || end === start) return `${ps.d} ${month(ps)}`;
      if (pe.y === ps.y && pe.m === ps.m) return `${ps.d}–${pe.d} ${month(ps)}`;
      if (pe.y === ps.y) return `${ps.d} ${MONTHS[ps.m]} to ${pe.d} ${month(pe)}`;
      return `${ps.d} ${month(ps)} to ${pe.d} ${month(pe)}`;
  }
}
