// /tickets: my tickets (a company's support contact: the company's), the
// newest activity first, with status, level and due time; a filter by
// status and pages by keyset (?estado=, ?antes= are in the address).
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { navigate } from '../router.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { SlaBadge } from '../ui/sla-badge.js';
import { Time } from '../ui/time.js';

export const STATUSES = ['new', 'open', 'pending_customer', 'resolved', 'closed'];
const PAGE = 20;

export function StatusTag({ status }) {
  return html`<span class=${`status status-${status}`}>${t(`status.${status}`)}</span>`;
}

function Row({ tk, me }) {
  return html`<li class="ticket-row">
    <a class="ticket-link" href=${`/tickets/${tk.number}`}>
      <span class="ticket-number">Ticket#${tk.number}</span>
      <span class="ticket-subject">${tk.subject}</span>
    </a>
    <div class="ticket-meta">
      <${StatusTag} status=${tk.status} />
      <${SlaBadge} sla=${tk.sla} />
    </div>
    <p class="ticket-when">
      ${t('tickets.activity')} <${Time} iso=${tk.updated_at} kind="relative" />
      ${tk.requester && tk.requester.id !== me && html`${' · '}${t('tickets.by', { name: tk.requester.name })}`}
    </p>
  </li>`;
}

export default function Tickets({ query }) {
  const { user } = useSession();
  const status = STATUSES.includes(query.get('estado')) ? query.get('estado') : '';
  const before = query.get('antes') || '';
  const [list, setList] = useState(null);
  const [error, setError] = useState('');

  useEffect(() => {
    setError('');
    const q = new URLSearchParams({ order: 'activity', limit: String(PAGE) });
    if (status) q.set('status', status);
    if (before) q.set('before', before);
    return api.get(`/tickets?${q}`, setList, (e) => setError(errorMessage(e)));
  }, [status, before]);

  const url = (st, ant) => {
    const q = new URLSearchParams();
    if (st) q.set('estado', st);
    if (ant) q.set('antes', ant);
    return `/tickets${q.toString() ? `?${q}` : ''}`;
  };
  const options = [{ value: '', label: t('tickets.all') }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))];
  const tickets = list ? list.tickets : [];

  return html`<${Page} title=${t('tickets.title')}>
    <p><a class="button" href="/tickets/nuevo">${t('tickets.new')}</a></p>
    <div class="filters">
      <${Field} id="estado" as="select" label=${t('tickets.filter')} options=${options} value=${status}
        onInput=${(v) => navigate(url(v, ''), { replace: true })} width="medium" />
    </div>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p class="visually-hidden" role="status">${list ? tn('tickets.count', tickets.length, { n: tickets.length }) : ''}</p>
    ${!list && !error && html`<div class="placeholder placeholder-tickets"></div>`}
    ${list && !tickets.length && html`<p class="empty">${status ? t('tickets.none_status') : t('tickets.none')}</p>`}
    ${tickets.length > 0 && html`<ol class="ticket-list">${tickets.map((tk) => html`<${Row} key=${tk.number} tk=${tk} me=${user && user.id} />`)}</ol>`}
    <nav class="pager" aria-label=${t('tickets.pages')}>
      ${before && html`<a href=${url(status, '')}>${t('tickets.first')}</a>`}
      ${list && list.next && html`<a href=${url(status, list.next)} rel="next">${t('tickets.older')}</a>`}
    </nav>
  </${Page}>`;
}
