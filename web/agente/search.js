// /agente/buscar?q=: search every ticket (GET /api/v1/search) as the agent
// types: a request a moment after the last key, the one before aborted, the
// address kept in step (replaceState) so a search can be bookmarked. "/"
// anywhere in the console comes here (or back to the box); from the box,
// Enter opens the first result (as soon as it comes, if it has not yet)
// and the arrows walk the list.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { navigate } from '../router.js';
import { Page } from '../ui/page.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { useKeys } from './keys.js';
import { ConsoleTools } from './tools.js';
import { SearchResult } from './search-result.js';

await loadStylesheet('/styles/agente.css');

export const DEBOUNCE_MS = 200;

const address = (q) => (q ? `/agente/buscar?q=${encodeURIComponent(q)}` : '/agente/buscar');

export default function Search({ query }) {
  const asked = query.get('q') || '';
  const [q, setQ] = useState(asked);
  const [out, setOut] = useState(null); // { q, results } of the last answer
  const [error, setError] = useState('');
  const box = useRef(null);
  const list = useRef(null);
  const openFirst = useRef(''); // Enter came before the answer to this text
  const text = q.trim();
  useKeys({});

  useEffect(() => setQ(asked), [asked]);
  // The box takes the focus once the router has focused the heading.
  useEffect(() => { const id = setTimeout(() => box.current && box.current.focus(), 0); return () => clearTimeout(id); }, []);
  useEffect(() => {
    if (location.pathname + location.search !== address(text)) history.replaceState(null, '', address(text));
    if (openFirst.current !== text) openFirst.current = '';
    if (!text) { setOut(null); setError(''); return undefined; }
    const ctl = new AbortController();
    const id = setTimeout(() => {
      api.request('GET', `/search?q=${encodeURIComponent(text)}&limit=20`, undefined, { signal: ctl.signal })
        .then((o) => {
          if (openFirst.current === o.q && o.results.length) navigate(`/agente/tickets/${o.results[0].number}`);
          else { setOut(o); setError(''); }
        }, (e) => { if (!ctl.signal.aborted) setError(errorMessage(e)); });
    }, DEBOUNCE_MS);
    return () => { clearTimeout(id); ctl.abort(); };
  }, [text]);

  const links = () => (list.current ? [...list.current.querySelectorAll('.find-link')] : []);
  const step = (from, d) => {
    const all = links();
    const i = all.indexOf(from);
    if (d < 0 && i <= 0) { box.current.focus(); return; }
    const next = all[Math.min(all.length - 1, i + d)];
    if (next) next.focus();
  };
  const onBoxKey = (e) => {
    if (e.key === 'ArrowDown') { e.preventDefault(); step(null, 1); }
  };
  const onLinkKey = (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') { e.preventDefault(); step(e.currentTarget, e.key === 'ArrowDown' ? 1 : -1); }
  };
  const onSubmit = (e) => {
    e.preventDefault();
    if (out && out.q === text) {
      if (out.results.length) navigate(`/agente/tickets/${out.results[0].number}`);
    } else {
      openFirst.current = text;
    }
  };
  const current = out && out.q === text ? out.results : null;
  const said = !text ? '' : current ? (current.length ? t('find.count', { n: current.length, q: text }) : t('find.none', { q: text })) : '';

  return html`<${Page} title=${t('find.title')} wide>
    <div class="queue-top">
      <p><a href="/agente">${t('agticket.back')}</a></p>
      <div class="queue-tools"><${ConsoleTools} search=${false} /></div>
    </div>
    <form role="search" class="find-form" aria-label=${t('find.title')} onSubmit=${onSubmit}>
      <div class="field">
        <label for="buscar-q">${t('find.label')}</label>
        <p class="hint" id="buscar-q-hint">${t('find.hint')}</p>
        <input id="buscar-q" ref=${box} class="control find-box" type="search" autocomplete="off" spellcheck="false"
          aria-keyshortcuts="/" aria-describedby="buscar-q-hint" aria-controls="buscar-resultados" maxlength="200"
          value=${q} onInput=${(e) => setQ(e.currentTarget.value)} onKeyDown=${onBoxKey} />
      </div>
    </form>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p class="find-count" role="status">${said}</p>
    <ol id="buscar-resultados" class="find-list" ref=${list} aria-label=${t('find.results')}>
      ${(out ? out.results : []).map((r) => html`<${SearchResult} key=${r.number} r=${r} onKeyDown=${onLinkKey} />`)}
    </ol>
  </${Page}>`;
}
