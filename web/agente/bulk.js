// Bulk actions on the selected rows: assign, status, category, through
// POST /api/v1/tickets/bulk (one result per ticket; the refused ones named
// in the message onDone(failedNumbers, { ok, text }) receives).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { STATUSES, CATEGORIES } from './codes.js';

export function BulkBar({ numbers, me, agents, onDone }) {
  const [assignee, setAssignee] = useState('');
  const [status, setStatus] = useState('');
  const [category, setCategory] = useState('');
  const [busy, setBusy] = useState(false);
  const n = numbers.length;

  const apply = async (change) => {
    setBusy(true);
    try {
      const out = await api.post('/tickets/bulk', { numbers, ...change });
      const bad = out.results.filter((r) => !r.ok);
      onDone(bad.map((r) => r.number), {
        ok: !bad.length,
        text: bad.length ? tn('bulk.partial', out.ok, { ok: out.ok, failed: out.failed, list: bad.map((r) => `Ticket#${r.number}: ${r.error.message}`).join('; ') })
          : t('bulk.done', { n: out.ok }),
      });
    } catch (e) {
      onDone(numbers, { ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };
  const assign = () => apply({ assignee_id: assignee === 'none' ? null : assignee === 'me' ? me : Number(assignee) });
  const opt = (v, label) => html`<option value=${v}>${label}</option>`;

  return html`<section class="bulk" aria-labelledby="bulk-title">
    <h2 id="bulk-title" class="bulk-title">${t('bulk.title', { n })}</h2>
    <div class="bulk-actions">
      <div class="bulk-group">
        <label for="bulk-assignee">${t('bulk.assignee')}</label>
        <select id="bulk-assignee" class="control" value=${assignee} onChange=${(e) => setAssignee(e.currentTarget.value)}>
          ${opt('', t('bulk.choose'))}${opt('me', t('bulk.me'))}${opt('none', t('bulk.nobody'))}
          ${agents.filter((a) => a.id !== me).map((a) => opt(String(a.id), a.name))}
        </select>
        <button type="button" class="button button-secondary" disabled=${busy || !n || !assignee} onClick=${assign}>${t('bulk.apply_assignee', { n })}</button>
      </div>
      <div class="bulk-group">
        <label for="bulk-status">${t('bulk.status')}</label>
        <select id="bulk-status" class="control" aria-keyshortcuts="s" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
          ${opt('', t('bulk.choose'))}${STATUSES.map((s) => opt(s, t(`ag.status.${s}`)))}
        </select>
        <button type="button" class="button button-secondary" disabled=${busy || !n || !status} onClick=${() => apply({ status })}>${t('bulk.apply_status', { n })}</button>
      </div>
      <div class="bulk-group">
        <label for="bulk-category">${t('bulk.category')}</label>
        <select id="bulk-category" class="control" aria-keyshortcuts="c" value=${category} onChange=${(e) => setCategory(e.currentTarget.value)}>
          ${opt('', t('bulk.choose'))}${CATEGORIES.map((c) => opt(c, t(`ag.category.${c}`)))}
        </select>
        <button type="button" class="button button-secondary" disabled=${busy || !n || !category} onClick=${() => apply({ category })}>${t('bulk.apply_category', { n })}</button>
      </div>
    </div>
  </section>`;
}
