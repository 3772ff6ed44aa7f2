// /admin/auditoria: every administrative change, newest first, with who,
// when, what and before/after field by field; filtered by who did it
// (?actor=ID), the kind of object (?tipo=), the object (?objeto=: its
// number or name) and a period (?desde=&hasta=, days), 50 a page
// (?antes=ID). Every filter is in the address.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { navigate } from '../router.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { AuditEntry, typeName } from './audit-entry.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const KEYS = [['actor', 'actor'], ['tipo', 'type'], ['objeto', 'object'], ['desde', 'from'], ['hasta', 'to'], ['antes', 'before']];

function filterOf(query) {
  const p = {};
  for (const [k] of KEYS) p[k] = query.get(k) || '';
  if (!/^\d+$/.test(p.actor)) p.actor = '';
  if (!/^\d+$/.test(p.antes)) p.antes = '';
  if (!DAY.test(p.desde)) p.desde = '';
  if (!DAY.test(p.hasta)) p.hasta = '';
  return p;
}

const hrefOf = (p, change = {}) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...p, antes: '', ...change })) if (v) q.set(k, v);
  return `/admin/auditoria${q.size ? `?${q}` : ''}`;
};

function Filters({ p, types, people }) {
  const [obj, setObj] = useState(p.objeto);
  useEffect(() => setObj(p.objeto), [p.objeto]);
  const go = (change) => navigate(hrefOf(p, change), { replace: true });
  return html`<form class="adm-filters" role="search" aria-label=${t('adm.audit.filters')}
      onSubmit=${(e) => { e.preventDefault(); go({ objeto: obj.trim() }); }}>
    <div class="filters">
      <${Field} id="au-actor" as="select" label=${t('adm.audit.actor')} value=${p.actor} width="medium"
        options=${[{ value: '', label: t('adm.audit.anyone') }, ...people.map((u) => ({ value: String(u.id), label: u.name }))]}
        onInput=${(v) => go({ actor: v })} />
      <${Field} id="au-tipo" as="select" label=${t('adm.audit.type')} value=${p.tipo} width="medium"
        options=${[{ value: '', label: t('adm.audit.any_type') }, ...types.map((x) => ({ value: x, label: typeName(x) }))]}
        onInput=${(v) => go({ tipo: v })} />
      <${Field} id="au-desde" type="date" label=${t('adm.audit.from')} value=${p.desde} width="short" onInput=${(v) => go({ desde: v })} />
      <${Field} id="au-hasta" type="date" label=${t('adm.audit.to')} value=${p.hasta} width="short" onInput=${(v) => go({ hasta: v })} />
      <${Field} id="au-objeto" label=${t('adm.audit.object')} hint=${t('adm.audit.object_hint')} value=${obj} width="medium" onInput=${setObj} />
    </div>
    <div class="actions">
      <button type="submit" class="button button-secondary">${t('adm.audit.apply')}</button>
      <a href="/admin/auditoria">${t('adm.audit.clear')}</a>
    </div>
  </form>`;
}

export default function Audit({ query }) {
  const { user } = useSession();
  const p = filterOf(query);
  const [list, setList] = useState(null);
  const [people, setPeople] = useState([]);
  const [error, setError] = useState('');
  const allowed = canAdmin(user);
  const apiQuery = new URLSearchParams({ limit: '50' });
  for (const [k, a] of KEYS) if (p[k]) apiQuery.set(a, p[k]);
  useEffect(() => (allowed ? api.get(`/audit?${apiQuery}`, (l) => { setList(l); setError(''); }, (e) => setError(errorMessage(e))) : undefined),
    [allowed, String(apiQuery)]);
  useEffect(() => (allowed ? api.get('/users?limit=1000', (o) => setPeople((o.users || []).filter((u) => u.role !== 'customer')), () => {}) : undefined), [allowed]);
  if (!allowed) return html`<${Page} title=${t('adm.audit.title')}><${Forbidden} /></${Page}>`;
  return html`<${Page} title=${t('adm.audit.title')} lead=${t('adm.audit.lead')} wide>
    <${AdminNav} user=${user} />
    <${Filters} p=${p} types=${list ? list.types : []} people=${people} />
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${!list && !error && html`<div class="placeholder placeholder-status"></div>`}
    ${list && html`<p role="status">${list.events.length ? tn('adm.audit.shown', list.events.length, { n: list.events.length }) : t('adm.audit.none')}</p>`}
    ${list && list.events.length > 0 && html`<ol class="adm-events" aria-label=${t('adm.audit.list')}>
      ${list.events.map((e) => html`<${AuditEntry} key=${e.id} e=${e} />`)}
    </ol>`}
    <p class="adm-pages">
      ${p.antes && html`<a href=${hrefOf(p)}>${t('adm.audit.newest')}</a> `}
      ${list && list.next && html`<a href=${hrefOf(p, { antes: String(list.next) })}>${t('adm.audit.older')}</a>`}
    </p>
  </${Page}>`;
}
