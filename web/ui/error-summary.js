// The list of a form's errors at its top, each a link to its field. It
// takes the focus when it appears, so the person hears what went wrong.
import { useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

// errors: [{ field: 'id-of-the-control' | '', message }]; nothing when empty.
export function ErrorSummary({ errors }) {
  const ref = useRef(null);
  useEffect(() => { if (errors && errors.length && ref.current) ref.current.focus(); }, [errors]);
  if (!errors || !errors.length) return null;
  const go = (e, id) => {
    const el = document.getElementById(id);
    if (!el) return;
    e.preventDefault();
    el.focus();
    el.scrollIntoView({ block: 'center' });
  };
  return html`<div class="error-summary" tabindex="-1" ref=${ref} aria-labelledby="error-summary-title">
    <div role="alert">
      <h2 id="error-summary-title" class="error-summary-title">${t('error.summary')}</h2>
      <ul>
        ${errors.map((e) => html`<li>${e.field ? html`<a href=${`#${e.field}`} onClick=${(ev) => go(ev, e.field)}>${e.message}</a>` : e.message}</li>`)}
      </ul>
    </div>
  </div>`;
}
