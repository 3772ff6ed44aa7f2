// The knowledge base beside a ticket (issue 12): the articles its
// requester opened in the day before writing (GET /tickets/N/kb-reading:
// what they already read need not be sent again), and "create an article
// from this answer" for the team's latest public answer.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings } from '../i18n.js';
import { api } from '../api.js';
import { Time } from '../ui/time.js';
import { loadStylesheet } from '../ui/stylesheet.js';

await Promise.all([loadStrings('kb'), loadStylesheet('/styles/kb-admin.css')]);

export function KbPanel({ ticket }) {
  const [read, setRead] = useState(null);
  useEffect(() => api.get(`/tickets/${ticket.number}/kb-reading`, (out) => setRead(out.articles), () => setRead([])),
    [ticket.number]);
  const replies = (ticket.messages || []).filter((m) => m.kind === 'reply');
  const last = replies[replies.length - 1];
  return html`<section class="kb-panel" aria-labelledby="kb-panel-title">
    <h2 id="kb-panel-title">${t('kbp.title')}</h2>
    <h3>${t('kbp.read')}</h3>
    ${read && read.length > 0 ? html`<ul>${read.map((a) => html`<li key=${a.id}>
        <a href=${a.url}>${a.title}</a> <span class="hint">${t(a.kind === 'suggest' ? 'kbp.from_form' : 'kbp.opened')}
        <${Time} iso=${a.at} /></span></li>`)}</ul>`
      : html`<p class="hint">${read ? t('kbp.read_none') : ''}</p>`}
    ${last && html`<p><a href=${`/agente/kb/nuevo?ticket=${ticket.number}&mensaje=${last.id}`}>${t('kbp.from_answer')}</a></p>`}
  </section>`;
}
