// A calendar's holidays: on a date every year or once, or a number of days
// from Easter Sunday; each from the year it starts to apply. Add one (with
// "¿Qué cambiaría?" before saving) or remove one.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useFormat } from '../format.js';
import { useForm, Form } from '../ui/form.js';
import { Field } from '../ui/field.js';
import { Moves } from './calendar-moves.js';

const FIELDS = { date: 'hol-date', easter: 'hol-easter', name: 'hol-name', since: 'hol-since' };

// When a holiday falls, in words: "cada 1 de mayo", "8 de diciembre de
// 2026", "2 días antes de Pascua".
function whenText(f, h) {
  if (h.easter !== undefined) {
    if (h.easter === 0) return t('adm.cal.hol.on_easter');
    return tn(h.easter < 0 ? 'adm.cal.hol.before_easter' : 'adm.cal.hol.after_easter', Math.abs(h.easter), { n: Math.abs(h.easter) });
  }
  if (h.date.length === 10) return f.date(`${h.date}T12:00:00Z`, 'UTC');
  const day = new Intl.DateTimeFormat(f.lang, { day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`2000-${h.date}T12:00:00Z`));
  return t('adm.cal.hol.every', { day });
}

// ", desde 2027" for a holiday that starts to apply in a year.
const sinceText = (h) => (h.since ? t('adm.cal.hol.since_text', { y: h.since }) : '');

export function Holidays({ cal, save }) {
  const f = useFormat();
  const year = new Date().getFullYear();
  const [kind, setKind] = useState('yearly');
  const [name, setName] = useState('');
  const [date, setDate] = useState('');
  const [easter, setEaster] = useState('');
  const [since, setSince] = useState(String(year));
  const [moves, setMoves] = useState(null);
  const [done, setDone] = useState('');
  const [fail, setFail] = useState('');
  const form = useForm(FIELDS);
  const item = () => {
    const h = { name: name.trim() };
    if (kind === 'easter') h.easter = Number(easter);
    else h.date = kind === 'once' ? date : date.slice(5);
    if (kind !== 'once' && since.trim()) h.since = Number(since);
    return h;
  };
  const check = () => {
    const errs = [];
    if (!name.trim()) errs.push({ field: 'hol-name', message: t('adm.cal.hol.name_missing') });
    if (kind !== 'easter' && !/^\d{4}-\d{2}-\d{2}$/.test(date)) errs.push({ field: 'hol-date', message: t('adm.cal.hol.date_missing') });
    if (kind === 'easter' && !/^-?\d+$/.test(easter.trim())) errs.push({ field: 'hol-easter', message: t('adm.cal.hol.easter_bad') });
    if (kind !== 'once' && since.trim() && !/^\d{4}$/.test(since.trim())) errs.push({ field: 'hol-since', message: t('adm.cal.hol.since_bad') });
    return errs;
  };
  const whatIf = () => form.submit(check, async () => setMoves(await api.post(`/calendars/${cal.name}/what-if`, { holiday: item() })));
  const add = async () => {
    const ok = await form.submit(check, () => api.post(`/calendars/${cal.name}/holidays`, item()));
    if (!ok) return;
    save(ok);
    setDone(t('adm.cal.hol.added', { name: name.trim() }));
    setMoves(null);
    setName('');
  };
  const remove = (i) => {
    const h = cal.holidays[i];
    api.put(`/calendars/${cal.name}`, { ...cal, holidays: cal.holidays.filter((x, k) => k !== i) })
      .then((c) => { save(c); setFail(''); setDone(t('adm.cal.hol.removed', { name: h.name })); }, (e) => setFail(errorMessage(e)));
  };
  const hs = (cal.holidays || []).map((h, i) => ({ ...h, i }));
  return html`<section aria-labelledby="hol-title" class="adm-cal-box">
    <h2 id="hol-title">${t('adm.cal.hol.title')}</h2>
    <div role="status">${done && html`<p class="notice notice-success">${done}</p>`}</div>
    <div role="alert">${fail && html`<p class="notice notice-error">${fail}</p>`}</div>
    <ul class="adm-cal-hols" aria-label=${t('adm.cal.hol.list')}>${hs.map((h) => html`<li>
      <span><strong>${h.name}</strong><br />${whenText(f, h)}${sinceText(h)}</span>
      <button type="button" class="button button-secondary adm-cal-inline" onClick=${() => remove(h.i)}
        aria-label=${`${t('adm.cal.hol.remove')}: ${h.name}`}>${t('adm.cal.hol.remove')}</button>
    </li>`)}</ul>
    <h3>${t('adm.cal.hol.add')}</h3>
    <${Form} form=${form} submit=${t('adm.cal.hol.submit')} onSubmit=${add}
      secondary=${html`<button type="button" class="button button-secondary" onClick=${whatIf}>${t('adm.cal.whatif')}</button>`}>
      <${Field} id="hol-name" label=${t('adm.cal.hol.name')} value=${name} onInput=${setName} error=${form.fieldError('hol-name')} />
      <${Field} id="hol-kind" as="select" label=${t('adm.cal.hol.kind')} value=${kind} onInput=${setKind}
        options=${['yearly', 'once', 'easter'].map((k) => ({ value: k, label: t(`adm.cal.hol.kind_${k}`) }))} />
      ${kind !== 'easter' && html`<${Field} id="hol-date" type="date" label=${t('adm.cal.hol.date')}
        hint=${t(kind === 'yearly' ? 'adm.cal.hol.date_hint_yearly' : 'adm.cal.hol.date_hint_once')}
        value=${date} onInput=${setDate} error=${form.fieldError('hol-date')} />`}
      ${kind === 'easter' && html`<${Field} id="hol-easter" label=${t('adm.cal.hol.easter')} hint=${t('adm.cal.hol.easter_hint')}
        inputmode="numeric" width="short" value=${easter} onInput=${setEaster} error=${form.fieldError('hol-easter')} />`}
      ${kind !== 'once' && html`<${Field} id="hol-since" label=${t('adm.cal.hol.since')} hint=${t('adm.cal.hol.since_hint')}
        inputmode="numeric" width="short" value=${since} onInput=${setSince} error=${form.fieldError('hol-since')} />`}
    </${Form}>
    <${Moves} moves=${moves} id="hol-moves" />
  </section>`;
}
