// The frame of every page: a skip link, the header (name, navigation,
// language switch), the main content and the footer.
import { useRef, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useSession, useLang } from '../context.js';
import { usePath } from '../router.js';

const STAFF = ['agent', 'supervisor', 'admin'];
const MANAGERS = ['supervisor', 'admin'];

function LangSwitch() {
  const lang = useLang();
  const { setLang } = useSession();
  const other = lang === 'es' ? 'en' : 'es';
  // Named in the language it switches to, as people look for their own.
  return html`<button type="button" class="link-button lang-switch" lang=${other}
    onClick=${() => setLang(other)}>${t(`lang.switch_to.${other}`)}</button>`;
}

function Nav() {
  const { user, ready, logout } = useSession();
  const here = usePath().split('?')[0];
  const link = (href, label) => html`<li><a href=${href} aria-current=${here === href ? 'page' : undefined}>${label}</a></li>`;
  // On a phone the links are one row that scrolls sideways: bring the
  // current page's into view (the row only; the page does not move).
  const list = useRef(null);
  useEffect(() => {
    const ul = list.current;
    const a = ul && ul.querySelector('[aria-current="page"]');
    if (!a || ul.scrollWidth <= ul.clientWidth) return;
    const left = a.offsetLeft - ul.offsetLeft;
    if (left < ul.scrollLeft || left + a.offsetWidth > ul.scrollLeft + ul.clientWidth) ul.scrollLeft = left - 16;
  }, [here, user, ready]);
  return html`<nav aria-label=${t('nav.label')} class="nav">
    <ul ref=${list}>
      ${ready && user && link('/tickets', t('nav.tickets'))}
      ${ready && user && STAFF.includes(user.role) && link('/agente', t('nav.console'))}
      ${ready && user && MANAGERS.includes(user.role) && link('/agente/respuestas', t('nav.macros'))}
      ${ready && user && MANAGERS.includes(user.role) && link('/supervisor', t('nav.supervisor'))}
      ${ready && user && STAFF.includes(user.role) && link('/agente/kb', t('nav.kb'))}
      ${ready && user && user.role === 'admin' && link('/admin', t('nav.admin'))}
      ${ready && user && link('/cuenta', t('nav.account'))}
      ${ready && user && html`<li><button type="button" class="link-button" onClick=${() => logout()}>${t('nav.logout')}</button></li>`}
      ${ready && !user && link('/entrar', t('nav.login'))}
      ${ready && !user && link('/registro', t('nav.register'))}
    </ul>
  </nav>`;
}

export function Layout({ children }) {
  return html`<a class="skip-link" href="#contenido">${t('nav.skip')}</a>
  <header class="site-header">
    <div class="wrap header-row">
      <a class="brand" href="/"><span class="brand-mark" aria-hidden="true">?</span>${t('app.name')}</a>
      <${Nav} />
      <div class="header-lang"><${LangSwitch} /></div>
    </div>
  </header>
  <main id="contenido" class="wrap main" tabindex="-1">${children}</main>
  <footer class="site-footer">
    <div class="wrap">
      <p>${t('footer.text')}</p>
    </div>
  </footer>`;
}
