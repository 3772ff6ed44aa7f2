// /admin/kb: the help centre's categories (issue 12, item 8), for
// supervisors and admins: create one, rename it in Spanish and English,
// move it up or down the order the public pages show, delete an empty one
// (one with articles says how many, and stays). It also says who may
// publish: the API refuses an agent anything but drafts.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { AdminNav, Forbidden, mayOpen, PAGES } from './common.js';
import { CategoryRow } from './kb-category-row.js';
import { loadStylesheet } from '../ui/stylesheet.js';

await loadStylesheet('/styles/kb-admin.css');

const KB_PAGE = PAGES.find(([href]) => href === '/admin/kb');

// Focus the control called id once it is drawn again (a moved row's
// button; its neighbour when it is now disabled, at the top or bottom).
function refocus(id) {
  const el = id && document.getElementById(id);
  if (!el) return;
  const other = id.endsWith('-up') ? id.replace(/-up$/, '-down') : id.replace(/-down$/, '-up');
  (el.disabled ? document.getElementById(other) : el)?.focus();
}

// The form that adds a category at the end of the order.
function NewCategory({ onDone }) {
  const [es, setEs] = useState('');
  const [en, setEn] = useState('');
  const form = useForm({ name_es: 'cat-es', name_en: 'cat-en', slug: 'cat-es' });
  const send = () => form.submit(
    () => (es.trim() ? [] : [{ field: 'cat-es', message: t('adm.kb.need_es') }]),
    () => api.post('/kb/categories', { name_es: es.trim(), name_en: en.trim() }),
  ).then((out) => {
    if (!out) return;
    setEs('');
    setEn('');
    onDone(t('adm.kb.created', { name: out.name_es }));
  });
  return html`<section aria-labelledby="cat-new" class="adm-kb-new">
    <h2 id="cat-new">${t('adm.kb.new')}</h2>
    <${Form} form=${form} onSubmit=${send} submit=${t('adm.kb.create')}>
      <${Field} id="cat-es" label=${t('adm.kb.name_es')} value=${es} onInput=${setEs} error=${form.fieldError('cat-es')} maxlength="80" />
      <${Field} id="cat-en" label=${t('adm.kb.name_en')} hint=${t('adm.kb.name_en_hint')} value=${en} onInput=${setEn} error=${form.fieldError('cat-en')} maxlength="80" />
    </${Form}>
  </section>`;
}

export default function KbCategories() {
  const { user } = useSession();
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const [tick, setTick] = useState(0);
  const [focus, setFocus] = useState('');
  const allowed = mayOpen(user, KB_PAGE);
  useEffect(() => (allowed ? api.get('/kb/categories', (out) => setList(out.categories), (e) => setError(errorMessage(e))) : undefined), [tick, allowed]);
  useEffect(() => refocus(focus), [list]);
  if (!allowed) return html`<${Page} title=${t('adm.kb.title')}><${Forbidden} who="adm.forbidden.managers" /></${Page}>`;
  const done = (msg, focusId) => {
    setError('');
    setStatus(msg);
    setFocus(focusId || '');
    setTick((n) => n + 1);
  };
  const fail = (msg) => {
    setStatus('');
    setError(msg);
  };
  return html`<${Page} title=${t('adm.kb.title')} lead=${t('adm.kb.lead')} wide>
    <${AdminNav} user=${user} />
    <div class="notice"><h2 class="adm-kb-who">${t('adm.kb.who_title')}</h2><p>${t('adm.kb.who')}</p>
      <p><a href="/agente/kb">${t('adm.kb.articles')}</a> · <a href="/kb">${t('adm.kb.public')}</a></p></div>
    <div class="adm-split adm-kb-split">
      <section aria-labelledby="cat-list">
        <h2 id="cat-list" tabindex="-1">${t('adm.kb.list')}</h2>
        <p role="status" class="adm-kb-status">${status}</p>
        ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
        ${list && !list.length && html`<p>${t('adm.kb.none')}</p>`}
        ${list && list.length > 0 && html`<div class="table-wrap"><table class="kb-table adm-kb-table">
          <caption class="visually-hidden">${t('adm.kb.list')}</caption>
          <thead><tr><th scope="col">${t('adm.kb.col.order')}</th><th scope="col">${t('adm.kb.col.name')}</th>
            <th scope="col">${t('adm.kb.col.count')}</th><th scope="col">${t('adm.kb.col.actions')}</th></tr></thead>
          <tbody>${list.map((c, i) => html`<${CategoryRow} key=${c.id} cat=${c} first=${i === 0} last=${i === list.length - 1}
            onDone=${done} onFail=${fail} />`)}</tbody>
        </table></div>`}
      </section>
      <${NewCategory} onDone=${done} />
    </div>
  </${Page}>`;
}
