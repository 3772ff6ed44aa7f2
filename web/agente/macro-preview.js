// A canned answer filled in with a ticket's data, as the agent would insert
// it (GET /macros/ID/render?ticket=N): nothing is sent nor changed.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { macroEffect } from './macro-picker.js';

// macros: the list to choose from; chosen: the id picked from the list.
export function MacroPreview({ macros, chosen, setChosen }) {
  const [number, setNumber] = useState('');
  const [out, setOut] = useState(null);
  const form = useForm({ ticket: 'vista-ticket' });
  const id = chosen || (macros[0] && String(macros[0].id)) || '';

  const check = () => [
    !id && { field: 'vista-respuesta', message: t('macros.check.macro') },
    !/^\d+$/.test(number.trim()) && { field: 'vista-ticket', message: t('macros.check.ticket') },
  ].filter(Boolean);
  const onSubmit = async () => {
    setOut(null);
    const r = await form.submit(check, () => api.request('GET', `/macros/${id}/render?ticket=${number.trim()}`));
    if (r) setOut({ ...r, number: number.trim() });
  };
  const effect = out && macroEffect(out);
  return html`<section class="macro-preview" aria-labelledby="vista-title">
    <h2 id="vista-title">${t('macros.preview_title')}</h2>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('macros.preview_go')}>
      <${Field} id="vista-respuesta" as="select" label=${t('macros.preview_macro')} value=${id}
        onInput=${(x) => { setChosen(x); setOut(null); }} options=${macros.map((m) => ({ value: String(m.id), label: m.name }))} />
      <${Field} id="vista-ticket" label=${t('macros.preview_ticket')} hint=${t('macros.preview_ticket_hint')}
        inputmode="numeric" width="short" value=${number} onInput=${setNumber} error=${form.fieldError('vista-ticket')} />
    </${Form}>
    ${out && html`<div class="macro-rendered" aria-labelledby="vista-result">
      <h3 id="vista-result">${t('macros.preview_result', { name: out.name, n: out.number })}</h3>
      <p class="macro-rendered-body" lang=${out.lang}>${out.body}</p>
      ${effect && html`<p>${t('macro.effect', { changes: effect })}</p>`}
      ${out.unknown.length > 0 && html`<p class="macro-unknown">${t('macro.unknown', { list: out.unknown.join(', ') })}</p>`}
    </div>`}
  </section>`;
}
