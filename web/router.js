// Navigation over the history API (no # URLs): navigate(), the current
// path as a hook, and plain <a href> links routed without a reload.
import { useState, useEffect } from './vendor/hooks.js';

const listeners = new Set();

// Go to a path of the application. replace: do not add a history entry.
export function navigate(to, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((fn) => fn());
}

// Where to come back to after logging in: a path of ours, never another site.
export function safeReturn(to) {
  return typeof to === 'string' && to.startsWith('/') && !to.startsWith('//') && !to.startsWith('/\\') ? to : '/';
}

export function loginUrl(back = location.pathname + location.search) {
  return `/entrar?volver=${encodeURIComponent(back)}`;
}

// Links are plain <a href>: a click on one of ours routes without a reload.
export function onLinkClick(e) {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = e.target.closest && e.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download') || a.origin !== location.origin) return;
  const href = a.getAttribute('href');
  if (href.startsWith('#') || /^\/(api|calendars|healthz|metrics|kb|sitemap)\b/.test(a.pathname) || /\.\w+$/.test(a.pathname)) return;
  e.preventDefault();
  if (a.pathname + a.search !== location.pathname + location.search) navigate(a.pathname + a.search + a.hash);
}

export function usePath() {
  const [loc, setLoc] = useState(location.pathname + location.search);
  useEffect(() => {
    const update = () => setLoc(location.pathname + location.search);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => { listeners.delete(update); removeEventListener('popstate', update); };
  }, []);
  return loc;
}

