// /supervisor/riesgo: the tickets past 80 % of their response target now,
// breached ones included, the soonest due first, each with its assignee
// and one button that reassigns it (to the agent with the lightest load,
// or the one chosen). Live: fetched again when the feed of changes names a
// ticket, and every minute, as time alone moves a ticket into the list.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { useChanges } from '../ui/live.js';
import { SupNav, Forbidden, canSupervise } from './common.js';
import { useChoices } from './filters.js';
import { TicketTable } from './tickets.js';

export const RISK_REFRESH_MS = 60000;

const due = (tk) => (tk.sla && tk.sla.due_at ? Date.parse(tk.sla.due_at) : Infinity);

function Reassign({ tk, agents, load, onDone }) {
  // Agents first, the lightest load first; then supervisors and admins.
  const rank = (a) => (a.role === 'agent' ? 0 : 1);
  const others = agents.filter((a) => !tk.assignee || a.id !== tk.assignee.id)
    .sort((a, b) => rank(a) - rank(b) || (load[a.id] || 0) - (load[b.id] || 0) || a.name.localeCompare(b.name));
  const lightest = others[0];
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = to || (lightest ? String(lightest.id) : '');
  const id = `reasignar-${tk.number}`;
  const go = async () => {
    setBusy(true);
    try {
      const out = await api.patch(`/tickets/${tk.number}`, { assignee_id: Number(chosen) });
      onDone({ ok: true, text: t('sup.risk.done', { n: tk.number, name: out.assignee ? out.assignee.name : '' }) });
    } catch (e) {
      onDone({ ok: false, text: `Ticket#${tk.number}: ${errorMessage(e)}` });
    } finally {
      setBusy(false);
    }
  };
  if (!others.length) return null;
  return html`<div class="sup-reassign">
    <label for=${id} class="visually-hidden">${t('sup.risk.to', { n: tk.number })}</label>
    <select id=${id} class="control" value=${chosen} onChange=${(e) => setTo(e.currentTarget.value)}>
      ${others.map((a) => html`<option value=${String(a.id)} selected=${String(a.id) === chosen}>
        ${tn('sup.risk.option', load[a.id] || 0, { name: a.name, n: load[a.id] || 0 })}</option>`)}
    </select>
    <button type="button" class="button" disabled=${busy} onClick=${go}>
      ${t('sup.risk.reassign')}<span class="visually-hidden"> Ticket#${tk.number}</span></button>
  </div>`;
}

export default function AtRisk() {
  const { user } = useSession();
  const { agents } = useChoices();
  const [list, setList] = useState(null);
  const [load, setLoad] = useState({});
  const [error, setError] = useState('');
  const [notice, setNotice] = useState(null);
  const [tick, setTick] = useState(0);
  const allowed = canSupervise(user);

  useEffect(() => {
    if (!allowed) return undefined;
    const ctl = new AbortController();
    const get = (view) => api.request('GET', `/tickets?view=${view}&limit=200`, undefined, { signal: ctl.signal });
    Promise.all([get('at_risk'), get('breached'), api.request('GET', '/reports/dashboard', undefined, { signal: ctl.signal })])
      .then(([risk, late, dash]) => {
        const seen = new Map();
        for (const tk of [...late.tickets, ...risk.tickets]) seen.set(tk.number, tk);
        setList([...seen.values()].sort((a, b) => due(a) - due(b) || a.number - b.number));
        setLoad(Object.fromEntries(dash.backlog.by_agent.filter((r) => r.agent).map((r) => [r.agent.id, r.count])));
        setError('');
      })
      .catch((e) => { if (e.name !== 'AbortError') setError(errorMessage(e)); });
    return () => ctl.abort();
  }, [tick, allowed]);
  useChanges(() => setTick((n) => n + 1));
  useEffect(() => {
    const id = setInterval(() => { if (!document.hidden) setTick((n) => n + 1); }, RISK_REFRESH_MS);
    return () => clearInterval(id);
  }, []);

  if (!allowed) return html`<${Page} title=${t('sup.risk.title')}><${Forbidden} /></${Page}>`;
  const done = (msg) => { setNotice(msg); setTick((n) => n + 1); };
  return html`<${Page} title=${t('sup.risk.title')} wide>
    <${SupNav} />
    <p class="sup-lead">${t('sup.risk.lead')}</p>
    <p role="status" class=${notice ? `notice ${notice.ok ? 'notice-success' : 'notice-error'}` : 'visually-hidden'}>${notice ? notice.text : ''}</p>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p class="sup-count" aria-live="polite">${list && list.length ? t('sup.risk.count', { n: list.length }) : ''}</p>
    ${!list && !error && html`<div class="placeholder sup-placeholder-short"></div>`}
    ${list && !list.length && html`<p class="empty">${t('sup.risk.none')}</p>`}
    ${list && list.length > 0 && html`<${TicketTable} tickets=${list} caption=${t('sup.risk.title')}
      extra=${{ label: t('sup.risk.col'), cell: (tk) => html`<${Reassign} tk=${tk} agents=${agents} load=${load} onDone=${done} />` }} />`}
  </${Page}>`;
}
