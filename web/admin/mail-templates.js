// /admin/correo/plantillas: every notification the desk sends, and a
// preview of the one chosen (?plantilla=ID) in Spanish and English, from a
// real ticket (?ticket=N; the newest when none), rendered by the server
// with the code that renders real mail (GET /admin/templates/ID/preview).
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { navigate } from '../router.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { MailNav } from './mail-common.js';

const AUDIENCES = ['customer', 'staff', 'account'];
const href = (id, ticket) => `/admin/correo/plantillas?${new URLSearchParams({ plantilla: id, ...(ticket ? { ticket } : {}) })}`;

function Preview({ id, ticket, lang }) {
  const [p, setP] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setP(null);
    setError('');
    return api.get(`/admin/templates/${id}/preview?lang=${lang}${ticket ? `&ticket=${ticket}` : ''}`, setP, (e) => setError(errorMessage(e)));
  }, [id, ticket, lang]);
  const title = t(`adm.mail.lang.${lang}`);
  return html`<section class="adm-preview" aria-labelledby=${`pv-${lang}`} lang=${lang}>
    <h3 id=${`pv-${lang}`}>${title}</h3>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${!p && !error && html`<div class="placeholder placeholder-status"></div>`}
    ${p && html`<dl class="adm-facts">
        <div><dt lang=${document.documentElement.lang}>${t('adm.mail.pv_to')}</dt><dd>${p.to}</dd></div>
        <div><dt lang=${document.documentElement.lang}>${t('adm.mail.pv_subject')}</dt><dd>${p.subject}</dd></div>
      </dl>
      <pre class="adm-mail-text" tabindex="0" aria-label=${t('adm.mail.pv_text', { lang: title })}>${p.text}</pre>`}
  </section>`;
}

export default function Templates({ query }) {
  const { user } = useSession();
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const allowed = canAdmin(user);
  const chosen = query.get('plantilla') || 'ticket_received';
  const ticket = /^\d+$/.test(query.get('ticket') || '') ? query.get('ticket') : '';
  const [typed, setTyped] = useState(ticket);
  useEffect(() => (allowed ? api.get('/admin/templates', setList, (e) => setError(errorMessage(e))) : undefined), [allowed]);
  useEffect(() => setTyped(ticket), [ticket]);
  if (!allowed) return html`<${Page} title=${t('adm.mail.tpl_title')}><${Forbidden} /></${Page}>`;
  const show = (e) => { e.preventDefault(); navigate(href(chosen, typed.trim().replace(/^#/, '')), { replace: true }); };
  return html`<${Page} title=${t('adm.mail.tpl_title')} lead=${t('adm.mail.tpl_lead')} wide>
    <${AdminNav} user=${user} />
    <${MailNav} />
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <div class="adm-split">
      <nav aria-label=${t('adm.mail.tpl_list')} class="adm-tpl-list">
        ${list && AUDIENCES.map((a) => html`<h2 id=${`tpl-${a}`}>${t(`adm.mail.aud.${a}`)}</h2>
          <ul aria-labelledby=${`tpl-${a}`}>${list.templates.filter((x) => x.audience === a).map((x) => html`<li>
            <a href=${href(x.id, ticket)} aria-current=${x.id === chosen ? 'page' : undefined}>${t(`adm.mail.tpl.${x.id}`)}</a></li>`)}
          </ul>`)}
      </nav>
      <div>
        <h2>${t(`adm.mail.tpl.${chosen}`)}</h2>
        <form class="adm-tpl-ticket" onSubmit=${show}>
          <${Field} id="tpl-ticket" type="text" inputmode="numeric" label=${t('adm.mail.pv_ticket')} hint=${t('adm.mail.pv_ticket_hint')}
            value=${typed} onInput=${setTyped} width="short" />
          <div class="actions"><button type="submit" class="button button-secondary">${t('adm.mail.pv_show')}</button></div>
        </form>
        <div class="adm-previews">
          <${Preview} id=${chosen} ticket=${ticket} lang="es" />
          <${Preview} id=${chosen} ticket=${ticket} lang="en" />
        </div>
      </div>
    </div>
  </${Page}>`;
}
