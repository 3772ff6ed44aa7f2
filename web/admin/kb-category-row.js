// One category of /admin/kb (kb-categories.js): its place, its names, its
// articles, and the buttons that move, rename and delete it. Renaming and
// deleting open in the row itself (deleting asks once more); a category
// with articles is not deleted, and the page says how many it has.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { Field } from '../ui/field.js';

const notEmpty = (name, n) => tn('adm.kb.not_empty', n, { name, n });

// props: cat {id, slug, name_es, name_en, count, position}, first, last,
// onDone(message, focusId) after a change, onFail(message).
export function CategoryRow({ cat, first, last, onDone, onFail }) {
  const [mode, setMode] = useState('view');
  const [es, setEs] = useState(cat.name_es);
  const [en, setEn] = useState(cat.name_en);
  const [err, setErr] = useState('');
  const [busy, setBusy] = useState(false);
  const name = cat.name_es;
  const id = `cat-${cat.id}`;
  useEffect(() => { if (mode !== 'view') document.getElementById(mode === 'edit' ? `${id}-es` : `${id}-yes`)?.focus(); }, [mode]);
  const run = async (call, msg, focusId) => {
    setBusy(true);
    try {
      await call();
      setMode('view');
      onDone(msg, focusId);
    } catch (e) {
      if (e.status === 422 && mode === 'edit') setErr(errorMessage(e));
      else if (e.status === 409) onFail(cat.count ? notEmpty(name, cat.count) : e.serverMessage);
      else onFail(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const move = (to, dir) => run(() => api.patch(`/kb/categories/${cat.id}`, { position: to }),
    t('adm.kb.moved', { name, n: to }), `${id}-${dir}`);
  const save = () => {
    if (!es.trim()) { setErr(t('adm.kb.need_es')); return; }
    run(() => api.patch(`/kb/categories/${cat.id}`, { name_es: es.trim(), name_en: en.trim() }),
      t('adm.kb.renamed', { name: es.trim() }), `${id}-rename`);
  };
  const remove = () => {
    run(() => api.del(`/kb/categories/${cat.id}`), t('adm.kb.deleted', { name }), 'cat-list');
  };
  const head = html`<td>${cat.position}</td>`;
  if (mode === 'edit') {
    return html`<tr class="adm-kb-editing">${head}<td colspan="3">
      <form novalidate onSubmit=${(e) => { e.preventDefault(); save(); }} aria-label=${t('adm.kb.rename_of', { name })}>
        <${Field} id=${`${id}-es`} label=${t('adm.kb.name_es')} value=${es} onInput=${(v) => { setEs(v); setErr(''); }} error=${err} maxlength="80" />
        <${Field} id=${`${id}-en`} label=${t('adm.kb.name_en')} value=${en} onInput=${setEn} maxlength="80" />
        <div class="actions">
          <button type="submit" class="button" disabled=${busy}>${t('adm.kb.save')}</button>
          <button type="button" class="button button-secondary" onClick=${() => { setMode('view'); setEs(cat.name_es); setEn(cat.name_en); setErr(''); }}>${t('adm.kb.cancel')}</button>
        </div>
      </form>
    </td></tr>`;
  }
  return html`<tr>
    ${head}
    <th scope="row">${name}${cat.name_en && html`<br /><span class="adm-kb-en" lang="en">${cat.name_en}</span>`}
      <br /><a class="adm-kb-slug" href=${`/kb/buscar?categoria=${encodeURIComponent(cat.slug)}`}>${t('adm.kb.view')}<span class="visually-hidden"> ${name}</span></a></th>
    <td data-label=${t('adm.kb.col.count')}>${cat.count}</td>
    <td><div class="adm-kb-actions">
      ${mode === 'delete'
        ? html`<p class="adm-kb-confirm">${t('adm.kb.confirm', { name })}</p>
          <button type="button" class="button button-warning" id=${`${id}-yes`} disabled=${busy} onClick=${remove}>${t('adm.kb.delete_yes')}</button>
          <button type="button" class="button button-secondary" onClick=${() => setMode('view')}>${t('adm.kb.cancel')}</button>`
        : html`<button type="button" class="button button-secondary" id=${`${id}-up`} disabled=${first || busy}
            onClick=${() => move(cat.position - 1, 'up')}>${t('adm.kb.up')}<span class="visually-hidden"> ${name}</span></button>
          <button type="button" class="button button-secondary" id=${`${id}-down`} disabled=${last || busy}
            onClick=${() => move(cat.position + 1, 'down')}>${t('adm.kb.down')}<span class="visually-hidden"> ${name}</span></button>
          <button type="button" class="button button-secondary" id=${`${id}-rename`} onClick=${() => setMode('edit')}>${t('adm.kb.rename')}<span class="visually-hidden"> ${name}</span></button>
          <button type="button" class="button button-secondary" onClick=${() => (cat.count > 0 ? onFail(notEmpty(name, cat.count)) : setMode('delete'))}>${t('adm.kb.delete')}<span class="visually-hidden"> ${name}</span></button>`}
    </div></td>
  </tr>`;
}
