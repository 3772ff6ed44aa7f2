// Any address the application does not know.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Page } from '../ui/page.js';

export default function NotFound() {
  return html`<${Page} title=${t('notfound.title')}>
    <p>${t('notfound.text')}</p>
    <p><a href="/">${t('notfound.home')}</a></p>
  </${Page}>`;
}
