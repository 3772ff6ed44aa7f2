// /cuenta/clave: change the password. Every session ends, this one too:
// the person logs in again with the new one.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useSession } from '../context.js';
import { navigate } from '../router.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { passwordProblem } from './checks.js';

export default function ChangePassword() {
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const form = useForm({ current_password: 'actual', new_password: 'nueva', password: 'actual' },
    { current_password: t('check.password_wrong'), password: t('check.password_wrong') });

  const check = () => [
    !current && { field: 'actual', message: t('check.current_missing') },
    passwordProblem(next, 'nueva'),
  ].filter(Boolean);
  const onSubmit = async () => {
    const out = await form.submit(check, () => api.post('/me/password', { current_password: current, new_password: next }));
    if (!out) return;
    // The server ended every session, this one too: log in with the new one.
    await session.adopt(null, null);
    navigate('/entrar?volver=%2Fcuenta&motivo=clave', { replace: true });
  };
  return html`<${Page} title=${t('password.title')} lead=${t('password.lead')}>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('password.submit')} secondary=${html`<a href="/cuenta">${t('form.cancel')}</a>`}>
      <${Field} id="actual" type="password" label=${t('field.current_password')} value=${current} onInput=${setCurrent}
        autocomplete="current-password" error=${form.fieldError('actual')} />
      <${Field} id="nueva" type="password" label=${t('field.new_password')} hint=${t('field.password_hint')} value=${next} onInput=${setNext}
        autocomplete="new-password" error=${form.fieldError('nueva')} />
    </${Form}>
  </${Page}>`;
}
