// /admin/personas?q=&rol=&pagina=: every account, searched by name or
// address and filtered by role, 25 a page, each a link to its page.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { SearchForm, Pager, PER_PAGE, pageOf } from './people-list.js';
import { ListTable } from './list-table.js';

export const ROLES = ['customer', 'agent', 'supervisor', 'admin'];

// An account's state in words: disabled, or not yet verified.
export function stateTag(u) {
  if (u.disabled) return html`<span class="adm-tag adm-tag-off">${t('adm.people.disabled')}</span>`;
  return t('adm.people.active');
}

export default function People({ query }) {
  const { user } = useSession();
  const f = useFormat();
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const q = query.get('q') || '';
  const rol = ROLES.includes(query.get('rol')) ? query.get('rol') : '';
  const empresa = /^\d+$/.test(query.get('empresa') || '') ? query.get('empresa') : '';
  const page = pageOf(query);
  const params = new URLSearchParams({ limit: String(PER_PAGE), offset: String((page - 1) * PER_PAGE) });
  if (q.trim()) params.set('q', q.trim());
  if (rol) params.set('role', rol);
  if (empresa) params.set('company', empresa);
  const key = params.toString();
  useEffect(() => (canAdmin(user) ? api.get(`/users?${key}`, (out) => { setList(out); setError(''); },
    (e) => setError(errorMessage(e))) : undefined), [key]);

  if (!canAdmin(user)) return html`<${Page} title=${t('adm.people.title')}><${Forbidden} /></${Page}>`;
  const roleOptions = [{ value: '', label: t('adm.people.any_role') }, ...ROLES.map((r) => ({ value: r, label: t(`adm.people.role.${r}`) }))];
  return html`<${Page} title=${t('adm.people.title')} lead=${t('adm.people.lead')} wide>
    <${AdminNav} user=${user} />
    <${SearchForm} base="/admin/personas" query=${query} label=${t('adm.people.search_label')} fields=${[
      { id: 'per-buscar', key: 'q', label: t('adm.people.search'), hint: t('adm.people.search_hint') },
      { id: 'per-rol', key: 'rol', label: t('adm.people.role'), as: 'select', options: roleOptions },
    ]} />
    ${empresa && html`<p>${t('adm.people.of_company')} <a href=${`/admin/empresas/${empresa}`}>${t('adm.people.see_company')}</a>
      · <a href="/admin/personas">${t('adm.people.everyone')}</a></p>`}
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p role="status" class="adm-count">${list ? tn('adm.people.count', list.total, { n: f.number(list.total) }) : ''}</p>
    ${list && list.users.length > 0 && html`<${ListTable} caption=${t('adm.people.title')}
      cols=${[t('adm.people.col.name'), t('adm.people.col.email'), t('adm.people.role'), t('adm.people.col.company'), t('adm.people.col.state')]}
      rows=${list.users.map((u) => ({
        key: u.id,
        head: html`<a href=${`/admin/personas/${u.id}`}>${u.name}</a>`,
        cells: [u.email, t(`adm.people.role.${u.role}`),
          u.company_id ? html`<a href=${`/admin/empresas/${u.company_id}`}>${u.company_name}</a>` : '—', stateTag(u)],
      }))} />`}
    ${list && html`<${Pager} base="/admin/personas" query=${query} total=${list.total} />`}
  </${Page}>`;
}
