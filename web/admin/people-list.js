// What the admin's lists of people and companies share: the search in the
// address (?q=&rol=&pagina=), the pager, and the notice that says what a
// button just did (their tables: list-table.js).
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { useLang } from '../context.js';
import { Field } from '../ui/field.js';
import { loadStylesheet } from '../ui/stylesheet.js';

await Promise.all([loadStylesheet('/styles/supervisor.css'), loadStylesheet('/styles/admin-people.css')]);

export const PER_PAGE = 25;

// The page number in the address (1 when absent or wrong).
export function pageOf(query) {
  const n = Number.parseInt(query.get('pagina') || '1', 10);
  return n > 0 ? n : 1;
}

// The address of base with the given parameters (empty ones left out).
export function hrefWith(base, params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v != null && v !== 1));
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}

// A search form whose fields live in the address: submitting it goes to
// base?... (page 1). fields: [{ id, key, label, hint, as, options }].
export function SearchForm({ base, query, fields, label }) {
  const [v, setV] = useState(() => Object.fromEntries(fields.map((f) => [f.key, query.get(f.key) || ''])));
  useEffect(() => setV(Object.fromEntries(fields.map((f) => [f.key, query.get(f.key) || '']))), [query.toString()]);
  const submit = (e) => { e.preventDefault(); navigate(hrefWith(base, v)); };
  return html`<form role="search" aria-label=${label} class="adm-search" onSubmit=${submit}>
    ${fields.map((f) => html`<${Field} id=${f.id} label=${f.label} hint=${f.hint} as=${f.as} options=${f.options}
      type=${f.as ? undefined : 'search'} value=${v[f.key]} onInput=${(x) => setV((o) => ({ ...o, [f.key]: x }))} />`)}
    <div class="actions"><button type="submit" class="button">${t('adm.people.search_button')}</button></div>
  </form>`;
}

// Pages of `total` rows: where we are, the previous and the next page.
export function Pager({ base, query, total }) {
  const page = pageOf(query);
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  const at = (n) => hrefWith(base, { ...Object.fromEntries(query), pagina: n });
  if (pages <= 1) return null;
  return html`<nav class="pager adm-pager" aria-label=${t('adm.people.pages')}>
    ${page > 1 && html`<a rel="prev" href=${at(page - 1)}>${t('adm.people.prev')}</a>`}
    <span>${t('adm.people.page_of', { n: page, of: pages })}</span>
    ${page < pages && html`<a rel="next" href=${at(page + 1)}>${t('adm.people.next')}</a>`}
  </nav>`;
}

// A notice of what just happened, focused so that it is heard; kind
// 'success' or 'error'. Returns [element, say(text, kind)]; text is a
// sentence, or a function that writes it (so that it follows a change of
// language), or null to take the notice away.
export function useNotice(id) {
  const [n, setN] = useState(null);
  useLang();
  const ref = useRef(null);
  useEffect(() => { if (n && ref.current) ref.current.focus(); }, [n]);
  const el = html`<div id=${id} tabindex="-1" ref=${ref} role=${n && n.kind === 'error' ? 'alert' : 'status'}
    class=${n ? `notice notice-${n.kind}` : 'visually-hidden'}>${n && html`<p>${typeof n.text === 'function' ? n.text() : n.text}</p>`}</div>`;
  return [el, (text, kind = 'success') => setN(text ? { text, kind } : null)];
}
