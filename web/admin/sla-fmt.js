// How the SLA level pages (admin/sla*.js) write a level's fields for
// people: its name in the reader's language, its target, its clock, and any
// field's value in the table of a difference.
import { t, tn } from '../i18n.js';

// The fields of a version, in the order of the form and of a difference.
export const FIELDS = ['name_es', 'name_en', 'desc_es', 'desc_en', 'response_minutes', 'clock', 'calendar', 'review_days', 'license_email_only'];

// The level's name in lang ('es', 'en').
export const levelName = (v, lang) => (lang === 'en' ? v.name_en : v.name_es) || v.code;

// "12 h" from 720 minutes; f: useFormat().
export const hours = (f, minutes) => f.number(minutes / 60, { maximumFractionDigits: 2 });

// "12 h hábiles", "Revisión a los 60 días", "Sin plazo".
export function target(f, v) {
  if (v.response_minutes) return t(`adm.sla.target.${v.clock}`, { h: hours(f, v.response_minutes) });
  if (v.review_days) return tn('adm.sla.target.review', v.review_days, { n: f.number(v.review_days) });
  return t('adm.sla.target.none');
}

// The calendar `name` as the admin reads it among calendars (GET
// /calendars's list): its title, with its code when another calendar has
// the same title; its code alone when it has no title or is not listed.
export function calendarLabel(calendars, name) {
  const cal = calendars.find((c) => c.name === name);
  if (!cal || !cal.title) return name;
  const twin = calendars.some((c) => c !== cal && c.title === cal.title);
  return twin ? `${cal.title} (${name})` : cal.title;
}

// The value of field `key` for the table of a difference (calendars: GET
// /calendars's list, for the calendar's title).
export function fieldValue(f, key, value, calendars = []) {
  if (key === 'response_minutes') {
    return value == null ? t('adm.sla.target.none') : t('adm.sla.minutes', { h: hours(f, value), m: f.number(value) });
  }
  if (key === 'review_days') return value == null ? t('adm.sla.review.none') : tn('adm.sla.days', value, { n: f.number(value) });
  if (key === 'clock') return t(`adm.sla.clock.${value}`);
  if (key === 'license_email_only') return t(value ? 'adm.sla.yes' : 'adm.sla.no');
  if (key === 'calendar' && value != null) return calendarLabel(calendars, value);
  return value == null ? '' : String(value);
}

// The agent console's queue of the open tickets of version n of a level
// (n absent: of every version).
export const queueHref = (code, n) => `/agente?nivel=${encodeURIComponent(code)}${n ? `&version=${n}` : ''}`;
