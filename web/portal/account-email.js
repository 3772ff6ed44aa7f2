// /cuenta/correo: change the address. A link goes to the new one; the
// change applies when it is opened (/account/email).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { emailProblem } from './checks.js';
import { useDraft } from '../ui/draft.js';

export default function ChangeEmail() {
  const { user } = useSession();
  // Kept if the session ends before it is sent (log in, come back, still there).
  const [email, setEmail, clearEmail] = useDraft('cuenta-correo');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState('');
  const form = useForm({ email: 'correo', password: 'clave' }, { password: t('check.password_wrong') });

  const check = () => [
    emailProblem(email, 'correo'),
    !password && { field: 'clave', message: t('check.password_missing') },
  ].filter(Boolean);
  const onSubmit = async () => {
    const out = await form.submit(check, () => api.post('/me/email', { email: email.trim(), password }));
    if (!out) return;
    clearEmail();
    setSent(email.trim());
  };
  if (sent) {
    return html`<${Page} title=${t('email.sent_title')}>
      <div class="notice notice-success" role="status"><p>${t('email.sent', { email: sent })}</p></div>
      <p>${t('email.sent_next', { old: user.email })}</p>
      <p><a href="/cuenta">${t('email.back')}</a></p>
    </${Page}>`;
  }
  return html`<${Page} title=${t('email.title')} lead=${t('email.lead', { email: user.email })}>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('email.submit')} secondary=${html`<a href="/cuenta">${t('form.cancel')}</a>`}>
      <${Field} id="correo" type="email" label=${t('field.new_email')} value=${email} onInput=${setEmail}
        autocomplete="email" spellcheck="false" error=${form.fieldError('correo')} />
      <${Field} id="clave" type="password" label=${t('field.password')} hint=${t('email.password_hint')} value=${password} onInput=${setPassword}
        autocomplete="current-password" error=${form.fieldError('clave')} />
    </${Form}>
  </${Page}>`;
}
