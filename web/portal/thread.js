// A ticket's public conversation: who wrote, when, the text, a mail's own
// HTML in a sandboxed, titled frame, and the attachments to download.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Time } from '../ui/time.js';
import { Attachments, MailHtml } from '../ui/message-parts.js';

function Message({ n, m, me }) {
  const mine = m.author && m.author.id === me;
  const who = mine ? t('thread.you') : (m.author ? m.author.name : t('thread.system'));
  const role = m.kind === 'reply' ? t('thread.team') : m.kind === 'system' ? t('thread.system') : '';
  return html`<li class=${`msg msg-${m.kind}${mine ? ' msg-mine' : ''}`}>
    <article aria-label=${t('thread.message_from', { who })}>
      <header class="msg-head">
        <span class="msg-who">${who}</span>
        ${role && html`<span class="msg-role">${role}</span>`}
        <${Time} iso=${m.created_at} />
      </header>
      <div class="msg-body">${m.body}</div>
      ${m.has_html && html`<${MailHtml} n=${n} m=${m} who=${who} />`}
      <${Attachments} n=${n} list=${m.attachments} />
    </article>
  </li>`;
}

export function Thread({ ticket, me }) {
  const msgs = (ticket.messages || []).filter((m) => m.kind !== 'note');
  return html`<ol class="thread" aria-label=${t('thread.label')}>
    ${msgs.map((m) => html`<${Message} key=${m.id} n=${ticket.number} m=${m} me=${me} />`)}
  </ol>`;
}
