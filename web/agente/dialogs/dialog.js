// A modal dialog for one of the ticket's actions: a native <dialog>
// (focus kept inside, Escape closes, focus back on the opener), its title
// the accessible name. Its content is made only while it is open, so each
// opening starts afresh.
import { useRef, useEffect } from '../../vendor/hooks.js';
import { html } from '../../html.js';
import { t } from '../../i18n.js';

// The ref of a <dialog> shown as a modal while open is true.
export function useModal(open) {
  const ref = useRef(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return ref;
}

export function Dialog({ id, open, title, onClose, children }) {
  const ref = useModal(open);
  return html`<dialog ref=${ref} id=${id} class="ag-dialog" aria-labelledby=${`${id}-title`} onClose=${onClose}>
    ${open && html`<h2 id=${`${id}-title`}>${title}</h2>${children}`}
  </dialog>`;
}

// The dialog's buttons: the action (a submit) and "Cancelar".
export function DialogButtons({ label, busy, onCancel }) {
  return html`<div class="ag-dialog-buttons">
    <button type="submit" class="button" disabled=${busy}>${label}</button>
    <button type="button" class="button button-secondary" onClick=${onCancel}>${t('agact.cancel')}</button>
  </div>`;
}
