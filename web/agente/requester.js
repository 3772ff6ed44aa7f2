// The requester panel (issue 11, item 9): who wrote and for which company,
// the licence and partner tier, the licence emails and whether this
// ticket came from one, the endorsement and the company's support contacts
// (n of max), the SLA level and why, the browser and server the ticket
// collected, and the requester's other tickets. For a requester the desk
// does not know, the company the ticket suggests (by an instance URL it
// names or the mail's domain), confirmed or dismissed in one step.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, has, loadStrings, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useFormat } from '../format.js';
import { Time } from '../ui/time.js';

await loadStrings('agente');

const word = (prefix, code) => (code && has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : code);
const Fact = ({ label, children }) => html`<div><dt>${label}</dt><dd>${children}</dd></div>`;
const Yes = ({ ok, children }) => html`<span class=${ok ? 'ag-yes' : 'ag-no'}><span aria-hidden="true">${ok ? '✓ ' : '✕ '}</span>${children}</span>`;

// One read for the panel; null while it loads, {} when it failed.
function useRead(path) {
  const [v, setV] = useState(null);
  useEffect(() => (path ? api.get(path, setV, () => setV({})) : setV({})), [path]);
  return v;
}

function Licence({ co, email }) {
  const l = co.license || {};
  const emails = l.emails || (l.email ? [l.email] : []);
  const from = emails.some((e) => e.toLowerCase() === (email || '').toLowerCase());
  const p = co.partner || {};
  return html`
    <${Fact} label=${t('agreq.licence')}>
      ${l.status && l.status !== 'none'
        ? html`${[word('agreq.product', l.product), word('agreq.plan', l.plan)].filter(Boolean).join(' · ')}${' · '}
          <${Yes} ok=${l.status === 'active'}>${word('agreq.lstatus', l.status)}</${Yes}>
          ${l.expires_at && html`<br />${t('agreq.expires')} <${Time} iso=${l.expires_at} kind="date" />`}`
        : t('agreq.no_licence')}
    </${Fact}>
    <${Fact} label=${t('agreq.partner')}>
      ${p.tier ? html`<${Yes} ok=${p.active}>${t(p.active ? 'agreq.partner_active' : 'agreq.partner_inactive', { tier: word('agreq.tier', p.tier) })}</${Yes}>` : t('agreq.not_partner')}
    </${Fact}>
    <${Fact} label=${t('agreq.licence_emails')}>
      ${emails.length ? html`<ul class="ag-plain">${emails.map((e) => html`<li class="ag-email">${e}</li>`)}</ul>` : t('agreq.none')}
      <${Yes} ok=${from}>${t(from ? 'agreq.from_licence' : 'agreq.not_from_licence')}</${Yes}>
    </${Fact}>`;
}

function Contacts({ co, requester, contacts }) {
  const f = useFormat();
  const list = (contacts && contacts.contacts) || [];
  const me = list.find((c) => c.id === requester.id);
  const max = co.max_contacts;
  return html`
    <${Fact} label=${t('agreq.endorsement')}>
      <${Yes} ok=${!!me}>${me && me.endorsed_at ? t('agreq.endorsed', { when: f.date(me.endorsed_at) }) : me ? t('agreq.endorsed_contact') : t('agreq.not_endorsed')}</${Yes}>
    </${Fact}>
    <${Fact} label=${t('agreq.contacts')}>
      <p class="ag-count">${max ? tn('agreq.contacts_n_of', max, { n: co.contacts, max }) : tn('agreq.contacts_n', co.contacts, { n: co.contacts })}</p>
      ${list.length > 0 && html`<ul class="ag-plain">${list.map((c) => html`<li key=${c.id}>${c.name} <span class="ag-email">${c.email}</span></li>`)}</ul>`}
    </${Fact}>`;
}

function Environment({ tk }) {
  const env = tk.environment || {};
  const b = env.browser;
  const s = env.server;
  const fields = ['product', 'edition', 'version', 'url'].filter((k) => tk[k]);
  return html`<h3>${t('agreq.env')}</h3>
    <dl class="ag-facts">
      <${Fact} label=${t('agreq.browser')}>
        ${b ? html`${b.summary || t('agreq.unknown')}${b.user_agent && html`<br /><code class="ag-ua">${b.user_agent}</code>`}` : t('agreq.no_browser')}
      </${Fact}>
      <${Fact} label=${t('agreq.server')}>
        ${s ? html`${s.summary}<br /><a href=${`/api/v1/tickets/${tk.number}/server-info`} download="info-php.txt">${t('agreq.server_info')}</a>` : t('agreq.no_server')}
      </${Fact}>
      ${fields.map((k) => html`<${Fact} key=${k} label=${t(`agreq.field.${k}`)}>${k === 'url' ? html`<span class="ag-email">${tk.url}</span>` : tk[k]}</${Fact}>`)}
    </dl>`;
}

