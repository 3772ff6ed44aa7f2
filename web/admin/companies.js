// /admin/empresas?q=&pagina=: the customers' companies, searched by name,
// domain or licence address, 25 a page, each with its licence and how many
// of its support contacts it has used; and the form that adds one.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { navigate } from '../router.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { SearchForm, Pager, PER_PAGE, pageOf } from './people-list.js';
import { ListTable } from './list-table.js';

// "Cloud · Professional", or "Sin licencia".
export function licenceText(c) {
  const l = c.license || {};
  if (!l.product && !l.plan) return t('adm.co.no_licence');
  return [l.product && t(`adm.co.product.${l.product}`), l.plan && t(`adm.co.plan.${l.plan}`)].filter(Boolean).join(' · ');
}

// "2 de 3", marked when the cap is reached.
export function contactsTag(c) {
  const text = t('adm.co.contacts_of', { n: c.contacts, max: c.max_contacts });
  return c.contacts >= c.max_contacts ? html`<span class="adm-tag adm-tag-full">${text}</span>` : text;
}

function NewCompany() {
  const [name, setName] = useState('');
  const form = useForm({ name: 'emp-nueva' });
  const check = () => (name.trim() ? [] : [{ field: 'emp-nueva', message: t('adm.co.check_name') }]);
  const onSubmit = async () => {
    const out = await form.submit(check, () => api.post('/companies', { name: name.trim() }));
    if (out) navigate(`/admin/empresas/${out.id}?nueva=1`);
  };
  return html`<section class="adm-section" aria-labelledby="emp-nueva-titulo">
    <h2 id="emp-nueva-titulo">${t('adm.co.new')}</h2>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('adm.co.create')}>
      <${Field} id="emp-nueva" width="medium" label=${t('adm.co.f.name')} hint=${t('adm.co.new_hint')} value=${name}
        onInput=${setName} error=${form.fieldError('emp-nueva')} maxlength="200" />
    </${Form}>
  </section>`;
}

export default function Companies({ query }) {
  const { user } = useSession();
  const f = useFormat();
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const q = (query.get('q') || '').trim();
  const page = pageOf(query);
  const params = new URLSearchParams({ limit: String(PER_PAGE), offset: String((page - 1) * PER_PAGE) });
  if (q) params.set('q', q);
  const key = params.toString();
  useEffect(() => (canAdmin(user) ? api.get(`/companies?${key}`, (out) => { setList(out); setError(''); },
    (e) => setError(errorMessage(e))) : undefined), [key]);

  if (!canAdmin(user)) return html`<${Page} title=${t('adm.co.title')}><${Forbidden} /></${Page}>`;
  return html`<${Page} title=${t('adm.co.title')} lead=${t('adm.co.lead')} wide>
    <${AdminNav} user=${user} />
    <${SearchForm} base="/admin/empresas" query=${query} label=${t('adm.co.search_label')} fields=${[
      { id: 'emp-buscar', key: 'q', label: t('adm.co.search'), hint: t('adm.co.search_hint') },
    ]} />
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p role="status" class="adm-count">${list ? tn('adm.co.count', list.total, { n: f.number(list.total) }) : ''}</p>
    ${list && list.companies.length > 0 && html`<${ListTable} caption=${t('adm.co.title')}
      cols=${[t('adm.co.col.name'), t('adm.co.col.licence'), t('adm.co.col.status'), t('adm.co.col.partner'), t('adm.co.col.contacts')]}
      rows=${list.companies.map((c) => ({
        key: c.id,
        head: html`<a href=${`/admin/empresas/${c.id}`}>${c.name}</a>`,
        cells: [licenceText(c), c.license.status ? t(`adm.co.status.${c.license.status}`) : '—',
          c.partner.tier ? t(`adm.co.tier.${c.partner.tier}`) : '—', contactsTag(c)],
      }))} />`}
    ${list && html`<${Pager} base="/admin/empresas" query=${query} total=${list.total} />`}
    <${NewCompany} />
  </${Page}>`;
}
