// What the mail pages share (/admin/correo, /salida, /plantillas): the
// links between them, and a server's answer shown in plain words.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { usePath } from '../router.js';
import { loadStylesheet } from '../ui/stylesheet.js';

await loadStylesheet('/styles/admin-mail.css');

export const MAIL_VIEWS = [
  ['/admin/correo', 'adm.mail.view.settings'],
  ['/admin/correo/salida', 'adm.mail.view.outbox'],
  ['/admin/correo/plantillas', 'adm.mail.view.templates'],
];

export function MailNav() {
  const here = usePath().split('?')[0];
  return html`<nav class="adm-subnav" aria-label=${t('adm.mail.views')}><ul>
    ${MAIL_VIEWS.map(([href, key]) => html`<li><a href=${href} aria-current=${here === href ? 'page' : undefined}>${t(key)}</a></li>`)}
  </ul></nav>`;
}

// What a test send or fetch came to: a sentence (the failure in plain
// words), then the server's last replies exactly as it wrote them.
export function ServerAnswer({ res, ok, id }) {
  const failure = res.failure ? t(`adm.mail.failure.${res.failure}`) : '';
  return html`<div id=${id} class=${`notice ${res.ok ? 'notice-success' : 'notice-error'}`} role="status">
    <p>${res.ok ? ok : failure}</p>
    ${!res.ok && res.error && html`<p class="adm-mail-error">${t('adm.mail.error_was')} <code>${res.error}</code></p>`}
    ${res.replies && res.replies.length > 0 && html`<details open=${!res.ok}>
      <summary>${t('adm.mail.replies')}</summary>
      <ol class="adm-mail-replies">${res.replies.map((l) => html`<li><code>${l}</code></li>`)}</ol>
    </details>`}
  </div>`;
}
