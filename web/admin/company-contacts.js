// A company's support contacts on /admin/empresas/N (policy 2.3.5-6: its
// people endorsed to open tickets for it, up to the maximum agreed in the
// sale): the list with "Retirar aval", and the form that endorses one of
// its people; over the cap the API refuses (409) and we say which cap.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage, ApiError } from '../api.js';
import { useFormat } from '../format.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { ListTable } from './list-table.js';

const PICK = 'con-persona';

// c: the company; contacts: its endorsed people; people: all its users;
// onChanged(text): reload, and say what happened (text: a function, so
// that it follows a change of language).
export function CompanyContacts({ c, contacts, people, onChanged, say }) {
  const f = useFormat();
  const [pick, setPick] = useState('');
  const form = useForm({ user_id: PICK });
  const endorsed = new Set(contacts.map((x) => x.id));
  const candidates = people.filter((p) => p.role === 'customer' && !endorsed.has(p.id) && !p.disabled);

  const onSubmit = async () => {
    if (!pick) { form.setErrors([{ field: PICK, message: t('adm.co.check_pick') }]); return; }
    const who = candidates.find((p) => String(p.id) === pick);
    try {
      await api.post(`/companies/${c.id}/contacts`, { user_id: Number(pick) });
      form.setErrors([]);
      setPick('');
      onChanged(() => t('adm.co.endorsed', { name: who ? who.name : '' }));
    } catch (e) {
      say(null);
      const cap = e instanceof ApiError && e.status === 409 && e.field === 'max_contacts';
      form.setErrors([{ field: PICK, message: cap ? tn('adm.co.cap_full', c.max_contacts, { company: c.name, max: c.max_contacts }) : errorMessage(e) }]);
    }
  };
  const withdraw = async (x) => {
    try {
      await api.del(`/companies/${c.id}/contacts/${x.id}`);
      onChanged(() => t('adm.co.withdrawn', { name: x.name }));
    } catch (e) {
      say(errorMessage(e), 'error');
    }
  };

  return html`<section class="adm-section" aria-labelledby="con-titulo">
    <h2 id="con-titulo">${t('adm.co.contacts')}</h2>
    <p>${tn('adm.co.contacts_lead', c.max_contacts, { n: contacts.length, max: c.max_contacts })}</p>
    ${contacts.length > 0 && html`<${ListTable} caption=${t('adm.co.contacts')}
      cols=${[t('adm.people.col.name'), t('adm.people.col.email'), t('adm.co.col.position'), t('adm.co.col.endorsed'), t('adm.co.col.action')]}
      rows=${contacts.map((x) => ({ key: x.id, head: html`<a href=${`/admin/personas/${x.id}`}>${x.name}</a>`,
        cells: [x.email, x.position || '—', x.endorsed_at ? html`<time datetime=${x.endorsed_at}>${f.date(x.endorsed_at)}</time>` : '—',
          html`<button type="button" class="button button-secondary" onClick=${() => withdraw(x)}>
            ${t('adm.co.withdraw')}<span class="visually-hidden"> ${x.name}</span></button>`] }))} />`}
    <h3>${t('adm.co.endorse_title')}</h3>
    ${candidates.length ? html`<${Form} form=${form} onSubmit=${onSubmit} submit=${t('adm.co.endorse')}>
      <${Field} id=${PICK} as="select" label=${t('adm.co.pick')} hint=${t('adm.co.pick_hint')} value=${pick}
        onInput=${setPick} error=${form.fieldError(PICK)}
        options=${[{ value: '', label: t('adm.co.pick_none') }, ...candidates.map((p) => ({ value: String(p.id), label: `${p.name} (${p.email})` }))]} />
    </${Form}>` : html`<p class="hint">${t('adm.co.no_candidates')}</p>`}
  </section>`;
}
