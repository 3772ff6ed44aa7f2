// A ticket's actions for the agent: assign to me (a), status, category,
// each a PATCH /tickets/N by the rules of a single edit.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { STATUSES, CATEGORIES } from './codes.js';

export function AgentActions({ ticket, me, onChange }) {
  const [status, setStatus] = useState(ticket.status);
  const [category, setCategory] = useState(ticket.category);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const patch = async (change, said) => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      onChange(await api.patch(`/tickets/${ticket.number}`, change));
      setDone(said);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const mine = ticket.assignee && ticket.assignee.id === me;
  const opt = (v, label) => html`<option value=${v}>${label}</option>`;
  return html`<section class="ag-actions" aria-labelledby="ag-actions-title">
    <h2 id="ag-actions-title">${t('agticket.actions')}</h2>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p role="status" class=${done ? 'notice notice-success' : 'visually-hidden'}>${done}</p>
    <p><button type="button" class="button" aria-keyshortcuts="a" disabled=${busy || mine}
      onClick=${() => patch({ assignee_id: me }, t('agticket.assigned_me'))}>${mine ? t('agticket.is_mine') : t('agticket.assign_me')}</button></p>
    <div class="bulk-group">
      <label for="tk-status">${t('queue.col.status')}</label>
      <select id="tk-status" class="control" aria-keyshortcuts="s" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
        ${STATUSES.map((s) => opt(s, t(`ag.status.${s}`)))}
      </select>
      <button type="button" class="button button-secondary" disabled=${busy || status === ticket.status}
        onClick=${() => patch({ status }, t('agticket.status_done', { status: t(`ag.status.${status}`) }))}>${t('agticket.apply_status')}</button>
    </div>
    <div class="bulk-group">
      <label for="tk-category">${t('bulk.category')}</label>
      <select id="tk-category" class="control" aria-keyshortcuts="c" value=${category} onChange=${(e) => setCategory(e.currentTarget.value)}>
        ${CATEGORIES.map((c) => opt(c, t(`ag.category.${c}`)))}
      </select>
      <button type="button" class="button button-secondary" disabled=${busy || category === ticket.category}
        onClick=${() => patch({ category }, t('agticket.category_done', { category: t(`ag.category.${category}`) }))}>${t('agticket.apply_category')}</button>
    </div>
  </section>`;
}
