// /admin: the administrator's start page. Every section of the admin
// console the person may open, named and described (common.js PAGES).
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { AdminNav, Forbidden, canAdmin, pagesFor } from './common.js';

export default function AdminHome() {
  const { user } = useSession();
  const pages = pagesFor(user).filter(([href]) => href !== '/admin');
  if (!canAdmin(user) && !pages.length) return html`<${Page} title=${t('adm.title')}><${Forbidden} /></${Page}>`;
  return html`<${Page} title=${t('adm.title')} lead=${t('adm.lead')} wide>
    <${AdminNav} user=${user} />
    <ul class="adm-sections">
      ${pages.map(([href, key]) => html`<li><a href=${href}>${t(key)}</a><p>${t(`${key}.hint`)}</p></li>`)}
    </ul>
  </${Page}>`;
}
