// /agente: the queue. Strict arrival order (the API's), one view and its
// filters in the address (?vista=&estado=&categoria=&nivel=&version=&asignado=
// &empresa=&despues=; version: of the level, from the admin console), fetched again when the live feed names a changed ticket
// (ui/live.js) without losing the place, the focus or the selection;
// bulk actions on the selected rows; the keyboard.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { navigate } from '../router.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { Field } from '../ui/field.js';
import { QueueRow, levelName } from './queue-row.js';
import { BulkBar } from './bulk.js';
import { useKeys } from './keys.js';
import { ConsoleTools } from './tools.js';
import { VIEWS, STATUSES, CATEGORIES, LEVELS } from './codes.js';
import { useChanges } from '../ui/live.js';

await loadStylesheet('/styles/agente.css');

// Time alone moves rows (at risk, breached) without an event: the page is
// fetched again this often too.
export const REFRESH_MS = 60000;
const FILTERS = { estado: STATUSES, categoria: CATEGORIES, nivel: LEVELS };

function state(query) {
  const s = { vista: VIEWS.includes(query.get('vista')) ? query.get('vista') : 'unsolved' };
  for (const [k, allowed] of Object.entries(FILTERS)) s[k] = allowed.includes(query.get(k)) ? query.get(k) : '';
  s.asignado = /^(me|none|\d+)$/.test(query.get('asignado') || '') ? query.get('asignado') : '';
  s.empresa = /^\d+$/.test(query.get('empresa') || '') ? query.get('empresa') : '';
  s.version = s.nivel && /^\d+$/.test(query.get('version') || '') ? query.get('version') : '';
  s.despues = /^\d+$/.test(query.get('despues') || '') ? query.get('despues') : '';
  return s;
}

function href(s, change) {
  const q = new URLSearchParams();
  const next = { ...s, despues: '', ...change };
  // A version belongs to its level: another level drops it.
  if (next.nivel !== s.nivel) next.version = '';
  for (const [k, v] of Object.entries(next)) if (v && !(k === 'vista' && v === 'unsolved')) q.set(k, v);
  return `/agente${q.toString() ? `?${q}` : ''}`;
}

