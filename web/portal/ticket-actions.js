// What a customer may do with a ticket besides replying: close it when it
// is solved, reopen it (policy 7.17.13), ask for a supervisor's review.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { Time } from '../ui/time.js';

function Review({ ticket, onChange }) {
  const [reason, setReason] = useState('');
  const form = useForm({ reason: 'revision-motivo' });
  const review = ticket.supervisor_review;
  if (review && review.state === 'requested') {
    return html`<p class="notice">${t('review.pending')} <${Time} iso=${review.requested_at} /></p>`;
  }
  const onSubmit = async () => {
    const out = await form.submit(
      () => (reason.trim() ? [] : [{ field: 'revision-motivo', message: t('review.missing') }]),
      () => api.post(`/tickets/${ticket.number}/supervisor-review`, { reason: reason.trim() }),
    );
    if (out) { setReason(''); onChange(out); }
  };
  return html`<details class="details" open=${form.errors.length > 0}>
    <summary>${t('review.ask')}</summary>
    <p>${t('review.what')}</p>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('review.submit')}>
      <${Field} id="revision-motivo" as="textarea" rows="3" label=${t('review.reason')} value=${reason}
        onInput=${setReason} error=${form.fieldError('revision-motivo')} />
    </${Form}>
  </details>`;
}

export function Actions({ ticket, onChange }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const setStatus = async (status) => {
    setBusy(true);
    setError('');
    try {
      onChange(await api.patch(`/tickets/${ticket.number}`, { status }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const closed = ticket.status === 'closed';
  const solved = ticket.status === 'resolved';
  return html`<section class="ticket-actions" aria-labelledby="actions-title">
    <h2 id="actions-title">${t('actions.title')}</h2>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <div class="actions">
      ${(closed || solved) && html`<button type="button" class="button" disabled=${busy} onClick=${() => setStatus('open')}>${t('actions.reopen')}</button>`}
      ${!closed && html`<button type="button" class="button button-secondary" disabled=${busy} onClick=${() => setStatus('closed')}>${t('actions.close')}</button>`}
    </div>
    <p class="hint">${closed ? t('actions.reopen_hint') : t('actions.close_hint')}</p>
    ${!closed && html`<${Review} ticket=${ticket} onChange=${onChange} />`}
  </section>`;
}
