// A calendar's title: the name people read (the SLA level form, a ticket's
// history, the published .ics), while its name stays a code in addresses.
// Saved with the rest of its spec (PUT /calendars/NAME); a title moves no
// deadline, so there is no "¿Qué cambiaría?".
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useForm, Form } from '../ui/form.js';
import { Field } from '../ui/field.js';

// What the server allows (src/sla/bizcal.c): 1 to 120 characters.
const MAX = 120;

export function Title({ cal, save }) {
  const [v, setV] = useState(cal.title || '');
  const [done, setDone] = useState('');
  const form = useForm({ title: 'cal-title' }, { title: t('adm.cal.name.bad') });
  const check = () => {
    const s = v.trim();
    if (!s) return [{ field: 'cal-title', message: t('adm.cal.name.missing') }];
    if ([...s].length > MAX) return [{ field: 'cal-title', message: t('adm.cal.name.long') }];
    return [];
  };
  const send = async () => {
    setDone('');
    const c = await form.submit(check, () => api.put(`/calendars/${cal.name}`, { ...cal, title: v.trim() }));
    if (!c) return;
    save(c);
    setV(c.title);
    setDone(t('adm.cal.name.saved', { title: c.title }));
  };
  return html`<section aria-labelledby="cal-title-h" class="adm-cal-box">
    <h2 id="cal-title-h">${t('adm.cal.name.title')}</h2>
    <div role="status">${done && html`<p class="notice notice-success">${done}</p>`}</div>
    <${Form} form=${form} submit=${t('adm.cal.name.submit')} onSubmit=${send}>
      <${Field} id="cal-title" label=${t('adm.cal.name.label')} hint=${t('adm.cal.name.hint', { code: cal.name })}
        value=${v} onInput=${setV} error=${form.fieldError('cal-title')} autocomplete="off" spellcheck="true" />
    </${Form}>
  </section>`;
}
