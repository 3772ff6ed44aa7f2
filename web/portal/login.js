// /entrar: log in with e-mail and password, then back to where the person
// was going (?volver=/tickets/7).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useSession } from '../context.js';
import { navigate, safeReturn } from '../router.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { emailProblem } from './checks.js';

export default function Login({ query }) {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm({ email: 'correo', password: 'clave' });
  const back = safeReturn(query.get('volver'));

  const check = () => [
    emailProblem(email, 'correo'),
    !password && { field: 'clave', message: t('check.password_missing') },
  ].filter(Boolean);

  const onSubmit = async () => {
    const out = await form.submit(check, () => api.post('/auth/login', { email: email.trim(), password }, { quiet401: true }));
    if (!out) return;
    await session.adopt(out.user, out.csrf_token);
    navigate(back, { replace: true });
  };

  const changed = query.get('motivo') === 'clave';
  return html`<${Page} title=${t('login.title')} lead=${query.get('volver') && !changed ? t('login.again') : undefined}>
    ${changed && html`<div class="notice notice-success" role="status"><p>${t('password.done_text')}</p></div>`}
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('login.submit')}>
      <${Field} id="correo" type="email" label=${t('field.email')} value=${email} onInput=${setEmail}
        autocomplete="email" spellcheck="false" error=${form.fieldError('correo')} />
      <${Field} id="clave" type="password" label=${t('field.password')} value=${password} onInput=${setPassword}
        autocomplete="current-password" error=${form.fieldError('clave')} />
    </${Form}>
    <p><a href="/clave">${t('login.forgot')}</a></p>
    <p>${t('login.no_account')} <a href="/registro">${t('login.register')}</a></p>
  </${Page}>`;
}
