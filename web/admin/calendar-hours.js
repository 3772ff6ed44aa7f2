// A calendar's weekly hours: for each day its open stretches, written as
// "08:00-13:00, 14:00-18:30" (empty: closed), saved together.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useForm, Form } from '../ui/form.js';
import { Field } from '../ui/field.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const HM = '([01]\\d|2[0-3]):[0-5]\\d';
const SPAN = new RegExp(`^(${HM})\\s*[-–]\\s*(${HM}|24:00)$`);

const text = (spans) => (spans || []).map(([a, b]) => `${a}-${b}`).join(', ');

// "08:00-13:00, 14:00-18:30" -> [['08:00', '13:00'], ['14:00', '18:30']];
// null when a stretch is not HH:MM-HH:MM, ends before it starts or overlaps.
export function parseSpans(s) {
  const out = [];
  for (const part of s.split(/[,;]/).map((x) => x.trim()).filter(Boolean)) {
    const m = SPAN.exec(part);
    if (!m || m[4] <= m[1]) return null;
    if (out.length && out[out.length - 1][1] > m[1]) return null;
    out.push([m[1], m[4]]);
  }
  return out;
}

export function Hours({ cal, save }) {
  const [v, setV] = useState(() => Object.fromEntries(DAYS.map((d) => [d, text(cal.hours[d])])));
  const [done, setDone] = useState('');
  const form = useForm({});
  const check = () => DAYS.filter((d) => parseSpans(v[d]) === null)
    .map((d) => ({ field: `hours-${d}`, message: t('adm.cal.hours.bad', { day: t(`adm.cal.day.${d}`) }) }));
  const send = async () => {
    const hours = Object.fromEntries(DAYS.map((d) => [d, parseSpans(v[d])]));
    const c = await api.put(`/calendars/${cal.name}`, { ...cal, hours });
    save(c);
    setDone(t('adm.cal.hours.saved'));
  };
  return html`<section aria-labelledby="hours-title" class="adm-cal-box">
    <h2 id="hours-title">${t('adm.cal.hours.title')}</h2>
    <p>${t('adm.cal.hours.lead', { zone: cal.timezone })}</p>
    <div role="status">${done && html`<p class="notice notice-success">${done}</p>`}</div>
    <${Form} form=${form} submit=${t('adm.cal.hours.submit')} onSubmit=${() => { setDone(''); form.submit(check, send); }}>
      <p class="hint">${t('adm.cal.hours.hint')}</p>
      <div class="adm-cal-days">
        ${DAYS.map((d) => html`<${Field} id=${`hours-${d}`} label=${t(`adm.cal.day.${d}`)} value=${v[d]}
          onInput=${(x) => setV({ ...v, [d]: x })} error=${form.fieldError(`hours-${d}`)} placeholder=${t('adm.cal.hours.closed')} />`)}
      </div>
    </${Form}>
  </section>`;
}
