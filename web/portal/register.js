// /registro: create an account (the policy's fields); a link to confirm
// the address goes by mail.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, lang } from '../i18n.js';
import { api } from '../api.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { emailProblem, passwordProblem } from './checks.js';

const FIELDS = { name: 'nombre', email: 'correo', password: 'clave', position: 'cargo', company: 'empresa', phone: 'telefono' };

export default function Register() {
  const [v, setV] = useState({ nombre: '', correo: '', clave: '', cargo: '', empresa: '', telefono: '' });
  const [sent, setSent] = useState('');
  const form = useForm(FIELDS);
  const set = (k) => (x) => setV({ ...v, [k]: x });

  const check = () => [
    !v.nombre.trim() && { field: 'nombre', message: t('register.name_missing') },
    emailProblem(v.correo, 'correo'),
    passwordProblem(v.clave, 'clave'),
  ].filter(Boolean);

  const onSubmit = async () => {
    const body = {
      name: v.nombre.trim(), email: v.correo.trim(), password: v.clave, lang: lang(),
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    };
    for (const k of ['position', 'company', 'phone']) if (v[FIELDS[k]].trim()) body[k] = v[FIELDS[k]].trim();
    const out = await form.submit(check, () => api.post('/auth/register', body));
    if (out) setSent(body.email);
  };

  if (sent) {
    return html`<${Page} title=${t('register.sent_title')}>
      <div class="notice notice-success" role="status"><p>${t('register.sent', { email: sent })}</p></div>
      <p>${t('register.sent_next')}</p>
      <p>${t('register.sent_spam')}</p>
    </${Page}>`;
  }
  const err = form.fieldError;
  return html`<${Page} title=${t('register.title')} lead=${t('register.lead')}>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('register.submit')}>
      <${Field} id="nombre" label=${t('field.name')} value=${v.nombre} onInput=${set('nombre')} autocomplete="name" error=${err('nombre')} />
      <${Field} id="correo" type="email" label=${t('field.email')} hint=${t('register.email_hint')} value=${v.correo} onInput=${set('correo')}
        autocomplete="email" spellcheck="false" error=${err('correo')} />
      <${Field} id="clave" type="password" label=${t('field.password')} hint=${t('field.password_hint')} value=${v.clave} onInput=${set('clave')}
        autocomplete="new-password" error=${err('clave')} />
      <${Field} id="empresa" label=${t('field.company_optional')} value=${v.empresa} onInput=${set('empresa')} autocomplete="organization" error=${err('empresa')} />
      <${Field} id="cargo" label=${t('field.position_optional')} value=${v.cargo} onInput=${set('cargo')} autocomplete="organization-title" error=${err('cargo')} />
      <${Field} id="telefono" type="tel" label=${t('field.phone_optional')} value=${v.telefono} onInput=${set('telefono')} autocomplete="tel" width="medium" error=${err('telefono')} />
    </${Form}>
    <p>${t('register.have_account')} <a href="/entrar">${t('register.login')}</a></p>
  </${Page}>`;
}
