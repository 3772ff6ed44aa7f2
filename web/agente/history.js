// The ticket's immutable history (GET /tickets/N/events) on a timeline:
// each event a sentence (event-text.js), with its time.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings, tn } from '../i18n.js';
import { api } from '../api.js';
import { useFormat } from '../format.js';
import { Time } from '../ui/time.js';
import { eventText } from './event-text.js';
import { useStaff } from './staff.js';

await loadStrings('agente');

export const HISTORY_EVENT = 'ag-history';

// A user's name from what the page knows: the team, the requester, the
// authors of the messages.
function nameBook(ticket, staff) {
  const book = new Map(staff.map((u) => [u.id, u.name]));
  if (ticket.requester) book.set(ticket.requester.id, ticket.requester.name);
  for (const m of ticket.messages || []) if (m.author) book.set(m.author.id, m.author.name);
  return (id) => book.get(id) || t('agevent.user', { id });
}

export function History({ ticket }) {
  const f = useFormat();
  const staff = useStaff();
  const n = ticket.number;
  const [events, setEvents] = useState(null);
  const [again, setAgain] = useState(0);
  useEffect(() => api.get(`/tickets/${n}/events`, (out) => setEvents(out.events), () => setEvents([])), [n, ticket.updated_at, again]);
  // An action that writes an event without changing the ticket (a vault
  // read) says so with HISTORY_EVENT.
  useEffect(() => {
    const more = () => setAgain((k) => k + 1);
    addEventListener(HISTORY_EVENT, more);
    return () => removeEventListener(HISTORY_EVENT, more);
  }, []);
  if (!events) return null;
  const names = nameBook(ticket, staff);
  return html`<details class="details ag-history">
    <summary>${tn('agticket.history', events.length, { n: events.length })}</summary>
    <ol class="timeline">
      ${events.map((e) => html`<li key=${e.id}>
        <${Time} iso=${e.at} />
        <span>${eventText(e, names, f)}</span>
      </li>`)}
    </ol>
  </details>`;
}
