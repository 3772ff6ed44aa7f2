// /admin/personas/N: one account. Its role, language and time zone (one
// form), access (disable, enable: a disabled account cannot log in and
// loses its sessions) and its API tokens (person-tokens.js).
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { useNotice } from './people-list.js';
import { ROLES, stateTag } from './people.js';
import { PersonTokens } from './person-tokens.js';

const FIELDS = { role: 'per-rol', lang: 'per-idioma', timezone: 'per-zona' };
let zones = null;
const timeZones = () => {
  if (!zones) zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones;
};

function Facts({ u }) {
  const yes = (b) => t(b ? 'adm.people.yes' : 'adm.people.no');
  return html`<dl class="adm-facts">
    <div><dt>${t('adm.people.col.email')}</dt><dd>${u.email}</dd></div>
    <div><dt>${t('adm.people.col.company')}</dt><dd>${u.company
      ? html`<a href=${`/admin/empresas/${u.company.id}`}>${u.company.name}</a>` : t('adm.people.no_company')}</dd></div>
    <div><dt>${t('adm.people.contact')}</dt><dd>${yes(u.support_contact)}</dd></div>
    <div><dt>${t('adm.people.verified')}</dt><dd>${yes(u.verified)}</dd></div>
    <div><dt>${t('adm.people.col.state')}</dt><dd>${stateTag(u)}</dd></div>
  </dl>`;
}

function AccountForm({ u, self, onSaved }) {
  const [v, setV] = useState({ role: u.role, lang: u.lang, timezone: u.timezone || '' });
  const form = useForm(FIELDS);
  const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
  const onSubmit = async () => {
    const out = await form.submit(null, () => api.patch(`/users/${u.id}`, { role: v.role, lang: v.lang, timezone: v.timezone.trim() || null }));
    if (out) onSaved(out, () => t('adm.people.saved'));
  };
  return html`<section class="adm-section" aria-labelledby="per-cuenta">
    <h2 id="per-cuenta">${t('adm.people.account')}</h2>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('adm.people.save')}>
      <${Field} id=${FIELDS.role} as="select" width="medium" label=${t('adm.people.role')} value=${v.role} onInput=${set('role')}
        hint=${self ? t('adm.people.role_self') : t('adm.people.role_hint')} disabled=${self}
        error=${form.fieldError(FIELDS.role)} options=${ROLES.map((r) => ({ value: r, label: t(`adm.people.role.${r}`) }))} />
      <${Field} id=${FIELDS.lang} as="select" width="medium" label=${t('adm.people.lang')} hint=${t('adm.people.lang_hint')}
        value=${v.lang} onInput=${set('lang')} error=${form.fieldError(FIELDS.lang)}
        options=${[{ value: 'es', label: 'Español' }, { value: 'en', label: 'English' }]} />
      <${Field} id=${FIELDS.timezone} width="medium" label=${t('adm.people.zone')} hint=${t('adm.people.zone_hint')}
        value=${v.timezone} onInput=${set('timezone')} error=${form.fieldError(FIELDS.timezone)}
        list="per-zonas" autocomplete="off" autocapitalize="none" spellcheck="false" />
      <datalist id="per-zonas">${timeZones().map((z) => html`<option value=${z} />`)}</datalist>
    </${Form}>
  </section>`;
}

function Access({ u, self, onSaved, onError }) {
  const [busy, setBusy] = useState(false);
  const flip = async () => {
    setBusy(true);
    try {
      const out = await api.patch(`/users/${u.id}`, { disabled: !u.disabled });
      onSaved(out, () => t(out.disabled ? 'adm.people.now_disabled' : 'adm.people.now_enabled', { name: out.name }));
    } catch (e) {
      onError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="adm-section" aria-labelledby="per-acceso">
    <h2 id="per-acceso">${t('adm.people.access')}</h2>
    <p>${t(u.disabled ? 'adm.people.access_off' : 'adm.people.access_on')}</p>
    ${self ? html`<p class="hint">${t('adm.people.access_self')}</p>`
      : html`<p><button type="button" class=${u.disabled ? 'button' : 'button adm-danger'} disabled=${busy} onClick=${flip}>
        ${t(u.disabled ? 'adm.people.enable' : 'adm.people.disable')}</button></p>`}
  </section>`;
}

export default function Person({ params }) {
  const { user } = useSession();
  const [u, setU] = useState(null);
  const [error, setError] = useState('');
  const [notice, say] = useNotice('per-aviso');
  useEffect(() => (canAdmin(user) ? api.get(`/users/${params.id}`, setU, (e) => setError(errorMessage(e))) : undefined), [params.id]);

  if (!canAdmin(user)) return html`<${Page} title=${t('adm.people.title')}><${Forbidden} /></${Page}>`;
  const saved = (out, text) => { setU(out); say(text); };
  const self = !!u && u.id === user.id;
  return html`<${Page} title=${u ? u.name : t('adm.people.title')} wide>
    <${AdminNav} user=${user} />
    <p><a href="/admin/personas">${t('adm.people.back')}</a></p>
    ${notice}
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${u && html`<${Facts} u=${u} />
      <${AccountForm} key=${u.id} u=${u} self=${self} onSaved=${saved} />
      <${Access} u=${u} self=${self} onSaved=${saved} onError=${(m) => say(m, 'error')} />
      <${PersonTokens} u=${u} say=${say} />`}
  </${Page}>`;
}
