// The console's keyboard (STYLE.md 10.7): a key never fires while the
// person types in a field, with Ctrl/Meta/Alt held, or when shortcuts are
// turned off (WCAG 2.1.4: localStorage "keys" = "off"). A key whose button
// carries aria-keyshortcuts clicks that button; the others run a handler.
// "g q" is a sequence: g, then q within 1.5 s.
import { useEffect, useRef } from '../vendor/hooks.js';
import { navigate } from '../router.js';

export const keysOn = () => localStorage.getItem('keys') !== 'off';
export const setKeysOn = (on) => localStorage.setItem('keys', on ? 'on' : 'off');

function typing(el) {
  return el && (el.isContentEditable || (el.matches && el.matches('input, textarea, select')));
}

// handlers: { j: fn, k: fn, ... }; "g q" (back to the queue) is always there.
export function useKeys(handlers) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    let g = 0;
    const down = (e) => {
      if (!keysOn() || e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || e.defaultPrevented) return;
      if (document.querySelector('dialog[open]') && e.key !== '?') return;
      const key = e.key;
      if (g && Date.now() - g < 1500 && key === 'q') {
        g = 0;
        e.preventDefault();
        navigate('/agente');
        return;
      }
      g = key === 'g' ? Date.now() : 0;
      const button = document.querySelector(`[aria-keyshortcuts="${CSS.escape(key)}"]:not([disabled])`);
      if (button && !(key === 'Enter' && e.target.closest && e.target.closest('a, button'))) {
        e.preventDefault();
        button.click();
        return;
      }
      const fn = ref.current[key];
      if (fn) {
        e.preventDefault();
        fn(e);
      }
    };
    addEventListener('keydown', down);
    return () => removeEventListener('keydown', down);
  }, []);
}
