// Every string a person reads comes from i18n/{es,en}.json through t().
// Keys are flat ("login.title"); placeholders are {name}.
import { asset } from './asset.js';

export const LANGS = ['es', 'en'];
let catalog = {};
let current = 'es';

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
  catalog = await res.json();
  current = lang;
  document.documentElement.lang = lang;
  return lang;
}

export const lang = () => current;

export function has(key) {
  return Object.hasOwn(catalog, key);
}

// t('sla.due', { when: 'en 3 horas' }) -> "vence en 3 horas"
export function t(key, params) {
  const s = has(key) ? catalog[key] : key;
  if (!params) return s;
  return s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
}
