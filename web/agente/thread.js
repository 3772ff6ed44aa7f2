// The agent's thread: the customer's messages, the public answers and the
// internal notes, each unmistakable by colour, label and sign (a note: a
// pencil sign and "Nota interna: no la ve el cliente"); a mail's HTML in the
// sandboxed frame, its raw original, the attachments.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Time } from '../ui/time.js';
import { Attachments, MailHtml } from '../ui/message-parts.js';

const SIGN = { note: '✎', reply: '↩', customer: '✉', system: 'ⓘ' };

function Message({ n, m }) {
  const who = m.author ? m.author.name : t('thread.system');
  const kind = ['note', 'reply', 'customer', 'system'].includes(m.kind) ? m.kind : 'system';
  return html`<li class=${`msg ag-msg ag-msg-${kind}`}>
    <article aria-label=${t(`agthread.aria.${kind}`, { who })}>
      <header class="msg-head">
        <span class="ag-msg-kind"><span aria-hidden="true">${SIGN[kind]}</span> ${t(`agthread.kind.${kind}`)}</span>
        <span class="msg-who">${who}</span>
        <${Time} iso=${m.created_at} />
      </header>
      <div class="msg-body">${m.body}</div>
      ${m.has_html && html`<${MailHtml} n=${n} m=${m} who=${who} />`}
      ${m.channel === 'mail' && m.kind === 'customer' && html`<p class="ag-raw"><a href=${`/api/v1/tickets/${n}/messages/${m.id}/raw`}>${t('agthread.raw')}</a></p>`}
      <${Attachments} n=${n} list=${m.attachments} />
    </article>
  </li>`;
}

export function AgentThread({ ticket }) {
  return html`<ol class="thread" aria-label=${t('thread.label')}>
    ${(ticket.messages || []).map((m) => html`<${Message} key=${m.id} n=${ticket.number} m=${m} />`)}
  </ol>`;
}
