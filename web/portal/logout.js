// /salir: end the session (a link anyone can bookmark), then say so.
import { useEffect, useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';

export default function Logout() {
  const { user, ready, logout } = useSession();
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!ready) return;
    if (user) logout({ stay: true }).then(() => setDone(true));
    else setDone(true);
  }, [ready]);
  return html`<${Page} title=${t('logout.title')}>
    <p role="status">${done ? t('logout.done') : t('verify.wait')}</p>
    ${done && html`<p><a href="/entrar">${t('logout.again')}</a></p>`}
  </${Page}>`;
}
