// /agente/tickets/N: one ticket as the agent works it: the facts and the
// SLA clock, the thread with notes apart, the two composers, the actions,
// why this deadline, the history. Fetched again when the live feed names
// it (ui/live.js); a presence heartbeat says who else is here and
// whether this agent is writing an answer (agente/presence.js).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { SlaClock } from '../ui/sla-badge.js';
import { useLiveTicket } from '../ui/live-ticket.js';
import { AgentThread } from './thread.js';
import { Composers } from './composer.js';
import { AgentActions } from './ticket-actions.js';
import { History } from './history.js';
import { RequesterPanel } from './requester.js';
import { KbPanel } from './kb-panel.js';
import { SlaExplain } from './sla-explain.js';
import { levelName } from './queue-row.js';
import { useKeys } from './keys.js';
import { ConsoleTools } from './tools.js';
import { useChanges } from '../ui/live.js';
import { usePresence, PresenceNote } from './presence.js';

await loadStylesheet('/styles/agente.css');

export default function AgentTicket({ params }) {
  const n = params.n;
  const { user } = useSession();
  const [tk, error, replace, reload] = useLiveTicket(n, 60000);
  const [sent, setSent] = useState('');
  const [writing, setWriting] = useState(false);
  const live = useChanges((numbers) => { if (numbers.includes(Number(n))) reload(); }, [Number(n)]);
  const others = usePresence(n, writing, live && (live[n] || []));
  useKeys({});

  if (error && !tk) {
    return html`<${Page} title=${t('ticket.not_found')}>
      <p>${errorMessage(error)}</p><p><a href="/agente">${t('agticket.back')}</a></p>
    </${Page}>`;
  }
  if (!tk) return html`<${Page} title=${`Ticket#${n}`}><div class="placeholder placeholder-ticket"></div></${Page}>`;
  const rq = tk.requester || {};
  return html`<${Page} title=${`Ticket#${tk.number}: ${tk.subject}`} wide>
    <p class="ag-top"><a href="/agente">${t('agticket.back')}</a> <span class="ag-tools"><${ConsoleTools} /></span></p>
    <${PresenceNote} others=${others} />
    <p role="status" class=${sent ? 'notice notice-success' : 'visually-hidden'}>${sent}</p>
    <p class="ag-summary"><${SlaClock} sla=${tk.sla} /> ${t(`ag.status.${tk.status}`)} · ${rq.name}${tk.company ? ` · ${tk.company.name}` : ''}</p>
    <div class="ticket-layout">
      <div class="ticket-main">
        <h2>${t('thread.title')}</h2>
        <${AgentThread} ticket=${tk} />
        <${Composers} ticket=${tk} onText=${(kind, has) => setWriting(kind === 'reply' && has)} onSent=${(kind) => { setSent(t(kind === 'note' ? 'composer.note_sent' : 'composer.reply_sent')); reload(); }} />
        <${History} ticket=${tk} />
      </div>
      <aside class="ticket-side" aria-label=${t('ticket.summary')}>
        <dl class="facts">
          <div><dt>${t('queue.col.requester')}</dt><dd>${rq.name} <span class="ag-email">${rq.email}</span>${tk.company ? html`<br />${tk.company.name}` : ''}</dd></div>
          <div><dt>${t('queue.col.level')}</dt><dd>${levelName(tk.sla ? tk.sla.level : tk.level)}</dd></div>
          <div><dt>${t('queue.col.sla')}</dt><dd><${SlaClock} sla=${tk.sla} /></dd></div>
          <div><dt>${t('queue.col.status')}</dt><dd>${t(`ag.status.${tk.status}`)}</dd></div>
          <div><dt>${t('bulk.category')}</dt><dd>${t(`ag.category.${tk.category}`)}</dd></div>
          <div><dt>${t('queue.col.assignee')}</dt><dd>${tk.assignee ? tk.assignee.name : t('queue.unassigned')}</dd></div>
        </dl>
        <${SlaExplain} n=${tk.number} />
        <${AgentActions} ticket=${tk} me=${user.id} onChange=${replace} />
        <${RequesterPanel} ticket=${tk} onChange=${replace} />
        <${KbPanel} ticket=${tk} />
      </aside>
    </div>
  </${Page}>`;
}
