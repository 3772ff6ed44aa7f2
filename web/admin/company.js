// /admin/empresas/N: one company. Its data (company-form.js) and its
// support contacts (company-contacts.js), with the people it has.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { useNotice } from './people-list.js';
import { licenceText, contactsTag } from './companies.js';
import { CompanyForm } from './company-form.js';
import { CompanyContacts } from './company-contacts.js';

export default function Company({ params, query }) {
  const { user } = useSession();
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const [notice, say] = useNotice('co-aviso');
  const id = params.id;
  useEffect(() => {
    if (!canAdmin(user)) return undefined;
    const ctl = new AbortController();
    const get = (path) => api.request('GET', path, undefined, { signal: ctl.signal });
    Promise.all([get(`/companies/${id}`), get(`/companies/${id}/contacts`), get(`/users?company=${id}&limit=1000`),
      get('/users?role=staff&limit=1000')])
      .then(([c, con, ppl, staff]) => { setData({ c, contacts: con.contacts, people: ppl.users, staff: staff.users }); setError(''); })
      .catch((e) => { if (e.name !== 'AbortError') setError(errorMessage(e)); });
    return () => ctl.abort();
  }, [id, tick]);
  useEffect(() => { if (query.get('nueva') === '1') say(() => t('adm.co.created')); }, [id]);

  if (!canAdmin(user)) return html`<${Page} title=${t('adm.co.title')}><${Forbidden} /></${Page}>`;
  const c = data && data.c;
  const changed = (text) => { say(text); setTick((n) => n + 1); };
  return html`<${Page} title=${c ? c.name : t('adm.co.title')} wide>
    <${AdminNav} user=${user} />
    <p><a href="/admin/empresas">${t('adm.co.back')}</a></p>
    ${notice}
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${c && html`<dl class="adm-facts">
        <div><dt>${t('adm.co.col.licence')}</dt><dd>${licenceText(c)}</dd></div>
        <div><dt>${t('adm.co.col.status')}</dt><dd>${c.license.status ? t(`adm.co.status.${c.license.status}`) : '—'}</dd></div>
        <div><dt>${t('adm.co.col.contacts')}</dt><dd>${contactsTag(c)}</dd></div>
        <div><dt>${t('adm.co.people')}</dt><dd>${data.people.length
          ? html`<a href=${`/admin/personas?empresa=${c.id}`}>${tn('adm.people.count', data.people.length, { n: data.people.length })}</a>` : '0'}</dd></div>
      </dl>
      <${CompanyContacts} c=${c} contacts=${data.contacts} people=${data.people} onChanged=${changed} say=${say} />
      <${CompanyForm} key=${`${c.id}-${tick}`} c=${c} staff=${data.staff} people=${data.people}
        onSaved=${() => changed(() => t('adm.co.saved'))} />`}
  </${Page}>`;
}
