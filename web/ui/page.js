// A page's frame: the document title and the one <h1>, which the router
// focuses after a navigation (tabindex -1: focusable, not in the Tab order).
import { useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

// <${Page} title="Entrar" lead="…">…</${Page}>; wide: no reading-width cap.
export function Page({ title, lead, wide, children }) {
  useEffect(() => { document.title = `${title} · ${t('app.name')}`; }, [title]);
  return html`<div class=${wide ? 'page page-wide' : 'page'}>
    <h1 tabindex="-1">${title}</h1>
    ${lead && html`<p class="lead">${lead}</p>`}
    ${children}
  </div>`;
}
