// One row of the queue: number and subject (the link), requester and
// company, level, status, assignee and the SLA countdown. A grid row on a
// wide screen, a card on a phone (styles/agente.css).
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { SlaClock } from '../ui/sla-badge.js';
import { PresenceNote } from './presence.js';

export const levelName = (code) => (has(`sla.level.${code}`) ? t(`sla.level.${code}`) : code || '');

export function QueueRow({ tk, others, selected, current, onSelect, onFocus }) {
  const who = tk.requester ? tk.requester.name : '';
  return html`<li class=${`queue-row${current ? ' queue-row-current' : ''}${selected ? ' queue-row-selected' : ''}`}
      data-number=${tk.number} onFocusIn=${onFocus}>
    <span class="queue-check">
      <input type="checkbox" id=${`sel-${tk.number}`} checked=${selected} onChange=${(e) => onSelect(e.currentTarget.checked)} />
      <label for=${`sel-${tk.number}`} class="visually-hidden">${t('queue.select', { n: tk.number })}</label>
    </span>
    <a class="queue-link" href=${`/agente/tickets/${tk.number}`} aria-current=${current ? 'true' : undefined}>
      <span class="queue-number">Ticket#${tk.number}</span>
      <span class="queue-subject">${tk.subject}</span>
    </a>
    <span class="queue-who"><span class="visually-hidden">${t('queue.col.requester')}: </span>${who}${tk.company ? html` · <span class="queue-company">${tk.company.name}</span>` : ''}</span>
    <span class="queue-level"><span class="visually-hidden">${t('queue.col.level')}: </span>${levelName(tk.level)}</span>
    <span class=${`queue-status status status-${tk.status}`}><span class="visually-hidden">${t('queue.col.status')}: </span>${t(`ag.status.${tk.status}`)}</span>
    <span class="queue-assignee"><span class="visually-hidden">${t('queue.col.assignee')}: </span>${tk.assignee ? tk.assignee.name : html`<em>${t('queue.unassigned')}</em>`}</span>
    <span class="queue-sla"><${SlaClock} sla=${tk.sla} /></span>
    <${PresenceNote} others=${others || tk.presence} where="row" />
  </li>`;
}
