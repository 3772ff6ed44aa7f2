// /supervisor/tickets?cifra=FIGURE&desde=&hasta=&nivel=&asignado=&vista=:
// the tickets behind a figure of the dashboard, from the queue's report=
// filter (the same condition that counted them), 50 a page, each a link to
// the console's ticket.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { SlaClock } from '../ui/sla-badge.js';
import { SupNav, Forbidden, canSupervise } from './common.js';

// The tickets as a table; on a phone each row is a card whose cells say
// their column (the roles are explicit, so the table stays one for screen
// readers whatever its display).
export function TicketTable({ tickets, caption, extra }) {
  const cols = [t('sup.col.level'), t('sup.col.status'), t('sup.col.agent'), t('sup.col.sla'), ...(extra ? [extra.label] : [])];
  const cell = (i, content) => html`<td role="cell"><span class="sup-cell-label" aria-hidden="true">${cols[i]}</span>${content}</td>`;
  return html`<div class="table-scroll sup-scroll" tabindex="0" role="region" aria-label=${caption}>
    <table class="sup-table sup-tickets" role="table">
      <caption class="visually-hidden">${caption}</caption>
      <thead role="rowgroup"><tr role="row">
        <th scope="col" role="columnheader">${t('sup.col.ticket')}</th>
        ${cols.map((c) => html`<th scope="col" role="columnheader">${c}</th>`)}
      </tr></thead>
      <tbody role="rowgroup">${tickets.map((tk) => html`<tr role="row" key=${tk.number} data-number=${tk.number}>
        <th scope="row" role="rowheader"><a href=${`/agente/tickets/${tk.number}`}>Ticket#${tk.number}</a>
          <span class="sup-subject">${tk.subject}</span></th>
        ${cell(0, tk.sla ? tk.sla.name : tk.level)}
        ${cell(1, t(`ag.status.${tk.status}`))}
        ${cell(2, tk.assignee ? tk.assignee.name : html`<em>${t('sup.unassigned')}</em>`)}
        ${cell(3, html`<${SlaClock} sla=${tk.sla} />`)}
        ${extra && cell(4, extra.cell(tk))}
      </tr>`)}</tbody>
    </table>
  </div>`;
}

// [from, to) in words: whole days when both are midnights of the desk's
// calendar (as the dashboard's period), else the instants.
function range(f, from, to) {
  const days = /T00:00:00[-+]/.test(from) && /T00:00:00[-+]/.test(to);
  if (!days) return t('sup.range', { from: f.dateTime(from), to: f.dateTime(to) });
  const day = (iso) => f.date(`${iso.slice(0, 10)}T12:00:00Z`, 'UTC');
  const last = new Date(Date.parse(`${to.slice(0, 10)}T12:00:00Z`) - 86400000).toISOString();
  return t('sup.range', { from: day(from), to: day(last) });
}

export default function FigureTickets({ query }) {
  const { user } = useSession();
  const f = useFormat();
  const fig = query.get('cifra') || '';
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const q = new URLSearchParams({ view: query.get('vista') === 'unsolved' ? 'unsolved' : 'all', report: fig, limit: '50' });
  for (const [k, p] of [['desde', 'from'], ['hasta', 'to'], ['nivel', 'level'], ['asignado', 'assignee'], ['despues', 'after']]) {
    if (query.get(k)) q.set(p, query.get(k));
  }
  const key = q.toString();
  useEffect(() => (canSupervise(user) ? api.get(`/tickets?${key}`, (out) => { setList(out); setError(''); },
    (e) => setError(errorMessage(e))) : undefined), [key]);

  const title = has(`sup.figure.${fig}`) ? t(`sup.figure.${fig}`) : t('sup.tickets');
  if (!canSupervise(user)) return html`<${Page} title=${title}><${Forbidden} /></${Page}>`;
  const from = query.get('desde');
  const to = query.get('hasta');
  const next = new URLSearchParams(query);
  if (list && list.next) next.set('despues', String(list.next));
  return html`<${Page} title=${title} wide>
    <${SupNav} />
    ${from && to && html`<p class="sup-range">${range(f, from, to)}</p>`}
    <p role="status">${list ? t('sup.tickets.count', { n: list.tickets.length }) : ''}</p>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${list && list.tickets.length > 0 && html`<${TicketTable} tickets=${list.tickets} caption=${title} />`}
    <nav class="pager" aria-label=${t('tickets.pages')}>
      ${query.get('despues') && html`<a href=${`/supervisor/tickets?${new URLSearchParams([...query].filter(([k]) => k !== 'despues'))}`}>${t('queue.first')}</a>`}
      ${list && list.next && html`<a rel="next" href=${`/supervisor/tickets?${next}`}>${t('queue.next')}</a>`}
    </nav>
    <p><a href="/supervisor">${t('sup.back')}</a></p>
  </${Page}>`;
}
