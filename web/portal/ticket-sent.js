// What a customer sees once a ticket is sent: its number, its level and
// when the answer is due (GOV.UK's confirmation panel).
import { useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { Page } from '../ui/page.js';
import { useFormat } from '../format.js';

export function Sent({ ticket }) {
  const f = useFormat();
  const sla = ticket.sla || {};
  // The form is gone: the reader starts again at the confirmation.
  useEffect(() => { const h = document.querySelector('h1'); if (h) h.focus(); }, []);
  const level = has(`sla.level.${sla.level}`) ? t(`sla.level.${sla.level}`) : (sla.name || sla.level);
  return html`<${Page} title=${t('new.sent_title')}>
    <div class="panel" role="status">
      <p class="panel-number">Ticket#${ticket.number}</p>
      <p>${t('new.sent_level', { level })}</p>
      ${sla.reason && html`<p class="panel-reason">${sla.reason}</p>`}
      ${!sla.due_at && html`<p>${t('new.sent_no_due')}</p>`}
      ${sla.due_at && html`<p>${t('new.sent_due')} <strong><time datetime=${sla.due_at}>${f.dayTime(sla.due_at)}</time></strong>${` (${f.relative(sla.due_at)})`}</p>`}
    </div>
    <p>${t('new.sent_mail')}</p>
    <p>${t('new.sent_hours')}</p>
    ${!sla.due_at && html`<p>${t('new.sent_sla')} <a href="/sla/comercial">${t('new.sent_sla_link')}</a></p>`}
    <ul class="links">
      <li><a href=${`/tickets/${ticket.number}`}>${t('new.sent_open', { n: ticket.number })}</a></li>
      <li><a href="/tickets">${t('nav.tickets')}</a></li>
    </ul>
  </${Page}>`;
}
