// A person's API tokens on /admin/personas/N: the list (name, created,
// expiry, last use, state) with "Revocar", and the form that issues one;
// its secret is shown once, to copy now.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useFormat } from '../format.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { ListTable } from './list-table.js';

const FIELDS = { name: 'tok-nombre', expires_in_days: 'tok-caduca' };
const EXPIRY = ['30', '90', '365', ''];

function Secret({ token, onDone }) {
  return html`<div class="notice notice-success" role="status">
    <p><strong>${t('adm.people.tok.secret_title', { name: token.name })}</strong></p>
    <p>${t('adm.people.tok.secret_once')}</p>
    <div class="adm-secret">
      <label class="visually-hidden" for="tok-secreto">${t('adm.people.tok.secret_label')}</label>
      <input id="tok-secreto" class="control" readonly value=${token.token} onFocus=${(e) => e.currentTarget.select()} />
      <button type="button" class="button button-secondary" onClick=${() => navigator.clipboard && navigator.clipboard.writeText(token.token)}>
        ${t('adm.people.tok.copy')}</button>
    </div>
    <p><button type="button" class="link-button" onClick=${onDone}>${t('adm.people.tok.secret_done')}</button></p>
  </div>`;
}

export function PersonTokens({ u, say }) {
  const f = useFormat();
  const [list, setList] = useState(null);
  const [fresh, setFresh] = useState(null);
  const [tick, setTick] = useState(0);
  const [v, setV] = useState({ name: '', days: '90' });
  const form = useForm(FIELDS);
  useEffect(() => api.get(`/users/${u.id}/tokens`, (out) => setList(out.tokens), (e) => say(errorMessage(e), 'error')), [u.id, tick]);

  const check = () => (v.name.trim() ? [] : [{ field: FIELDS.name, message: t('adm.people.tok.check_name') }]);
  const create = async () => {
    const out = await form.submit(check, () => api.post(`/users/${u.id}/tokens`,
      { name: v.name.trim(), expires_in_days: v.days ? Number(v.days) : null }));
    if (!out) return;
    setFresh(out);
    setV({ name: '', days: v.days });
    setTick((n) => n + 1);
    setTimeout(() => { const el = document.getElementById('tok-secreto'); if (el) el.focus(); }, 0);
  };
  const revoke = async (tk) => {
    try {
      await api.del(`/tokens/${tk.id}`);
      say(() => t('adm.people.tok.revoked_notice', { name: tk.name }));
      setTick((n) => n + 1);
    } catch (e) {
      say(errorMessage(e), 'error');
    }
  };
  const when = (iso, none) => (iso ? html`<time datetime=${iso}>${f.dateTime(iso)}</time>` : none);
  const state = (tk) => {
    if (tk.revoked_at) return html`<span class="adm-tag adm-tag-off">${t('adm.people.tok.revoked')}</span>`;
    if (tk.expires_at && Date.parse(tk.expires_at) <= Date.now()) return html`<span class="adm-tag adm-tag-off">${t('adm.people.tok.expired')}</span>`;
    return html`<button type="button" class="button button-secondary" onClick=${() => revoke(tk)}>
      ${t('adm.people.tok.revoke')}<span class="visually-hidden"> «${tk.name}»</span></button>`;
  };
  return html`<section class="adm-section" aria-labelledby="tok-titulo">
    <h2 id="tok-titulo">${t('adm.people.tok.title')}</h2>
    <p>${t('adm.people.tok.lead')}</p>
    ${fresh && html`<${Secret} token=${fresh} onDone=${() => setFresh(null)} />`}
    ${list && !list.length && html`<p class="adm-count">${t('adm.people.tok.none')}</p>`}
    ${list && list.length > 0 && html`<${ListTable} caption=${t('adm.people.tok.title')}
      cols=${[t('adm.people.tok.name'), t('adm.people.tok.created'), t('adm.people.tok.expires'), t('adm.people.tok.used'), t('adm.people.col.state')]}
      rows=${list.map((tk) => ({ key: tk.id, head: tk.name,
        cells: [when(tk.created_at, '—'), when(tk.expires_at, t('adm.people.tok.never')), when(tk.last_used_at, t('adm.people.tok.unused')), state(tk)] }))} />`}
    <h3>${t('adm.people.tok.new')}</h3>
    <${Form} form=${form} onSubmit=${create} submit=${t('adm.people.tok.create')}>
      <${Field} id=${FIELDS.name} width="medium" label=${t('adm.people.tok.name')} hint=${t('adm.people.tok.name_hint')}
        value=${v.name} onInput=${(x) => setV((o) => ({ ...o, name: x }))} error=${form.fieldError(FIELDS.name)} maxlength="100" />
      <${Field} id=${FIELDS.expires_in_days} as="select" width="medium" label=${t('adm.people.tok.expiry')}
        value=${v.days} onInput=${(x) => setV((o) => ({ ...o, days: x }))} error=${form.fieldError(FIELDS.expires_in_days)}
        options=${EXPIRY.map((d) => ({ value: d, label: d ? tn('adm.people.tok.days', d, { n: d }) : t('adm.people.tok.no_expiry') }))} />
    </${Form}>
  </section>`;
}
