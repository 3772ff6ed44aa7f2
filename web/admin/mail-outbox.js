// /admin/correo/salida: the outbox, newest first: failed and waiting mail
// by default (?estado=fallidos|espera|enviados|todos), each with its
// recipient, subject, kind, attempts, last error and next attempt (a card
// each on a phone); retry one, or every failed one. Pages by ?antes=ID.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Time } from '../ui/time.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { MailNav } from './mail-common.js';
import { ListTable } from './list-table.js';

// The address's words for the API's states.
const STATES = [['', 'open'], ['fallidos', 'failed'], ['espera', 'waiting'], ['enviados', 'sent'], ['todos', 'all']];

const href = (estado, antes) => {
  const q = new URLSearchParams();
  if (estado) q.set('estado', estado);
  if (antes) q.set('antes', antes);
  return `/admin/correo/salida${q.size ? `?${q}` : ''}`;
};

export const kindName = (kind) => t(`adm.mail.tpl.${kind}`);

const COLS = ['to', 'subject', 'kind', 'state', 'attempts', 'last_error', 'next', 'action'];

// One mail as a row of the table (its recipient heads it).
function row(m, onRetry, busy) {
  // One node: on a phone the cell is a grid of its label and this.
  const what = m.ticket ? html`<span><a href=${`/agente/tickets/${m.ticket}`}>Ticket#${m.ticket}</a> ${m.subject}</span>` : t('adm.mail.no_ticket');
  const retry = (m.state === 'failed' || m.state === 'pending') ? html`<button type="button" class="button button-secondary"
      disabled=${busy} onClick=${() => onRetry(m)}>${t('adm.mail.retry')}<span class="visually-hidden"> ${t('adm.mail.retry_to', { to: m.recipient, id: m.id })}</span></button>` : '—';
  return {
    key: m.id,
    head: m.recipient,
    cells: [
      what,
      kindName(m.kind),
      t(`adm.mail.state.${m.state}`),
      m.attempts,
      html`<span class="adm-mail-err">${m.last_error || '—'}</span>`,
      m.next_attempt_at ? html`<${Time} iso=${m.next_attempt_at} kind="relative" />` : '—',
      retry,
    ],
  };
}

export default function Outbox({ query }) {
  const { user } = useSession();
  const estado = STATES.some(([w]) => w === query.get('estado')) ? query.get('estado') : '';
  const state = STATES.find(([w]) => w === estado)[1];
  const antes = /^\d+$/.test(query.get('antes') || '') ? query.get('antes') : '';
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const [done, setDone] = useState('');
  const [busy, setBusy] = useState(false);
  const [tick, setTick] = useState(0);
  const allowed = canAdmin(user);
  useEffect(() => (allowed ? api.get(`/admin/outbox?state=${state}${antes ? `&before=${antes}` : ''}`, (l) => { setList(l); setError(''); },
    (e) => setError(errorMessage(e))) : undefined), [allowed, state, antes, tick]);
  if (!allowed) return html`<${Page} title=${t('adm.mail.outbox_title')}><${Forbidden} /></${Page}>`;

  const act = (p, msg) => {
    setBusy(true);
    setDone('');
    p.then((out) => { setDone(msg(out)); setError(''); setTick((n) => n + 1); }, (e) => setError(errorMessage(e)))
      .finally(() => setBusy(false));
  };
  const retry = (m) => act(api.post(`/admin/outbox/${m.id}/retry`), () => t('adm.mail.retried', { to: m.recipient }));
  const retryAll = () => act(api.post('/admin/outbox/retry'), (o) => [tn('adm.mail.retried_n', o.retried, { n: o.retried }), o.skipped ? tn('adm.mail.retried_skipped', o.skipped, { n: o.skipped }) : ''].join(' ').trim());
  const counts = list ? list.counts : {};
  const count = (s) => (s === 'open' ? (counts.failed || 0) + (counts.waiting || 0) : s === 'all' ? undefined : counts[s]);
  const caption = t('adm.mail.outbox_caption', { which: t(`adm.mail.filter.${state}`) });
  return html`<${Page} title=${t('adm.mail.outbox_title')} lead=${t('adm.mail.outbox_lead')} wide>
    <${AdminNav} user=${user} />
    <${MailNav} />
    <nav class="adm-tabs" aria-label=${t('adm.mail.filter')}><ul>
      ${STATES.map(([w, s]) => html`<li><a href=${href(w)} aria-current=${w === estado ? 'page' : undefined}>${t(`adm.mail.filter.${s}`)}${count(s) !== undefined && list ? ` (${count(s)})` : ''}</a></li>`)}
    </ul></nav>
    <div role="status" aria-live="polite">${done && html`<div class="notice notice-success"><p>${done}</p></div>`}</div>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${counts.failed > 0 && html`<div class="actions"><button type="button" class="button" disabled=${busy} onClick=${retryAll}>${tn('adm.mail.retry_all', counts.failed, { n: counts.failed })}</button></div>`}
    ${!list && !error && html`<div class="placeholder placeholder-status"></div>`}
    ${list && !list.items.length && html`<p>${t('adm.mail.outbox_empty')}</p>`}
    ${list && list.items.length > 0 && html`<${ListTable} caption=${caption} className="adm-outbox"
      cols=${COLS.map((c) => t(`adm.mail.col.${c}`))} rows=${list.items.map((m) => row(m, retry, busy))} />`}
    <p class="adm-pages">
      ${antes && html`<a href=${href(estado)}>${t('adm.mail.newest')}</a> `}
      ${list && list.next && html`<a href=${href(estado, list.next)}>${t('adm.mail.older')}</a>`}
    </p>
  </${Page}>`;
}
