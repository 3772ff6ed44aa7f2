// /agente/respuestas: the canned answers. Supervisors and admins create,
// edit and delete them; everyone on the team reads them, tries one on a
// ticket (the preview) and sees the placeholders a text may use.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { MacroForm, PLACEHOLDERS } from './macro-form.js';
import { MacroPreview } from './macro-preview.js';
import { macroEffect } from './macro-picker.js';

await loadStylesheet('/styles/agente.css');
await loadStrings('agente');
await loadStylesheet('/styles/macros.css');

const MANAGERS = ['supervisor', 'admin'];

function focusSoon(id) {
  setTimeout(() => { const el = document.getElementById(id); if (el) el.focus(); }, 0);
}

// The start of a text on one line, cut at a word.
function excerpt(body) {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length <= 140 ? flat : `${flat.slice(0, 140).replace(/\s\S*$/, '')}…`;
}

function Item({ m, manage, onEdit, onDelete, onPreview }) {
  const [asking, setAsking] = useState(false);
  const effect = macroEffect(m);
  const named = (key) => html`${t(key)}<span class="visually-hidden"> «${m.name}»</span>`;
  return html`<li class="macro-item">
    <h3 class="macro-item-name">${m.name} <span class="macro-lang">${t(`macro.lang.${m.lang}`)}</span></h3>
    ${effect && html`<p class="macro-item-effect">${t('macro.effect', { changes: effect })}</p>`}
    <details class="macro-item-text">
      <summary><span class="macro-item-start" lang=${m.lang}>${excerpt(m.body)}</span>
        <span class="macro-item-more">${t('macros.full_text')}</span></summary>
      <p class="macro-item-body" lang=${m.lang}>${m.body}</p>
    </details>
    <div class="macro-item-actions">
      <button type="button" class="button button-secondary" onClick=${() => onPreview(m)}>${named('macros.preview')}</button>
      ${manage && html`<button type="button" class="button button-secondary" onClick=${() => onEdit(m)}>${named('macros.edit')}</button>`}
      ${manage && !asking && html`<button type="button" class="button button-secondary" onClick=${() => setAsking(true)}>${named('macros.delete')}</button>`}
    </div>
    ${asking && html`<div class="notice notice-error macro-confirm" role="alert">
      <p>${t('macros.delete_confirm', { name: m.name })}</p>
      <p class="macro-item-actions">
        <button type="button" class="button button-warning" onClick=${() => onDelete(m)}>${t('macros.delete_yes')}</button>
        <button type="button" class="button button-secondary" onClick=${() => setAsking(false)}>${t('macros.cancel')}</button>
      </p>
    </div>`}
  </li>`;
}

function Placeholders() {
  return html`<section aria-labelledby="marcadores-title">
    <h2 id="marcadores-title">${t('macros.placeholders')}</h2>
    <table class="macro-placeholders">
      <thead><tr><th scope="col">${t('macros.ph.es')}</th><th scope="col">${t('macros.ph.en')}</th><th scope="col">${t('macros.ph.value')}</th></tr></thead>
      <tbody>${PLACEHOLDERS.map(([es, en]) => html`<tr><td><code>{${es}}</code></td><td><code>{${en}}</code></td><td>${t(`macros.ph.${es}`)}</td></tr>`)}</tbody>
    </table>
    <p>${t('macros.ph.unknown')}</p>
  </section>`;
}

export default function MacrosPage() {
  const { user } = useSession();
  const manage = !!user && MANAGERS.includes(user.role);
  const [q, setQ] = useState('');
  const [list, setList] = useState(null);
  const [all, setAll] = useState([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [editing, setEditing] = useState(null); // null, 'new' or a macro
  const [chosen, setChosen] = useState('');
  const [tick, setTick] = useState(0);

  useEffect(() => api.get(`/macros${q.trim() ? `?q=${encodeURIComponent(q.trim())}` : ''}`,
    (out) => { setList(out.macros); setError(''); }, (e) => setError(errorMessage(e))), [q, tick]);
  useEffect(() => api.get('/macros', (out) => setAll(out.macros), () => {}), [tick]);

  const edit = (m) => { setEditing(m); setNotice(''); focusSoon('m-nombre'); };
  const saved = (m) => {
    setEditing(null);
    setNotice(t('macros.saved', { name: m.name }));
    setChosen(String(m.id));
    setTick((n) => n + 1);
    focusSoon('macros-notice');
  };
  const remove = async (m) => {
    try {
      await api.del(`/macros/${m.id}`);
      setNotice(t('macros.deleted', { name: m.name }));
      setTick((n) => n + 1);
      focusSoon('macros-notice');
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const preview = (m) => { setChosen(String(m.id)); focusSoon('vista-ticket'); };

  return html`<${Page} title=${t('macros.title')} lead=${t('macros.lead')} wide>
    <p class="ag-top"><a href="/agente">${t('agticket.back')}</a></p>
    <p id="macros-notice" tabindex="-1" role="status" class=${notice ? 'notice notice-success' : 'visually-hidden'}>${notice}</p>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${!manage && html`<p class="notice">${t('macros.only_managers')}</p>`}
    <div class="macros-layout"><div class="macros-main">
    ${manage && !editing && html`<p><button type="button" class="button" onClick=${() => edit('new')}>${t('macros.new')}</button></p>`}
    ${manage && editing && html`<${MacroForm} key=${editing === 'new' ? 'new' : editing.id} macro=${editing === 'new' ? null : editing}
      onSaved=${saved} onCancel=${() => setEditing(null)} />`}
    <section aria-labelledby="macros-list-title">
      <h2 id="macros-list-title">${t('macros.list_title', { n: all.length })}</h2>
      <${Field} id="macros-buscar" type="search" label=${t('macros.search')} hint=${t('macros.search_hint')} width="medium"
        value=${q} onInput=${setQ} />
      ${list && !list.length && html`<p class="empty">${t('macros.none')}</p>`}
      ${list && list.length > 0 && html`<ul class="macro-items">
        ${list.map((m) => html`<${Item} key=${m.id} m=${m} manage=${manage} onEdit=${edit} onDelete=${remove} onPreview=${preview} />`)}
      </ul>`}
    </section>
    </div><div class="macros-side">
    ${all.length > 0 && html`<${MacroPreview} macros=${all} chosen=${chosen} setChosen=${setChosen} />`}
    <${Placeholders} />
    </div></div>
  </${Page}>`;
}
