// /clave: a forgotten password. We mail a one-hour link; the answer is the
// same whether or not the address has an account.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { emailProblem } from './checks.js';

export default function Forgot({ title = t('forgot.title'), lead = t('forgot.lead') }) {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState('');
  const form = useForm({ email: 'correo' });

  const onSubmit = async () => {
    const out = await form.submit(() => [emailProblem(email, 'correo')].filter(Boolean),
      () => api.post('/auth/password-reset', { email: email.trim() }, { quiet401: true }).then(() => true));
    if (out) setSent(email.trim());
  };

  if (sent) {
    return html`<${Page} title=${t('forgot.sent_title')}>
      <div class="notice notice-success" role="status"><p>${t('forgot.sent', { email: sent })}</p></div>
      <p>${t('register.sent_spam')}</p>
      <p><a href="/entrar">${t('forgot.back')}</a></p>
    </${Page}>`;
  }
  return html`<${Page} title=${title} lead=${lead}>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('forgot.submit')}>
      <${Field} id="correo" type="email" label=${t('field.email')} value=${email} onInput=${setEmail}
        autocomplete="email" spellcheck="false" error=${form.fieldError('correo')} />
    </${Form}>
    <p><a href="/entrar">${t('forgot.back')}</a></p>
  </${Page}>`;
}
