// /tickets/N: one ticket as its customer sees it: the state and the clock,
// the public thread, reply, close or reopen, a supervisor's review, access
// data through the vault, the survey once closed. An agent's reply shows
// within seconds: the page polls with If-None-Match (304: nothing to move).
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Time } from '../ui/time.js';
import { StatusTag } from './tickets.js';
import { Due } from './due.js';
import { Thread } from './thread.js';
import { Reply } from './reply.js';
import { Actions } from './ticket-actions.js';
import { Vault } from './vault.js';
import { TicketSurvey } from './ticket-survey.js';
import { useLiveTicket } from '../ui/live-ticket.js';

export default function TicketPage({ params }) {
  const n = params.n;
  const { user } = useSession();
  const [tk, error, replace, reload] = useLiveTicket(n);
  const [news, setNews] = useState('');
  const seen = useRef(0);

  useEffect(() => {
    if (!tk) return;
    const team = tk.messages.filter((m) => m.kind === 'reply');
    if (seen.current && team.length > seen.current) setNews(t('ticket.new_reply', { who: team[team.length - 1].author.name }));
    seen.current = team.length || -1;
  }, [tk]);

  if (error && !tk) {
    return html`<${Page} title=${t('ticket.not_found')}>
      <p>${errorMessage(error)}</p><p><a href="/tickets">${t('nav.tickets')}</a></p>
    </${Page}>`;
  }
  if (!tk) return html`<${Page} title=${`Ticket#${n}`}><div class="placeholder placeholder-ticket"></div></${Page}>`;

  const me = user && user.id;
  return html`<${Page} title=${`Ticket#${tk.number}: ${tk.subject}`} wide>
    <p class="visually-hidden" role="status" aria-live="polite">${news}</p>
    ${news && html`<div class="notice" aria-hidden="true"><p>${news}</p></div>`}
    <div class="ticket-layout">
      <aside class="ticket-side" aria-label=${t('ticket.summary')}>
        <dl class="facts">
          <div><dt>${t('ticket.status')}</dt><dd><${StatusTag} status=${tk.status} /></dd></div>
          <div><dt>${t('ticket.sent')}</dt><dd><${Time} iso=${tk.created_at} />${tk.requester && tk.requester.id !== me ? ` · ${tk.requester.name}` : ''}</dd></div>
          <div><dt>${t('ticket.clock')}</dt><dd><${Due} sla=${tk.sla} /></dd></div>
        </dl>
      </aside>
      <div class="ticket-main">
        <h2>${t('thread.title')}</h2>
        <${Thread} ticket=${tk} me=${me} />
        ${tk.status !== 'closed' && html`<${Reply} ticket=${tk} onSent=${reload} />`}
        <${TicketSurvey} ticket=${tk} />
        <${Actions} ticket=${tk} onChange=${replace} />
        ${tk.status !== 'closed' && tk.status !== 'resolved' && html`<${Vault} n=${tk.number} />`}
      </div>
    </div>
  </${Page}>`;
}
