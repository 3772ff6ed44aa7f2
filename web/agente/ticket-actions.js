// A ticket's actions for the agent (issue 11, item 8): assign (to me with
// "a", or to someone of the team), status, category; escalate to
// development and extend its 60-day review; out of scope (answer, then
// close); reassess the SLA; ask a supervisor; read the vault. Each says
// what it did in the live region below the title, or what went wrong.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useFormat } from '../format.js';
import { STATUSES, CATEGORIES } from './codes.js';
import { useStaff } from './staff.js';
import { AgentVault } from './vault.js';
import { ConfirmDialog } from './dialogs/confirm.js';
import { OutOfScopeDialog } from './dialogs/out-of-scope.js';
import { SupervisorDialog } from './dialogs/supervisor.js';

await loadStrings('agente');

const opt = (v, label) => html`<option value=${v}>${label}</option>`;

// "Partner Oro, vence el 3 dic 2026, 11:29" of a ticket's SLA.
function slaWords(f, sla) {
  if (!sla || !sla.level) return t('agact.no_level');
  return sla.due_at ? t('agact.level_due', { level: sla.name || sla.level, when: f.dateTime(sla.due_at) }) : sla.name || sla.level;
}

// shortcut: the key that focuses the select (s, c), if any.
function Choice({ id, label, value, setValue, options, busy, current, apply, button, shortcut }) {
  return html`<div class="bulk-group">
    <label for=${id}>${label}</label>
    <select id=${id} class="control" aria-keyshortcuts=${shortcut} value=${value} onChange=${(e) => setValue(e.currentTarget.value)}>${options}</select>
    <button type="button" class="button button-secondary" disabled=${busy || value === current} onClick=${apply}>${button}</button>
  </div>`;
}

