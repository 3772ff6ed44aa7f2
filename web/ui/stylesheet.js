// A role's stylesheet, loaded by its pages rather than by the shell, so the
// first load of the public pages does not carry it (tests/e2e/budget). A
// page module awaits it at its top level: the router shows the page (and
// focuses its heading) only once the sheet is there, with no unstyled flash.
//   await loadStylesheet('/styles/agente.css');
import { asset } from '../asset.js';

const sheets = new Map(); // href -> Promise

export function loadStylesheet(href) {
  if (!sheets.has(href)) {
    sheets.set(href, new Promise((resolve) => {
      const link = document.createElement('link');
      link.rel = 'stylesheet';
      link.href = asset(href);
      link.onload = link.onerror = () => resolve();
      document.head.append(link);
    }));
  }
  return sheets.get(href);
}
