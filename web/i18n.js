// Every string a person reads comes from i18n/{es,en}.json through t().
// Keys are flat ("login.title"); placeholders are {name}. A part of the
// application the first page never needs keeps its strings apart
// (i18n/NAME.{es,en}.json), loaded by its modules with loadStrings(NAME),
// so the first load stays small.
import { asset } from './asset.js';

export const LANGS = ['es', 'en'];
let catalog = {};
let current = 'es';
const parts = new Map(); // name -> the promise of its first load

const fetchPart = async (name, l) => (await fetch(asset(`/i18n/${name}.${l}.json`))).json();

// The language before we know the person: a choice made on this device,
// else the browser's (what it sends as Accept-Language), else Spanish.
export function preferredLang() {
  const saved = localStorage.getItem('lang');
  if (LANGS.includes(saved)) return saved;
  for (const l of navigator.languages || []) {
    const base = l.slice(0, 2).toLowerCase();
    if (LANGS.includes(base)) return base;
  }
  return 'es';
}

export async function loadLang(lang) {
  if (!LANGS.includes(lang)) lang = 'es';
  const res = await fetch(asset(`/i18n/${lang}.json`));
  const next = await res.json();
  for (const name of parts.keys()) Object.assign(next, await fetchPart(name, lang));
  catalog = next;
  current = lang;
  document.documentElement.lang = lang;
  return lang;
}

export const lang = () => current;

// The strings of one part (i18n/NAME.LANG.json) added to the catalog, once;
// kept across a change of language. A module awaits it at its top level.
export function loadStrings(name) {
  if (!parts.has(name)) parts.set(name, fetchPart(name, current).then((more) => { Object.assign(catalog, more); }));
  return parts.get(name);
}

export function has(key) {
  return Object.hasOwn(catalog, key);
}

// The form of a counted string for n: "KEY_one" where the language's
// plural rule says "one" (1 in Spanish and English) and the catalog has
// it, else KEY. tn('tickets.count', 1, { n: '1' }) -> "1 ticket en esta
// página"; params are t()'s (give the count, formatted, yourself).
const rules = new Map();
export function tn(key, n, params) {
  if (!rules.has(current)) rules.set(current, new Intl.PluralRules(current));
  const one = rules.get(current).select(Number(n)) === 'one' && has(`${key}_one`);
  return t(one ? `${key}_one` : key, params);
}

// t('sla.due', { when: 'en 3 horas' }) -> "vence en 3 horas"
export function t(key, params) {
  const s = has(key) ? catalog[key] : key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}
