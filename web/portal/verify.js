// /account/verify#token=T (a new account) and /account/email#token=T (a
// new address): confirm the address the mailed link was sent to.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { linkToken } from './link-token.js';

export default function Verify() {
  const kind = location.pathname.endsWith('/email') ? 'email' : 'account';
  const { user, refresh } = useSession();
  const [state, setState] = useState('busy'); // busy | done | bad | error
  const [msg, setMsg] = useState('');

  useEffect(() => {
    const tok = linkToken();
    if (!tok) { setState('bad'); return; }
    api.post('/auth/verify', { token: tok }, { quiet401: true }).then(
      () => { setState('done'); refresh(); },
      (e) => { setState(e.status === 400 || e.status === 404 ? 'bad' : 'error'); setMsg(errorMessage(e)); },
    );
  }, []);

  if (state === 'busy') return html`<${Page} title=${t(`verify.${kind}.busy`)}><p role="status">${t('verify.wait')}</p></${Page}>`;
  if (state === 'done') {
    return html`<${Page} title=${t(`verify.${kind}.done`)}>
      <div class="notice notice-success" role="status"><p>${t(`verify.${kind}.done_text`)}</p></div>
      <p>${user ? html`<a class="button" href="/tickets">${t('nav.tickets')}</a>` : html`<a class="button" href="/entrar">${t('login.submit')}</a>`}</p>
    </${Page}>`;
  }
  if (state === 'error') return html`<${Page} title=${t('verify.error')}><p>${msg}</p></${Page}>`;
  return html`<${Page} title=${t('verify.bad')}>
    <p>${t('verify.bad_text')}</p>
    <p>${t(`verify.${kind}.bad_next`)}</p>
    <p><a href=${kind === 'email' ? '/cuenta/correo' : '/registro'}>${t(`verify.${kind}.bad_link`)}</a></p>
  </${Page}>`;
}