export default function Queue({ query }) {
  const { user } = useSession();
  const s = state(query);
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const [selected, setSelected] = useState(new Set());
  const [current, setCurrent] = useState(null);
  const [agents, setAgents] = useState([]);
  const [tick, setTick] = useState(0);
  const [notice, setNotice] = useState(null);
  const listRef = useRef(null);
  const key = JSON.stringify(s);

  useEffect(() => api.get('/users', (out) => setAgents((out.users || []).filter((u) => u.role !== 'customer')), () => {}), []);
  useEffect(() => { setList(null); setSelected(new Set()); setCurrent(null); setNotice(null); }, [key]);
  useEffect(() => {
    const q = new URLSearchParams({ view: s.vista, limit: '50' });
    const api_ = { estado: 'status', categoria: 'category', nivel: 'level', version: 'level_version', asignado: 'assignee', empresa: 'company', despues: 'after' };
    for (const [k, p] of Object.entries(api_)) if (s[k]) q.set(p, s[k]);
    return api.get(`/tickets?${q}`, (out) => { setList(out); setError(''); }, (e) => setError(errorMessage(e)));
  }, [key, tick]);
  // The refresh: the same page again when a ticket changed (the feed) and
  // once a minute while the tab is seen; rows are keyed by number, so
  // focus, scroll and selection stay. Presence comes with the feed.
  const presence = useChanges(() => setTick((n) => n + 1), list ? list.tickets.map((tk) => tk.number) : []);
  useEffect(() => {
    const id = setInterval(() => { if (!document.hidden) setTick((n) => n + 1); }, REFRESH_MS);
    return () => clearInterval(id);
  }, []);

  const tickets = list ? list.tickets : [];
  const numbers = tickets.map((tk) => tk.number);
  const focusRow = (n) => {
    setCurrent(n);
    const a = listRef.current && listRef.current.querySelector(`[data-number="${n}"] .queue-link`);
    if (a) a.focus();
  };
  const move = (d) => {
    if (!numbers.length) return;
    const i = numbers.indexOf(current);
    focusRow(numbers[i < 0 ? 0 : Math.max(0, Math.min(numbers.length - 1, i + d))]);
  };
  const toggle = (n, on) => {
    const next = new Set(selected);
    if (on ?? !next.has(n)) next.add(n); else next.delete(n);
    setSelected(next);
  };
  const chosen = numbers.filter((n) => selected.has(n));
  const targets = chosen.length ? chosen : current != null ? [current] : [];
  const assignMe = async () => {
    if (!targets.length) return;
    try {
      const out = await api.post('/tickets/bulk', { numbers: targets, assignee_id: user.id });
      const bad = out.results.filter((r) => !r.ok);
      setNotice(bad.length ? { ok: false, text: bad.map((r) => `Ticket#${r.number}: ${r.error.message}`).join('; ') }
        : { ok: true, text: t('bulk.done', { n: out.ok }) });
      setSelected(new Set(bad.map((r) => r.number)));
      setTick((n) => n + 1);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const bulkControl = (id) => {
    if (current == null) return;
    toggle(current, true);
    setTimeout(() => { const el = document.getElementById(id); if (el) el.focus(); }, 0);
  };
  useKeys({
    j: () => move(1),
    k: () => move(-1),
    o: () => current != null && navigate(`/agente/tickets/${current}`),
    x: () => current != null && toggle(current),
    // s, c with no row selected: select the focused one, then its bulk
    // control (bulk.js) takes the focus.
    s: () => bulkControl('bulk-status'),
    c: () => bulkControl('bulk-category'),
  });

  const viewLink = (v) => html`<li><a href=${href({ vista: s.vista }, { vista: v })} aria-current=${s.vista === v ? 'page' : undefined}>${t(`queue.view.${v}`)}</a></li>`;
  const choice = (id, label, codes, name) => html`<${Field} id=${`f-${id}`} as="select" label=${label} width="medium"
    value=${s[id]} options=${[{ value: '', label: t('queue.any') }, ...codes.map((c) => ({ value: c, label: name(c) }))]}
    onInput=${(v) => navigate(href(s, { [id]: v }), { replace: true })} />`;
  const assigneeOptions = [{ value: 'me', label: t('bulk.me') }, { value: 'none', label: t('queue.unassigned') },
    ...agents.filter((a) => a.id !== user.id).map((a) => ({ value: String(a.id), label: a.name }))];

  return html`<${Page} title=${t(`queue.title.${s.vista}`)} wide>
    <div class="queue-top">
      <nav aria-label=${t('queue.views')} class="queue-views"><ul>${VIEWS.map(viewLink)}</ul></nav>
      <div class="queue-tools">
        <button type="button" class="button button-secondary" aria-keyshortcuts="a" disabled=${!targets.length}
          onClick=${assignMe}>${chosen.length ? t('queue.assign_me_selected', { n: chosen.length }) : t('queue.assign_me')}</button>
        <${ConsoleTools} />
      </div>
    </div>
    <details class="queue-filters" open=${!!(s.estado || s.categoria || s.nivel || s.asignado || s.version)}>
      <summary>${t('queue.filters')}</summary>
      <div class="filters">
        ${choice('estado', t('queue.col.status'), STATUSES, (c) => t(`ag.status.${c}`))}
        ${choice('categoria', t('bulk.category'), CATEGORIES, (c) => t(`ag.category.${c}`))}
        ${choice('nivel', t('queue.col.level'), LEVELS, levelName)}
        <${Field} id="f-asignado" as="select" label=${t('queue.col.assignee')} width="medium" value=${s.asignado}
          options=${[{ value: '', label: t('queue.any') }, ...assigneeOptions]}
          onInput=${(v) => navigate(href(s, { asignado: v }), { replace: true })} />
      </div>
      ${s.empresa && html`<p>${t('queue.company_filter', { id: s.empresa })} <a href=${href(s, { empresa: '' })}>${t('queue.clear')}</a></p>`}
      ${s.version && html`<p>${t('queue.version_filter', { n: s.version })} <a href=${href(s, { version: '' })}>${t('queue.clear')}</a></p>`}
    </details>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${chosen.length > 0 && html`<${BulkBar} numbers=${chosen} me=${user.id} agents=${agents}
      onDone=${(failed, msg) => { setSelected(new Set(failed)); setNotice(msg); setTick((n) => n + 1); }} />`}
    <p role="status" class=${notice ? `notice ${notice.ok ? 'notice-success' : 'notice-error'}` : 'visually-hidden'}>${notice ? notice.text : ''}</p>
    <p class="queue-count" role="status">${list ? tn('queue.count', tickets.length, { n: tickets.length }) : ''}</p>
    ${!list && !error && html`<div class="placeholder placeholder-tickets"></div>`}
    ${list && !tickets.length && html`<p class="empty">${t('queue.none')}</p>`}
    ${tickets.length > 0 && html`<div class="queue-head" aria-hidden="true">
        <span></span><span>${t('queue.col.ticket')}</span><span>${t('queue.col.requester')}</span><span>${t('queue.col.level')}</span>
        <span>${t('queue.col.status')}</span><span>${t('queue.col.assignee')}</span><span>${t('queue.col.sla')}</span>
      </div>
      <ol class="queue-list" ref=${listRef} aria-label=${t('queue.list')}>
        ${tickets.map((tk) => html`<${QueueRow} key=${tk.number} tk=${tk} selected=${selected.has(tk.number)}
          others=${presence && presence[tk.number] ? presence[tk.number] : tk.presence}
          current=${current === tk.number} onSelect=${(on) => toggle(tk.number, on)} onFocus=${() => setCurrent(tk.number)} />`)}
      </ol>`}
    <nav class="pager" aria-label=${t('tickets.pages')}>
      ${s.despues && html`<a href=${href(s, {})}>${t('queue.first')}</a>`}
      ${list && list.next && html`<a href=${href(s, { despues: String(list.next) })} rel="next">${t('queue.next')}</a>`}
    </nav>
  </${Page}>`;
}
