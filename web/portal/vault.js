// Access data for the support team through the vault (policy 7.5): stored
// encrypted, readable by the assigned agents only, destroyed at its expiry
// (1 to 30 days) or when the ticket is solved; every read is recorded.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { Time } from '../ui/time.js';

export function Vault({ n }) {
  const [list, setList] = useState([]);
  const [v, setV] = useState({ label: '', secret: '', days: '7' });
  const [done, setDone] = useState('');
  const [error, setError] = useState('');
  const form = useForm({ label: 'acceso-que', secret: 'acceso-datos', expires_in_days: 'acceso-dias' });
  const load = () => api.get(`/tickets/${n}/secrets`, (o) => setList(o.secrets), (e) => setError(errorMessage(e)));
  useEffect(load, [n]);
  const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));

  const check = () => {
    const days = Number(v.days);
    return [
      !v.label.trim() && { field: 'acceso-que', message: t('vault.label_missing') },
      !v.secret.trim() && { field: 'acceso-datos', message: t('vault.secret_missing') },
      !(Number.isInteger(days) && days >= 1 && days <= 30) && { field: 'acceso-dias', message: t('vault.days_bad') },
    ].filter(Boolean);
  };
  const onSubmit = async () => {
    const out = await form.submit(check, () => api.post(`/tickets/${n}/secrets`,
      { label: v.label.trim(), secret: v.secret, expires_in_days: Number(v.days) }));
    if (out) {
      setV({ label: '', secret: '', days: '7' });
      setDone(out.label);
      load();
    }
  };
  const destroy = async (s) => {
    try {
      await api.del(`/tickets/${n}/secrets/${s.id}`);
      load();
    } catch (e) { setError(errorMessage(e)); }
  };

  const active = list.filter((s) => s.state === 'active');
  return html`<section class="vault" aria-labelledby="vault-title">
    <h2 id="vault-title">${t('vault.title')}</h2>
    <p>${t('vault.why')}</p>
    <ul class="vault-rules">
      <li>${t('vault.rule_who')}</li>
      <li>${t('vault.rule_expiry')}</li>
      <li>${t('vault.rule_log')}</li>
    </ul>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${active.length > 0 && html`<ul class="vault-list">${active.map((s) => html`<li key=${s.id}>
      <strong>${s.label}</strong>${' · '}${t('vault.expires')} <${Time} iso=${s.expires_at} />
      ${' · '}${tn('vault.reads', s.reads, { n: s.reads })}
      <button type="button" class="link-button" onClick=${() => destroy(s)}
        aria-label=${t('vault.destroy_named', { label: s.label })}>${t('vault.destroy')}</button>
    </li>`)}</ul>`}
    ${done && html`<div class="notice notice-success" role="status"><p>${t('vault.saved', { label: done })}</p></div>`}
    <details class="details" open=${form.errors.length > 0}>
      <summary>${t('vault.add')}</summary>
      <${Form} form=${form} onSubmit=${onSubmit} submit=${t('vault.submit')}>
        <${Field} id="acceso-que" label=${t('vault.label')} hint=${t('vault.label_hint')} value=${v.label}
          onInput=${set('label')} error=${form.fieldError('acceso-que')} maxlength="200" />
        <${Field} id="acceso-datos" as="textarea" rows="3" label=${t('vault.secret')} hint=${t('vault.secret_hint')}
          value=${v.secret} onInput=${set('secret')} error=${form.fieldError('acceso-datos')} spellcheck="false" autocomplete="off" />
        <${Field} id="acceso-dias" type="number" label=${t('vault.days')} hint=${t('vault.days_hint')} value=${v.days}
          onInput=${set('days')} error=${form.fieldError('acceso-dias')} min="1" max="30" inputmode="numeric" width="short" />
      </${Form}>
    </details>
  </section>`;
}
