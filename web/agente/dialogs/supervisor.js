// "Pedir ayuda a un supervisor": the agent says why; the question becomes
// an internal note and every supervisor gets a mail
// (POST /tickets/N/supervisor-review). The customer sees nothing of it.
import { useState } from '../../vendor/hooks.js';
import { html } from '../../html.js';
import { t } from '../../i18n.js';
import { api, errorMessage } from '../../api.js';
import { Field } from '../../ui/field.js';
import { Dialog, DialogButtons } from './dialog.js';

function SupervisorForm({ tk, onDone, onCancel }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async (e) => {
    e.preventDefault();
    if (!reason.trim()) { setError(t('agact.sup_missing')); document.getElementById('sup-reason').focus(); return; }
    setBusy(true);
    setError('');
    try {
      const after = await api.post(`/tickets/${tk.number}/supervisor-review`, { reason: reason.trim() });
      onDone(t('agact.sup_done'), after);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return html`<form onSubmit=${send}>
    <p>${t('agact.sup_lead')}</p>
    <${Field} id="sup-reason" as="textarea" rows="5" label=${t('agact.sup_reason')} hint=${t('agact.sup_hint')}
      value=${reason} onInput=${setReason} error=${error} maxlength="2000" />
    <${DialogButtons} label=${t('agact.sup_submit')} busy=${busy} onCancel=${onCancel} />
  </form>`;
}

export function SupervisorDialog({ ticket, open, onClose, onDone }) {
  return html`<${Dialog} id="ag-sup" open=${open} title=${t('agact.sup_title', { n: ticket.number })} onClose=${onClose}>
    <${SupervisorForm} tk=${ticket} onDone=${onDone} onCancel=${onClose} />
  </${Dialog}>`;
}
