// A dialog that says what an action will do (and who hears of it) before
// doing it: escalating to development, extending the 60-day review.
// run() returns the sentence that confirms what was done and the ticket.
import { useState } from '../../vendor/hooks.js';
import { html } from '../../html.js';
import { errorMessage } from '../../api.js';
import { Dialog, DialogButtons } from './dialog.js';

function ConfirmForm({ lead, submit, run, onDone, onCancel }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const go = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      const [said, ticket] = await run();
      onDone(said, ticket);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<form onSubmit=${go}>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${lead.map((p) => html`<p>${p}</p>`)}
    <${DialogButtons} label=${submit} busy=${busy} onCancel=${onCancel} />
  </form>`;
}

// lead: the paragraphs that say what happens; submit: the button's words.
export function ConfirmDialog({ id, open, title, lead, submit, run, onClose, onDone }) {
  return html`<${Dialog} id=${id} open=${open} title=${title} onClose=${onClose}>
    <${ConfirmForm} lead=${lead} submit=${submit} run=${run} onDone=${onDone} onCancel=${onClose} />
  </${Dialog}>`;
}
