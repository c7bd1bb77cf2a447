// Code lists and the visual encoding. Colours are the Okabe–Ito palette
// (safe for the common colour-vision deficiencies); every category also has a
// letter so that colour is never the only cue.

export const CATEGORIES = [
  { id: 'border_security', label: 'Border security', short: 'Border', letter: 'B', color: '#D55E00', ink: '#000000', stroke: '#5a2700' },
  { id: 'quarantine', label: 'Quarantine and lockdown', short: 'Quarantine', letter: 'Q', color: '#0072B2', ink: '#ffffff', stroke: '#00304d' },
  { id: 'arrests', label: 'Arrests and punishment', short: 'Arrests', letter: 'A', color: '#CC79A7', ink: '#000000', stroke: '#5c2e48' },
  { id: 'health', label: 'Deaths and health', short: 'Health', letter: 'H', color: '#009E73', ink: '#000000', stroke: '#00402e' },
  { id: 'defection', label: 'Defection and refugees', short: 'Defection', letter: 'D', color: '#E69F00', ink: '#000000', stroke: '#5c4000' },
  { id: 'policy', label: 'Policy and official statements', short: 'Policy', letter: 'P', color: '#56B4E9', ink: '#000000', stroke: '#1d4f6b' },
  { id: 'economy', label: 'Economy and sanctions', short: 'Economy', letter: 'E', color: '#F0E442', ink: '#000000', stroke: '#4d4700' },
];

const FALLBACK = { id: 'other', label: 'Other', short: 'Other', letter: '?', color: '#999999', ink: '#000000', stroke: '#333333' };

export const CATEGORY_IDS = CATEGORIES.map((c) => c.id);

export function category(id) {
  return CATEGORIES.find((c) => c.id === id) || { ...FALLBACK, id: String(id), label: String(id) };
}

export const VERIFICATION = {
  single_source: { label: 'One anonymous source, unverified', short: 'unverified', level: 'warn' },
  corroborated: { label: 'Corroborated by other reporting', short: 'corroborated', level: 'ok' },
  official: { label: 'Official data or statement', short: 'official', level: 'info' },
  commentary: { label: 'Commentary or analysis', short: 'commentary', level: 'info' },
};

export function verification(id, label) {
  const v = VERIFICATION[id];
  if (v) return v;
  return { label: label || String(id || 'unknown'), short: String(id || 'unknown'), level: 'info' };
}

export const LOCATION_PRECISION = {
  exact: 'Exact: the town or facility itself',
  near: 'Near: close to or part of a region',
  broad: 'Broad: a whole province or larger',
};

export const PLACE_KINDS = {
  city: 'City or town', county: 'County', province: 'Province', facility: 'Facility',
  sea_area: 'Sea area', foreign_site: 'Site abroad', country: 'Country', border: 'Border',
};

export const COUNTRY_NAMES = {
  KP: 'North Korea', CN: 'China', KR: 'South Korea', RU: 'Russia', JP: 'Japan',
  TH: 'Thailand', CH: 'Switzerland', US: 'United States', GB: 'United Kingdom',
};
