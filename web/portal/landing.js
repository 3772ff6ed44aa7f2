// /: what the help desk is for and the two ways in.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Page } from '../ui/page.js';

export default function Landing() {
  return html`<${Page} title=${t('landing.title')} lead=${t('landing.lead')}>
    <div class="cta">
      <a class="button" href="/tickets/nuevo">${t('landing.ask')}</a>
      <a class="button button-secondary" href="/tickets/nuevo">${t('landing.send')}</a>
    </div>
  </${Page}>`;
}
