// One SLA inclusion request on /admin/inclusion: what the requester gave
// (policy 2.3.4 commercial, 3.6.3 non-commercial), then two forms: approve
// into a company (endorsed as a support contact, their address registered
// with the licence), or reject with a reason, which is mailed to them.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage, ApiError } from '../api.js';
import { useFormat } from '../format.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';

function Check({ id, checked, onChange, label, hint }) {
  return html`<div class="adm-check">
    <input type="checkbox" id=${id} checked=${checked} aria-describedby=${hint ? `${id}-hint` : undefined}
      onChange=${(e) => onChange(e.currentTarget.checked)} />
    <label for=${id}>${label}${hint && html`<span class="hint" id=${`${id}-hint`}> ${hint}</span>`}</label>
  </div>`;
}

// A caught error as the form's one message; over a company's contact cap,
// the sentence that names the cap.
function failed(form, field, e, companies, id) {
  const cap = e instanceof ApiError && e.status === 409 && e.field === 'max_contacts';
  const co = companies.find((c) => String(c.id) === String(id));
  form.setErrors([{ field, message: cap && co ? tn('adm.co.cap_full', co.max_contacts, { company: co.name, max: co.max_contacts }) : errorMessage(e) }]);
}

function Approve({ r, companies, onDone }) {
  const n = r.number;
  const ids = { company: `inc-${n}-empresa`, contact: `inc-${n}-contacto`, email: `inc-${n}-licencia` };
  const [v, setV] = useState({ company: r.suggested_company ? String(r.suggested_company.id) : '', contact: true, email: r.kind === 'commercial' });
  const form = useForm({ company_id: ids.company });
  const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
  const onSubmit = async () => {
    if (!v.company) { form.setErrors([{ field: ids.company, message: t('adm.incl.check_company') }]); return; }
    try {
      await api.post(`/tickets/${n}/inclusion/approve`, { company_id: Number(v.company), contact: v.contact, license_email: v.email });
      const co = companies.find((c) => String(c.id) === v.company);
      onDone(() => t(v.contact ? 'adm.incl.approved_contact' : 'adm.incl.approved', { name: r.requester.name, company: co ? co.name : '', n }));
    } catch (e) {
      failed(form, ids.company, e, companies, v.company);
    }
  };
  return html`<section aria-labelledby=${`inc-${n}-aprobar`}>
    <h3 id=${`inc-${n}-aprobar`}>${t('adm.incl.approve_title')}</h3>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('adm.incl.approve')}>
      <${Field} id=${ids.company} as="select" label=${t('adm.incl.company')} hint=${t('adm.incl.company_hint')} value=${v.company}
        onInput=${set('company')} error=${form.fieldError(ids.company)}
        options=${[{ value: '', label: t('adm.incl.company_none') }, ...companies.map((c) => ({ value: String(c.id), label: c.name }))]} />
      <${Check} id=${ids.contact} checked=${v.contact} onChange=${set('contact')} label=${t('adm.incl.contact')} />
      <${Check} id=${ids.email} checked=${v.email} onChange=${set('email')} label=${t('adm.incl.licence_email', { email: r.requester.email })}
        hint=${t('adm.incl.licence_email_hint')} />
    </${Form}>
  </section>`;
}

function Reject({ r, onDone }) {
  const n = r.number;
  const id = `inc-${n}-motivo`;
  const [reason, setReason] = useState('');
  const form = useForm({ reason: id });
  const check = () => (reason.trim() ? [] : [{ field: id, message: t('adm.incl.check_reason') }]);
  const onSubmit = async () => {
    const out = await form.submit(check, () => api.post(`/tickets/${n}/inclusion/reject`, { reason: reason.trim() }));
    if (out) onDone(() => t('adm.incl.rejected', { name: r.requester.name, n }));
  };
  return html`<section class="adm-reject" aria-labelledby=${`inc-${n}-rechazar`}>
    <h3 id=${`inc-${n}-rechazar`}>${t('adm.incl.reject_title')}</h3>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('adm.incl.reject')}>
      <${Field} id=${id} as="textarea" rows="4" label=${t('adm.incl.reason')} hint=${t('adm.incl.reason_hint', { email: r.requester.email })}
        value=${reason} onInput=${setReason} error=${form.fieldError(id)} maxlength="2000" />
    </${Form}>
  </section>`;
}

export function InclusionItem({ r, companies, onDone }) {
  const f = useFormat();
  const row = (k, v) => v && html`<div><dt>${t(k)}</dt><dd>${v}</dd></div>`;
  return html`<li class="adm-request">
    <h2><a href=${`/agente/tickets/${r.number}`}>Ticket#${r.number}</a> · ${r.company_name}</h2>
    <p>${t(`adm.incl.kind.${r.kind}`)} · ${t('adm.incl.asked', { when: f.dateTime(r.created_at) })}</p>
    <dl class="adm-facts">
      ${row('adm.incl.requester', html`<a href=${`/admin/personas/${r.requester.id}`}>${r.requester.name}</a> (${r.requester.email})`)}
      ${row('adm.incl.full_name', r.full_name)}
      ${row('adm.incl.position', r.position)}
      ${row('adm.incl.company_name', r.company_name)}
      ${row('adm.incl.consultant', r.consultant)}
      ${row('adm.incl.contact_data', r.contact_data)}
      ${row('adm.incl.instance', r.instance)}
      ${row('adm.incl.in_company', r.requester.company && r.requester.company.name)}
    </dl>
    <div class="adm-request-forms">
      <${Approve} r=${r} companies=${companies} onDone=${onDone} />
      <${Reject} r=${r} onDone=${onDone} />
    </div>
  </li>`;
}
