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

export default function Login({ query }) {
  const session = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const form = useForm({ email: 'correo', password: 'clave' });
  const back = safeReturn(query.get('volver'));

  const check = () => [
    !email.trim() && { field: 'correo', message: t('login.email_missing') },
    email.trim() && !/^[^\s@]+@[^\s@]+$/.test(email.trim()) && { field: 'correo', message: t('login.email_invalid') },
    !password && { field: 'clave', message: t('login.password_missing') },
  ].filter(Boolean);

  const onSubmit = async () => {
    const out = await form.submit(check, () => api.post('/auth/login', { email: email.trim(), password }, { quiet401: true }));
    if (!out) return;
    await session.adopt(out.user, out.csrf_token);
    navigate(back, { replace: true });
  };

  return html`<${Page} title=${t('login.title')} lead=${query.get('volver') ? t('login.again') : undefined}>
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
