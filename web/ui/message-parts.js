// Parts of a message shared by the customer's and the agent's threads: the
// attachments to download and a mail's own HTML in a sandboxed, titled frame.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useFormat } from '../format.js';

export function Attachments({ n, list }) {
  const f = useFormat();
  const files = (list || []).filter((a) => !a.inline);
  if (!files.length) return null;
  return html`<ul class="attachments" aria-label=${t('thread.attachments')}>
    ${files.map((a) => html`<li key=${a.id}>
      <a href=${`/api/v1/tickets/${n}/attachments/${a.id}`} download=${a.filename}>${a.filename}</a>
      <span class="upload-size">${` ${f.size(a.size)}`}</span>
    </li>`)}
  </ul>`;
}

// The frame is made only while open: a closed one costs nothing.
export function MailHtml({ n, m, who }) {
  const [open, setOpen] = useState(false);
  return html`<details class="details msg-html" onToggle=${(e) => setOpen(e.currentTarget.open)}>
    <summary>${t('thread.show_mail')}</summary>
    ${open && html`<iframe sandbox="" title=${t('thread.mail', { who })}
      src=${`/api/v1/tickets/${n}/messages/${m.id}/html`}></iframe>`}
  </details>`;
}