function OtherTickets({ tk }) {
  const rq = tk.requester || {};
  const out = useRead(rq.id ? `/tickets?view=all&requester=${rq.id}&limit=200` : null);
  if (!out) return null;
  const others = (out.tickets || []).filter((o) => o.number !== tk.number).reverse();
  return html`<h3>${t('agreq.others', { n: others.length })}</h3>
    ${others.length === 0 ? html`<p>${t('agreq.no_others')}</p>` : html`<ul class="ag-others">
      ${others.slice(0, 10).map((o) => html`<li key=${o.number}>
        <a href=${`/agente/tickets/${o.number}`}>Ticket#${o.number}: ${o.subject}</a>
        <span class="ag-email"> · ${word('ag.status', o.status)} · <${Time} iso=${o.created_at} kind="date" /></span>
      </li>`)}
    </ul>`}
    ${others.length > 10 && html`<p class="ag-email">${t('agreq.more', { n: others.length - 10 })}</p>`}`;
}

// "posible empresa: Acme, por su portal acme.bitrix24.es": confirm (the
// requester joins it; optionally endorsed as a support contact, under the
// company's cap) or dismiss. onChange receives the ticket the API answers.
function Suggestion({ tk, onChange }) {
  const s = tk.suggestion;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  if (!s || s.state !== 'open') return null;
  const decide = async (path, body) => {
    setBusy(true);
    setError('');
    try {
      onChange(await api.post(`/tickets/${tk.number}/suggestion/${path}`, body));
    } catch (e) {
      setError(errorMessage(e));
    }
    setBusy(false);
  };
  return html`<div class="notice ag-suggestion" role="group" aria-labelledby="ag-suggestion-h">
    <h3 id="ag-suggestion-h">${t('agreq.sugg.title')}</h3>
    <p>${s.reason}</p>
    <div class="ag-suggestion-actions">
      <button type="button" class="button" disabled=${busy} onClick=${() => decide('confirm', {})}>${t('agreq.sugg.confirm', { company: s.company.name })}</button>
      <button type="button" class="button button-secondary" disabled=${busy} onClick=${() => decide('confirm', { contact: true })}>${t('agreq.sugg.contact')}</button>
      <button type="button" class="button button-secondary" disabled=${busy} onClick=${() => decide('dismiss', {})}>${t('agreq.sugg.dismiss')}</button>
    </div>
    ${error && html`<p class="field-error" role="alert">${error}</p>`}
  </div>`;
}

export function RequesterPanel({ ticket: tk, onChange = () => {} }) {
  const rq = tk.requester || {};
  const coId = tk.company && tk.company.id;
  const user = useRead(rq.id ? `/users/${rq.id}` : null);
  const co = useRead(coId ? `/companies/${coId}` : null);
  const contacts = useRead(coId ? `/companies/${coId}/contacts` : null);
  const sla = tk.sla || {};
  return html`<section class="ag-requester" aria-labelledby="ag-requester-title">
    <h2 id="ag-requester-title">${t('agreq.title')}</h2>
    <${Suggestion} tk=${tk} onChange=${onChange} />
    <dl class="ag-facts">
      <${Fact} label=${t('agreq.person')}>
        <strong>${rq.name}</strong><br /><span class="ag-email">${rq.email}</span>
        ${user && user.position && html`<br />${user.position}`}
        ${user && user.phone && html`<br />${user.phone}`}
        ${user && user.lang && html`<br />${t('agreq.lang', { lang: word('agreq.langname', user.lang) })}`}
      </${Fact}>
      <${Fact} label=${t('agreq.company')}>
        ${tk.company ? tk.company.name : t('agreq.no_company')}
        ${co && co.instances && co.instances.length > 0 && html`<br /><span class="ag-email">${co.instances.join(', ')}</span>`}
      </${Fact}>
      ${co && co.id && html`<${Licence} co=${co} email=${rq.email} />`}
      ${co && co.id && html`<${Contacts} co=${co} requester=${rq} contacts=${contacts} />`}
      <${Fact} label=${t('agreq.sla')}>
        <strong>${sla.name || word('sla.level', sla.level) || t('agreq.none')}</strong>
        ${sla.reason && html`<br />${t('agreq.sla_reason', { reason: sla.reason })}`}
      </${Fact}>
    </dl>
    <${Environment} tk=${tk} />
    <${OtherTickets} tk=${tk} />
  </section>`;
}
