// The console's keyboard (STYLE.md 10.7): a key never fires while the
// person types in a field, with Ctrl/Meta/Alt held, or when shortcuts are
// turned off (WCAG 2.1.4: localStorage "keys" = "off"). A key whose control
// carries aria-keyshortcuts acts on it: a button or link is clicked, a
// field (the status select, the search box) takes the focus; the other keys
// run the page's handler. "g q" is a sequence: g, then q within 1.5 s; "/"
// goes to the search wherever no search box is on the page. The command
// palette (Ctrl+K, palette.js) runs the same keys through runKey().
import { useEffect, useRef } from '../vendor/hooks.js';
import { navigate } from '../router.js';

export const keysOn = () => localStorage.getItem('keys') !== 'off';
export const setKeysOn = (on) => localStorage.setItem('keys', on ? 'on' : 'off');

export function typing(el) {
  return !!el && (el.isContentEditable || (!!el.matches && el.matches('input, textarea, select')));
}

let page = {}; // the handlers of the page on screen

const DEFAULTS = {
  '/': () => navigate('/agente/buscar'),
};

// The control a key acts on, if the page shows one.
export function keyTarget(key) {
  return document.querySelector(`[aria-keyshortcuts="${CSS.escape(key)}"]:not([disabled])`);
}

// Whether the page on screen handles key itself.
export const pageHas = (key) => typeof page[key] === 'function';

// Do what key does on this page: true when something answered it.
export function runKey(key, e) {
  const el = keyTarget(key);
  if (el && !(key === 'Enter' && e && e.target.closest && e.target.closest('a, button'))) {
    if (typing(el)) el.focus();
    else el.click();
    return true;
  }
  const fn = page[key] || DEFAULTS[key];
  if (!fn) return false;
  fn(e);
  return true;
}

// handlers: { j: fn, k: fn, ... }; "g q" (back to the queue) and "/" are
// always there.
export function useKeys(handlers) {
  const ref = useRef(handlers);
  ref.current = handlers;
  page = handlers;
  useEffect(() => {
    let g = 0;
    page = ref.current;
    const down = (e) => {
      if (!keysOn() || e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || e.defaultPrevented) return;
      if (document.querySelector('dialog[open]') && e.key !== '?') return;
      const key = e.key;
      page = ref.current;
      if (g && Date.now() - g < 1500 && key === 'q') {
        g = 0;
        e.preventDefault();
        navigate('/agente');
        return;
      }
      g = key === 'g' ? Date.now() : 0;
      if (runKey(key, e)) e.preventDefault();
    };
    addEventListener('keydown', down);
    return () => { removeEventListener('keydown', down); if (page === ref.current) page = {}; };
  }, []);
}
