// The application: session and language as context (STYLE.md 10.9), a
// router over the history API (no # URLs), one page module per path.
import { render } from './vendor/preact.js';
import { useState, useEffect, useCallback, useRef } from './vendor/hooks.js';
import { html } from './html.js';
import { Session, Lang } from './context.js';
import { match } from './routes.js';
import { loadLang, preferredLang, t } from './i18n.js';
import { api, setCsrf, setUnauthorizedHandler } from './api.js';
import { Layout } from './ui/layout.js';
import { Page } from './ui/page.js';
import NotFound from './portal/not-found.js';
import { navigate, loginUrl, onLinkClick, usePath } from './router.js';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'America/Lima';

// A page's module did not arrive (offline, or a new release replaced it).
function LoadFailed() {
  return html`<${Page} title=${t('error.load_title')}><p>${t('error.load')}</p>
    <p><button type="button" class="button" onClick=${() => location.reload()}>${t('error.reload')}</button></p></${Page}>`;
}

function Router({ session }) {
  const loc = usePath();
  const url = new URL(loc, location.origin);
  const m = match(url.pathname);
  const [loaded, setLoaded] = useState(null); // { key, Page }
  const focusedFor = useRef(loc);
  const key = m ? m.route.path : '';

  useEffect(() => {
    let live = true;
    if (!m) return undefined;
    m.route.page().then(
      (mod) => { if (live) setLoaded({ key, Page: mod.default }); },
      () => { if (live) setLoaded({ key, Page: LoadFailed }); },
    );
    return () => { live = false; };
  }, [key]);

  // After a navigation (not the first load), focus the new page's heading,
  // so a screen reader announces it and Tab starts from the content.
  useEffect(() => {
    if (!loaded || loaded.key !== key || focusedFor.current === loc) return;
    focusedFor.current = loc;
    const h1 = document.querySelector('main h1');
    if (h1) h1.focus({ preventScroll: true });
    scrollTo(0, 0);
  }, [loc, loaded]);

  if (!m) return html`<${NotFound} />`;
  if (m.route.auth && session.ready && !session.user) {
    navigate(loginUrl(loc), { replace: true });
    return null;
  }
  if (!loaded || loaded.key !== key || (m.route.auth && !session.ready)) return html`<div class="page-loading" aria-busy="true"></div>`;
  const { Page } = loaded;
  return html`<${Page} params=${m.params} query=${url.searchParams} />`;
}

function App({ initialLang }) {
  const [lang, setLangState] = useState(initialLang);
  const [user, setUser] = useState(null);
  const [ready, setReady] = useState(false);

  const adopt = useCallback(async (u, csrf) => {
    setCsrf(csrf);
    setUser(u);
    if (u && u.lang && u.lang !== lang) setLangState(await loadLang(u.lang));
  }, [lang]);

  const refresh = useCallback(async () => {
    try {
      const s = await api.request('GET', '/auth/session', undefined, { quiet401: true });
      await adopt(s.user, s.csrf_token);
    } catch {
      await adopt(null, null);
    }
    setReady(true);
  }, [adopt]);

  useEffect(() => { refresh(); }, []);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setUser(null);
      setCsrf(null);
      if (location.pathname !== '/entrar') navigate(loginUrl(), { replace: false });
    });
  }, []);

  const setLang = useCallback(async (l) => {
    localStorage.setItem('lang', l);
    setLangState(await loadLang(l));
    if (user) {
      try { setUser(await api.patch('/me', { lang: l })); } catch { /* the page keeps the choice */ }
    }
  }, [user]);

  // logout(): end the session and go home; logout({ stay: true }) stays.
  const logout = useCallback(async ({ stay = false } = {}) => {
    try { await api.post('/auth/logout', undefined, { quiet401: true }); } catch { /* gone already */ }
    setCsrf(null);
    setUser(null);
    if (!stay) navigate('/');
  }, []);

  const session = {
    user, ready, refresh, logout, setLang, adopt, setUser,
    zone: (user && user.timezone) || browserZone,
  };
  return html`<${Lang.Provider} value=${lang}>
    <${Session.Provider} value=${session}>
      <${Layout}><${Router} session=${session} /></${Layout}>
    </${Session.Provider}>
  </${Lang.Provider}>`;
}

async function start() {
  const lang = await loadLang(preferredLang());
  document.addEventListener('click', onLinkClick);
  const root = document.getElementById('app');
  root.textContent = '';
  render(html`<${App} initialLang=${lang} />`, root);
}

start().catch(() => {
  document.getElementById('app').textContent = t('error.generic');
});
