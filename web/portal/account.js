// /cuenta: who I am, with a way to change each thing, and my API tokens.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { Time } from '../ui/time.js';

function Row({ label, value, href, action }) {
  return html`<div><dt>${label}</dt><dd>${value}</dd>
    <dd>${href && html`<a href=${href}>${action}<span class="visually-hidden"> ${label.toLowerCase()}</span></a>`}</dd></div>`;
}

function Tokens({ user }) {
  const [tokens, setTokens] = useState(null);
  useEffect(() => api.get(`/users/${user.id}/tokens`, (d) => setTokens(d.tokens), () => setTokens([])), [user.id]);
  if (!tokens) return html`<div class="placeholder placeholder-hours" aria-hidden="true"></div>`;
  const live = tokens.filter((k) => !k.revoked_at);
  if (!live.length) return html`<p>${t('account.tokens_none')}</p>`;
  const when = (iso) => (iso ? html`<${Time} iso=${iso} />` : t('account.never'));
  return html`<div class="table-scroll"><table>
    <caption class="visually-hidden">${t('account.tokens')}</caption>
    <thead><tr><th scope="col">${t('account.token_name')}</th><th scope="col">${t('account.token_created')}</th>
      <th scope="col">${t('account.token_used')}</th><th scope="col">${t('account.token_expires')}</th></tr></thead>
    <tbody>${live.map((k) => html`<tr><td>${k.name}</td><td>${when(k.created_at)}</td><td>${when(k.last_used_at)}</td>
      <td>${k.expires_at ? when(k.expires_at) : t('account.no_expiry')}</td></tr>`)}</tbody>
  </table></div>`;
}

export default function Account() {
  const { user, zone } = useSession();
  const f = useFormat();
  if (!user) return null;
  const change = t('account.change');
  return html`<${Page} title=${t('account.title')} wide>
    <dl class="summary">
      <${Row} label=${t('field.name')} value=${user.name} />
      <${Row} label=${t('field.email')} value=${user.email} href="/cuenta/correo" action=${change} />
      <${Row} label=${t('field.password')} value="••••••••" href="/cuenta/clave" action=${change} />
      <${Row} label=${t('account.company')} value=${user.company ? user.company.name : t('account.no_company')} />
      <${Row} label=${t('account.language')} value=${t(`lang.name.${user.lang}`)} href="/cuenta/preferencias" action=${change} />
      <${Row} label=${t('account.zone')} value=${user.timezone ? t('account.zone_now', { zone: user.timezone, time: f.time(new Date().toISOString()) }) : t('account.zone_auto', { zone })}
        href="/cuenta/preferencias" action=${change} />
    </dl>
    ${user.company && html`<p class="hint">${t(user.support_contact ? 'account.contact_yes' : 'account.contact_no', { company: user.company.name })}</p>`}
    <h2>${t('account.tokens')}</h2>
    <p>${t('account.tokens_lead')}</p>
    <${Tokens} user=${user} />
  </${Page}>`;
}
