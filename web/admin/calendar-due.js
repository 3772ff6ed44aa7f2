// The what-if of one deadline: a start and a target in, the due time on
// this calendar and why out (GET /calendars/NAME/due), explained as the
// agent console explains a ticket's (ui/sla-explain.js).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useForm, Form } from '../ui/form.js';
import { Field } from '../ui/field.js';
import { ExplainBody } from '../ui/sla-explain.js';
import { localNow, toInstant } from './calendar-time.js';

export function DueBox({ cal }) {
  const [start, setStart] = useState(() => localNow(cal.timezone));
  const [amount, setAmount] = useState('24');
  const [unit, setUnit] = useState('h');
  const [x, setX] = useState(null);
  const form = useForm({ start: 'due-start', minutes: 'due-amount' });
  const check = () => {
    const errs = [];
    if (!start) errs.push({ field: 'due-start', message: t('adm.cal.due.start_missing') });
    if (!/^\d+(\.\d+)?$/.test(amount.trim())) errs.push({ field: 'due-amount', message: t('adm.cal.due.amount_bad') });
    return errs;
  };
  const send = async () => {
    const minutes = Math.round(Number(amount) * (unit === 'h' ? 60 : 1));
    const q = new URLSearchParams({ start: toInstant(start, cal.timezone), minutes: String(minutes) });
    setX(await api.request('GET', `/calendars/${cal.name}/due?${q}`));
  };
  return html`<section aria-labelledby="due-title" class="adm-cal-box">
    <h2 id="due-title">${t('adm.cal.due.title')}</h2>
    <p>${t('adm.cal.due.lead')}</p>
    <${Form} form=${form} submit=${t('adm.cal.due.submit')} onSubmit=${() => form.submit(check, send)}>
      <${Field} id="due-start" type="datetime-local" label=${t('adm.cal.due.start')} hint=${t('adm.cal.zone_hint', { zone: cal.timezone })}
        value=${start} onInput=${setStart} error=${form.fieldError('due-start')} />
      <div class="adm-cal-row">
        <${Field} id="due-amount" label=${t('adm.cal.due.amount')} inputmode="decimal" width="short"
          value=${amount} onInput=${setAmount} error=${form.fieldError('due-amount')} />
        <${Field} id="due-unit" as="select" label=${t('adm.cal.due.unit')} value=${unit} onInput=${setUnit}
          options=${[{ value: 'h', label: t('adm.cal.due.hours') }, { value: 'min', label: t('adm.cal.due.minutes') }]} />
      </div>
    </${Form}>
    ${x && html`<div class="adm-cal-due" role="status" aria-labelledby="due-result">
      <h3 id="due-result">${t('adm.cal.due.result')}</h3>
      <${ExplainBody} x=${x} />
    </div>`}
  </section>`;
}
