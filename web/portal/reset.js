// /account/reset#token=T: choose a new password from the mailed link. Without
// a token (the "someone tried to register with your address" mail), the
// forgotten-password form.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { passwordProblem } from './checks.js';
import { linkToken } from './link-token.js';
import Forgot from './forgot.js';

export default function Reset() {
  const [token] = useState(linkToken);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const [bad, setBad] = useState(false);
  const form = useForm({ password: 'clave' });

  if (!token || bad) return html`<${Forgot} title=${bad ? t('reset.bad') : t('forgot.title')} lead=${bad ? t('reset.bad_text') : t('forgot.lead')} />`;
  const onSubmit = async () => {
    const out = await form.submit(() => [passwordProblem(password, 'clave')].filter(Boolean),
      () => api.post('/auth/password-reset/confirm', { token, password }, { quiet401: true }).then(() => true, (e) => {
        if (e.code === 'invalid_token') { setBad(true); return false; }
        throw e;
      }));
    if (out) setDone(true);
  };
  if (done) {
    return html`<${Page} title=${t('reset.done')}>
      <div class="notice notice-success" role="status"><p>${t('reset.done_text')}</p></div>
      <p><a class="button" href="/entrar">${t('login.submit')}</a></p>
    </${Page}>`;
  }
  return html`<${Page} title=${t('reset.title')}>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('reset.submit')}>
      <${Field} id="clave" type="password" label=${t('field.new_password')} hint=${t('field.password_hint')} value=${password}
        onInput=${setPassword} autocomplete="new-password" error=${form.fieldError('clave')} />
    </${Form}>
  </${Page}>`;
}
