// /agente/kb: the knowledge base for the team (issue 12): every article
// with its state, category, languages, readers and "¿Le sirvió?"; the state
// filter in the address (?estado=). Why here and not under /kb: /kb/... are
// the public pages the server renders; the editor is a page of the agent
// console, with its session, its keys and its layout.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { navigate } from '../router.js';
import { Page } from '../ui/page.js';
import { Time } from '../ui/time.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { useSession } from '../context.js';
import { KbReport } from './kb-report.js';

await Promise.all([loadStrings('kb'), loadStylesheet('/styles/agente.css'), loadStylesheet('/styles/kb-admin.css')]);

const STATES = ['', 'draft', 'published', 'internal'];

export default function KbList({ query }) {
  const state = STATES.includes(query.get('estado')) ? query.get('estado') : '';
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const { user } = useSession();
  useEffect(() => api.get(`/kb/articles?limit=500${state ? `&state=${state}` : ''}`, (out) => setList(out.articles),
    (e) => setError(errorMessage(e))), [state]);
  const pick = (v) => navigate(v ? `/agente/kb?estado=${v}` : '/agente/kb', { replace: true });
  return html`<${Page} title=${t('kbe.list_title')} wide>
    <p class="actions"><a class="button" href="/agente/kb/nuevo">${t('kbe.new')}</a>
      <a href="/kb">${t('kbe.public')}</a>
      ${user && ['supervisor', 'admin'].includes(user.role) && html`<a href="/admin/kb">${t('kbe.categories')}</a>`}</p>
    <div class="field kb-filter">
      <label for="kb-estado">${t('kbe.state')}</label>
      <select id="kb-estado" class="control control-medium" value=${state} onChange=${(e) => pick(e.currentTarget.value)}>
        ${STATES.map((s) => html`<option value=${s} selected=${s === state}>${t(s ? `kbe.state.${s}` : 'kbe.state_all')}</option>`)}
      </select>
    </div>
    ${error && html`<p class="error-message">${error}</p>`}
    ${list && html`<div class="table-wrap"><table class="kb-table">
      <caption class="visually-hidden">${t('kbe.list_title')}</caption>
      <thead><tr><th scope="col">${t('kbe.col.title')}</th><th scope="col">${t('kbe.state')}</th>
        <th scope="col">${t('kbe.col.category')}</th><th scope="col">${t('kbe.col.langs')}</th>
        <th scope="col">${t('kbe.col.views')}</th><th scope="col">${t('kbe.col.helpful')}</th>
        <th scope="col">${t('kbe.col.updated')}</th></tr></thead>
      <tbody>${list.map((a) => html`<tr key=${a.id}>
        <th scope="row"><a href=${`/agente/kb/${a.id}`}>${a.title}</a></th>
        <td><span class=${`kb-state kb-state-${a.state}`}>${t(`kbe.state.${a.state}`)}</span></td>
        <td>${a.category ? a.category.name : '—'}</td>
        <td>${a.langs.join(', ')}</td>
        <td>${a.views}</td>
        <td>${t('kbe.helpful_counts', { yes: a.helpful.yes, no: a.helpful.no })}</td>
        <td><${Time} iso=${a.updated_at} /></td>
      </tr>`)}</tbody>
    </table></div>`}
    ${list && !list.length && html`<p>${t('kbe.empty')}</p>`}
    ${user && ['supervisor', 'admin'].includes(user.role) && html`<${KbReport} />`}
  </${Page}>`;
}
