// /supervisor/agentes: each member of the team with their open tickets
// (who is on which one now, from the feed of changes), their open load and
// their SLA compliance this week (Monday to today, from the reports API).
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { useChanges } from '../ui/live.js';
import { SupNav, Forbidden, canSupervise, today, monday, addDays, figureHref, consoleHref } from './common.js';
import { useChoices } from './filters.js';
import { OUTCOMES, percent } from './dash-sla.js';

const SHOWN = 8;

function AgentCard({ a, tickets, sla, load, week, presence, f }) {
  const p = { agente: String(a.id) };
  // A number links to its tickets; a zero has none.
  const link = (n, href) => (n ? html`<a href=${href}>${f.number(n)}</a>` : f.number(n));
  const here = tickets.filter((tk) => (presence[tk.number] || []).some((o) => o.user.id === a.id));
  return html`<li class="sup-agent">
    <h2 id=${`agent-${a.id}`}>${a.name}</h2>
    <p class="sup-agent-role">${t(`sup.role.${a.role}`)}</p>
    <dl class="sup-agent-facts">
      <div><dt>${t('sup.agents.load')}</dt><dd>${link(load, consoleHref({ asignado: String(a.id) }))}</dd></div>
      <div><dt>${t('sup.agents.week')}</dt><dd>${percent(f, sla ? sla.compliance_percent : null)}</dd></div>
    </dl>
    <dl class="sup-agent-facts sup-agent-outcomes">
      ${OUTCOMES.map((k) => html`<div><dt>${t(`sup.outcome.${k}`)}</dt>
        <dd>${link(sla ? sla[k] : 0, figureHref(k, week, p))}</dd></div>`)}
    </dl>
    ${here.length > 0 && html`<p class="sup-agent-now">${t('sup.agents.on', { list: here.map((tk) => `Ticket#${tk.number}`).join(', ') })}</p>`}
    ${tickets.length ? html`<ul class="sup-agent-tickets" aria-label=${t('sup.agents.tickets', { name: a.name })}>
      ${tickets.slice(0, SHOWN).map((tk) => html`<li><a href=${`/agente/tickets/${tk.number}`}>Ticket#${tk.number}</a> ${tk.subject}</li>`)}
      ${tickets.length > SHOWN && html`<li><a href=${consoleHref({ asignado: String(a.id) })}>${t('sup.agents.more', { n: tickets.length - SHOWN })}</a></li>`}
    </ul>` : html`<p>${t('sup.agents.none')}</p>`}
  </li>`;
}

export default function Agents() {
  const { user } = useSession();
  const f = useFormat();
  const { agents } = useChoices();
  const [open, setOpen] = useState(null);
  const [week, setWeek] = useState(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const allowed = canSupervise(user);
  const from = monday(today());

  useEffect(() => {
    if (!allowed) return undefined;
    const ctl = new AbortController();
    const get = (path) => api.request('GET', path, undefined, { signal: ctl.signal });
    Promise.all([get('/tickets?view=unsolved&limit=200'), get(`/reports/dashboard?from=${from}&to=${addDays(today(), 1)}`)])
      .then(([q, d]) => { setOpen(q); setWeek(d); setError(''); })
      .catch((e) => { if (e.name !== 'AbortError') setError(errorMessage(e)); });
    return () => ctl.abort();
  }, [tick, allowed]);
  const presence = useChanges(() => setTick((n) => n + 1)) || {};

  if (!allowed) return html`<${Page} title=${t('sup.agents.title')}><${Forbidden} /></${Page}>`;
  const ready = open && week;
  const byAgent = (id) => (open ? open.tickets.filter((tk) => tk.assignee && tk.assignee.id === id) : []);
  const row = (list, id) => (list || []).find((r) => r.agent && r.agent.id === id);
  const unassigned = week ? (week.backlog.by_agent.find((r) => !r.agent) || { count: 0 }).count : 0;
  return html`<${Page} title=${t('sup.agents.title')} lead=${t('sup.agents.lead', { from: f.date(`${from}T12:00:00Z`, 'UTC') })} wide>
    <${SupNav} />
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${!ready && !error && html`<div class="placeholder sup-placeholder"></div>`}
    ${ready && html`<p><a href=${consoleHref({ asignado: 'none' })}>${t('sup.agents.unassigned', { n: f.number(unassigned) })}</a></p>
      <ul class="sup-agents">
        ${[...agents].sort((a, b) => (a.role === 'agent' ? 0 : 1) - (b.role === 'agent' ? 0 : 1) || a.name.localeCompare(b.name))
          .map((a) => html`<${AgentCard} key=${a.id} a=${a} tickets=${byAgent(a.id)} f=${f} week=${week}
          sla=${row(week.sla_by_agent, a.id)} load=${(row(week.backlog.by_agent, a.id) || { count: 0 }).count} presence=${presence} />`)}
      </ul>`}
  </${Page}>`;
}