export function AgentActions({ ticket, me, onChange }) {
  const f = useFormat();
  const staff = useStaff();
  const n = ticket.number;
  const who = ticket.assignee ? String(ticket.assignee.id) : '';
  const [status, setStatus] = useState(ticket.status);
  const [category, setCategory] = useState(ticket.category);
  const [assignee, setAssignee] = useState(who);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState('');
  useEffect(() => setStatus(ticket.status), [ticket.status]);
  useEffect(() => setCategory(ticket.category), [ticket.category]);
  useEffect(() => setAssignee(who), [who]);

  const say = (msg) => { setError(''); setDone(msg); };
  const fail = (msg) => { setDone(''); setError(msg); };
  const act = async (run) => {
    setBusy(true);
    setError('');
    setDone('');
    try {
      const [msg, after] = await run();
      if (after) onChange(after);
      setDone(msg);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const patch = (change, said) => act(async () => [said, await api.patch(`/tickets/${n}`, change)]);
  const finished = (msg, after) => { setDialog(''); if (after) onChange(after); say(msg); };
  const close = () => setDialog('');
  const email = ticket.requester ? ticket.requester.email : '';
  const mine = ticket.assignee && ticket.assignee.id === me;
  const dev = ticket.category === 'development';
  const reviewDue = dev && ticket.sla && ticket.sla.target === 'review' ? ticket.sla.due_at : null;
  const staffName = (id) => (staff.find((u) => String(u.id) === id) || {}).name || t('queue.unassigned');

  return html`<section class="ag-actions" aria-labelledby="ag-actions-title">
    <h2 id="ag-actions-title">${t('agticket.actions')}</h2>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p role="status" class=${done ? 'notice notice-success' : 'visually-hidden'}>${done}</p>
    <p><button type="button" class="button" aria-keyshortcuts="a" disabled=${busy || mine}
      onClick=${() => patch({ assignee_id: me }, t('agticket.assigned_me'))}>${mine ? t('agticket.is_mine') : t('agticket.assign_me')}</button></p>
    <${Choice} id="tk-assignee" label=${t('agact.assign_to')} value=${assignee} setValue=${setAssignee} busy=${busy} current=${who}
      options=${[opt('', t('queue.unassigned')), ...staff.map((u) => opt(String(u.id), u.name))]} button=${t('agact.assign')}
      apply=${() => patch({ assignee_id: assignee ? Number(assignee) : null },
        assignee ? t('agact.assigned_to', { name: staffName(assignee) }) : t('agact.unassigned'))} />
    <${Choice} id="tk-status" shortcut="s" label=${t('queue.col.status')} value=${status} setValue=${setStatus} busy=${busy} current=${ticket.status}
      options=${STATUSES.map((s) => opt(s, t(`ag.status.${s}`)))} button=${t('agticket.apply_status')}
      apply=${() => patch({ status }, t('agticket.status_done', { status: t(`ag.status.${status}`) }))} />
    <${Choice} id="tk-category" shortcut="c" label=${t('bulk.category')} value=${category} setValue=${setCategory} busy=${busy} current=${ticket.category}
      options=${CATEGORIES.map((c) => opt(c, t(`ag.category.${c}`)))} button=${t('agticket.apply_category')}
      apply=${() => patch({ category }, t('agticket.category_done', { category: t(`ag.category.${category}`) }))} />
    <ul class="ag-more">
      <li>${dev
        ? html`<button type="button" class="button button-secondary" aria-haspopup="dialog" disabled=${busy} onClick=${() => setDialog('extend')}>${t('agact.extend')}</button>
          ${reviewDue && html`<span class="ag-email">${t('agact.review_due', { when: f.dateTime(reviewDue) })}</span>`}`
        : html`<button type="button" class="button button-secondary" aria-haspopup="dialog" disabled=${busy} onClick=${() => setDialog('escalate')}>${t('agact.escalate')}</button>`}</li>
      <li><button type="button" class="button button-secondary" aria-haspopup="dialog" disabled=${busy || ticket.status === 'closed'}
        onClick=${() => setDialog('oos')}>${t('agact.oos')}</button></li>
      <li><button type="button" class="button button-secondary" disabled=${busy}
        onClick=${() => act(async () => {
          const after = await api.post(`/tickets/${n}/sla/reassess`);
          return [t('agact.reassessed', { before: slaWords(f, ticket.sla), after: slaWords(f, after.sla) }), after];
        })}>${t('agact.reassess')}</button></li>
      <li><button type="button" class="button button-secondary" aria-haspopup="dialog" disabled=${busy}
        onClick=${() => setDialog('sup')}>${t('agact.sup')}</button></li>
    </ul>
    <${AgentVault} ticket=${ticket} say=${say} fail=${fail} />
    <${ConfirmDialog} id="ag-escalate" open=${dialog === 'escalate'} title=${t('agact.escalate_title', { n })}
      lead=${[t('agact.escalate_lead'), t('agact.escalate_notice', { email })]} submit=${t('agact.escalate_submit')}
      run=${async () => {
        const after = await api.patch(`/tickets/${n}`, { category: 'development' });
        return [t('agact.escalated', { email, when: after.sla && after.sla.due_at ? f.dateTime(after.sla.due_at) : '—' }), after];
      }} onClose=${close} onDone=${finished} />
    <${ConfirmDialog} id="ag-extend" open=${dialog === 'extend'} title=${t('agact.extend_title', { n })}
      lead=${[reviewDue ? t('agact.review_due', { when: f.dateTime(reviewDue) }) : t('agact.no_review'), t('agact.extend_notice', { email })]}
      submit=${t('agact.extend_submit')}
      run=${async () => {
        const after = await api.post(`/tickets/${n}/sla/extend`);
        return [t('agact.extended', { email, when: after.sla && after.sla.due_at ? f.dateTime(after.sla.due_at) : '—' }), after];
      }} onClose=${close} onDone=${finished} />
    <${OutOfScopeDialog} ticket=${ticket} open=${dialog === 'oos'} onClose=${close} onDone=${finished} onChange=${onChange} />
    <${SupervisorDialog} ticket=${ticket} open=${dialog === 'sup'} onClose=${close} onDone=${finished} />
  </section>`;
}
