// The form of an SLA level (admin/sla-level.js): its names and descriptions
// in both languages, its target, clock and calendar, the review period of
// the development level and the licence-address rule of the commercial one.
// Saving makes a new version (PATCH /sla/levels/CODE with base_version: a
// save made meanwhile by someone else is refused, not overwritten).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { calendarLabel } from './sla-fmt.js';

// The server's field -> the id of our control (a 422 names the field).
const IDS = {
  name_es: 'nombre-es', name_en: 'nombre-en', desc_es: 'descripcion-es', desc_en: 'descripcion-en',
  response_minutes: 'plazo', clock: 'reloj-business', calendar: 'calendario', review_days: 'revision', license_email_only: 'licencia',
};

const text = (s) => s.trim();
const number = (s) => Number(String(s).trim().replace(',', '.'));

function initial(v) {
  return {
    name_es: v.name_es, name_en: v.name_en, desc_es: v.desc_es, desc_en: v.desc_en,
    plazo: v.response_minutes == null ? '' : String(v.response_minutes / 60),
    clock: v.clock, calendar: v.calendar,
    revision: v.review_days == null ? '' : String(v.review_days),
    licencia: v.license_email_only,
  };
}

// The calendars to choose from, each by its title (calendarLabel()); the
// level's own first when the list lacks it (not loaded yet, or removed).
function calendarOptions(calendars, current) {
  const list = calendars.some((c) => c.name === current) ? calendars : [{ name: current }, ...calendars];
  return list.map((c) => ({ value: c.name, label: calendarLabel(calendars, c.name) }));
}

// What is wrong before sending: [{ field: id, message }].
function problems(s, withReview) {
  const out = [];
  const need = (id, value, max, key) => {
    if (!text(value)) out.push({ field: id, message: t(`adm.sla.err.${key}`) });
    else if ([...text(value)].length > max) out.push({ field: id, message: t(`adm.sla.err.${key}_long`, { n: max }) });
  };
  need('nombre-es', s.name_es, 80, 'name_es');
  need('nombre-en', s.name_en, 80, 'name_en');
  need('descripcion-es', s.desc_es, 500, 'desc_es');
  need('descripcion-en', s.desc_en, 500, 'desc_en');
  const h = number(s.plazo);
  if (text(s.plazo) && !(h > 0 && h <= 8760 && Number.isInteger(Math.round(h * 60 * 1000) / 1000))) {
    out.push({ field: 'plazo', message: t('adm.sla.err.response_minutes') });
  }
  const d = number(s.revision);
  if (withReview && text(s.revision) && !(Number.isInteger(d) && d >= 1 && d <= 3650)) {
    out.push({ field: 'revision', message: t('adm.sla.err.review_days') });
  }
  return out;
}

// level: the current version (GET /sla/levels/CODE/versions); calendars:
// GET /calendars's list; onSaved(answer) after the server took it.
export function SlaForm({ code, level, calendars, onSaved }) {
  const [s, setS] = useState(() => initial(level));
  const messages = Object.fromEntries(Object.keys(IDS).map((k) => [k, t(`adm.sla.err.${k}`)]));
  const form = useForm(IDS, messages);
  const set = (k) => (v) => setS({ ...s, [k]: v });
  const withReview = code === 'development' || level.review_days != null;
  const onSubmit = async () => {
    const body = {
      base_version: level.version,
      name_es: text(s.name_es), name_en: text(s.name_en), desc_es: text(s.desc_es), desc_en: text(s.desc_en),
      response_minutes: text(s.plazo) ? Math.round(number(s.plazo) * 60) : null,
      clock: s.clock, calendar: s.calendar,
    };
    if (withReview) body.review_days = text(s.revision) ? number(s.revision) : null;
    if (code === 'commercial') body.license_email_only = s.licencia;
    const out = await form.submit(() => problems(s, withReview), () => api.patch(`/sla/levels/${code}`, body));
    if (out) onSaved(out);
  };
  const err = form.fieldError;
  const clockErr = err('reloj-business');
  return html`<${Form} form=${form} onSubmit=${onSubmit} submit=${t('adm.sla.save')}>
    <${Field} id="nombre-es" label=${t('adm.sla.f.name_es')} value=${s.name_es} onInput=${set('name_es')} error=${err('nombre-es')} maxlength="80" />
    <${Field} id="nombre-en" label=${t('adm.sla.f.name_en')} value=${s.name_en} onInput=${set('name_en')} error=${err('nombre-en')} maxlength="80" lang="en" />
    <${Field} id="descripcion-es" as="textarea" rows="3" label=${t('adm.sla.f.desc_es')} hint=${t('adm.sla.f.desc_hint')}
      value=${s.desc_es} onInput=${set('desc_es')} error=${err('descripcion-es')} />
    <${Field} id="descripcion-en" as="textarea" rows="3" label=${t('adm.sla.f.desc_en')} lang="en"
      value=${s.desc_en} onInput=${set('desc_en')} error=${err('descripcion-en')} />
    <${Field} id="plazo" label=${t('adm.sla.f.response_minutes')} hint=${t('adm.sla.f.response_hint')} width="short"
      inputmode="decimal" value=${s.plazo} onInput=${set('plazo')} error=${err('plazo')} />
    <fieldset class=${`field adm-sla-radios${clockErr ? ' field-error' : ''}`} aria-describedby="reloj-hint">
      <legend>${t('adm.sla.f.clock')}</legend>
      <p class="hint" id="reloj-hint">${t('adm.sla.f.clock_hint')}</p>
      ${clockErr && html`<p class="error-message"><span class="visually-hidden">${t('error.prefix')}</span> ${clockErr}</p>`}
      ${['business', 'calendar'].map((c) => html`<div class="adm-sla-choice" key=${c}>
        <input type="radio" name="reloj" id=${`reloj-${c}`} value=${c} checked=${s.clock === c} onChange=${() => set('clock')(c)} />
        <label for=${`reloj-${c}`}>${t(`adm.sla.clock.${c}`)}</label>
      </div>`)}
    </fieldset>
    <${Field} id="calendario" as="select" label=${t('adm.sla.f.calendar')} hint=${t('adm.sla.f.calendar_hint')} width="medium"
      value=${s.calendar} onInput=${set('calendar')} error=${err('calendario')}
      options=${calendarOptions(calendars, s.calendar)} />
    ${withReview && html`<${Field} id="revision" label=${t('adm.sla.f.review_days')} hint=${t('adm.sla.f.review_hint')} width="short"
      inputmode="numeric" value=${s.revision} onInput=${set('revision')} error=${err('revision')} />`}
    ${code === 'commercial' && html`<div class=${`field${err('licencia') ? ' field-error' : ''}`}>
      ${err('licencia') && html`<p class="error-message" id="licencia-error"><span class="visually-hidden">${t('error.prefix')}</span> ${err('licencia')}</p>`}
      <div class="adm-sla-choice">
        <input type="checkbox" id="licencia" checked=${s.licencia} aria-describedby=${err('licencia') ? 'licencia-hint licencia-error' : 'licencia-hint'}
          onChange=${(e) => set('licencia')(e.currentTarget.checked)} />
        <label for="licencia">${t('adm.sla.f.license_email_only')}</label>
      </div>
      <p class="hint adm-sla-check-hint" id="licencia-hint">${t('adm.sla.f.license_hint')}</p>
    </div>`}
  </${Form}>`;
}
