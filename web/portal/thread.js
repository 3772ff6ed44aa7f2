// A ticket's public conversation: who wrote, when, the text, a mail's own
// HTML in a sandboxed, titled frame, and the attachments to download.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Time } from '../ui/time.js';
import { useFormat } from '../format.js';

function Attachments({ n, list }) {
  const f = useFormat();
  const files = (list || []).filter((a) => !a.inline);
  if (!files.length) return null;
  return html`<ul class="attachments" aria-label=${t('thread.attachments')}>
    ${files.map((a) => html`<li key=${a.id}>
      <a href=${`/api/v1/tickets/${n}/attachments/${a.id}`} download=${a.filename}>${a.filename}</a>
      <span class="upload-size">${` ${f.number(Math.max(1, Math.round(a.size / 1024)))} KB`}</span>
    </li>`)}
  </ul>`;
}

// The frame is made only while open: a closed one costs nothing.
function MailHtml({ n, m, who }) {
  const [open, setOpen] = useState(false);
  return html`<details class="details msg-html" onToggle=${(e) => setOpen(e.currentTarget.open)}>
    <summary>${t('thread.show_mail')}</summary>
    ${open && html`<iframe sandbox="" title=${t('thread.mail', { who })}
      src=${`/api/v1/tickets/${n}/messages/${m.id}/html`}></iframe>`}
  </details>`;
}

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
