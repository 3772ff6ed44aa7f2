// The form of a canned answer on /agente/respuestas: name, language, text
// (its placeholders listed under it), and the status and category it sets
// once sent. POST /macros for a new one, PATCH /macros/ID for one edited.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { STATUSES, CATEGORIES } from './codes.js';

// [Spanish, English] names of every placeholder (docs/api-agent.md 6).
export const PLACEHOLDERS = [
  ['cliente', 'customer'], ['empresa', 'company'], ['ticket', 'ticket'], ['asunto', 'subject'],
  ['nivel', 'level'], ['vencimiento', 'due'], ['agente', 'agent'],
];
const FIELDS = { name: 'm-nombre', lang: 'm-idioma', body: 'm-texto', status: 'm-estado', category: 'm-categoria' };

// macro: the one to edit, or null for a new one; onSaved(macro); onCancel().
export function MacroForm({ macro, onSaved, onCancel }) {
  const [v, setV] = useState({
    name: macro ? macro.name : '', lang: macro ? macro.lang : 'es', body: macro ? macro.body : '',
    status: macro && macro.status ? macro.status : '', category: macro && macro.category ? macro.category : '',
  });
  const form = useForm(FIELDS);
  const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
  const none = { value: '', label: t('macros.f.no_change') };

  const check = () => [
    !v.name.trim() && { field: FIELDS.name, message: t('macros.check.name') },
    !v.body.trim() && { field: FIELDS.body, message: t('macros.check.body') },
  ].filter(Boolean);
  const onSubmit = async () => {
    const req = { name: v.name.trim(), lang: v.lang, body: v.body, status: v.status || null, category: v.category || null };
    const out = await form.submit(check, () => (macro ? api.patch(`/macros/${macro.id}`, req) : api.post('/macros', req)));
    if (out) onSaved(out);
  };

  const title = macro ? t('macros.edit_title', { name: macro.name }) : t('macros.new_title');
  return html`<section class="macro-edit" aria-labelledby="macro-edit-title">
    <h2 id="macro-edit-title">${title}</h2>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('macros.save')}
      secondary=${html`<button type="button" class="button button-secondary" onClick=${onCancel}>${t('macros.cancel')}</button>`}>
      <${Field} id=${FIELDS.name} label=${t('macros.f.name')} hint=${t('macros.f.name_hint')} value=${v.name}
        onInput=${set('name')} error=${form.fieldError(FIELDS.name)} maxlength="100" />
      <${Field} id=${FIELDS.lang} as="select" width="medium" label=${t('macros.f.lang')} value=${v.lang} onInput=${set('lang')}
        error=${form.fieldError(FIELDS.lang)} options=${['es', 'en'].map((l) => ({ value: l, label: t(`macro.lang.${l}`) }))} />
      <${Field} id=${FIELDS.body} as="textarea" rows="10" label=${t('macros.f.body')}
        hint=${`${t('macros.f.body_hint')} ${PLACEHOLDERS.map(([es, en]) => `{${es}} ({${en}})`).join(', ')}`}
        value=${v.body} onInput=${set('body')} error=${form.fieldError(FIELDS.body)} />
      <${Field} id=${FIELDS.status} as="select" width="medium" label=${t('macros.f.status')} hint=${t('macros.f.status_hint')}
        value=${v.status} onInput=${set('status')} error=${form.fieldError(FIELDS.status)}
        options=${[none, ...STATUSES.filter((s) => s !== 'new').map((s) => ({ value: s, label: t(`ag.status.${s}`) }))]} />
      <${Field} id=${FIELDS.category} as="select" width="medium" label=${t('macros.f.category')} value=${v.category}
        onInput=${set('category')} error=${form.fieldError(FIELDS.category)}
        options=${[none, ...CATEGORIES.map((c) => ({ value: c, label: t(`ag.category.${c}`) }))]} />
    </${Form}>
  </section>`;
}
