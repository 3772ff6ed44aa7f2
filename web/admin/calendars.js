// /admin/calendarios: the business calendars, each with its zone, weekly
// hours, holidays and the closures running or to come; one link each to
// edit it (calendar.js).
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { AdminNav, Forbidden, canAdmin, calendarTitle } from './common.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// "lun 08:00-18:30 · mar 08:00-18:30 …": the open days and their stretches.
const week = (hours) => DAYS.filter((d) => (hours[d] || []).length)
  .map((d) => `${t(`adm.cal.day_short.${d}`)} ${hours[d].map(([a, b]) => `${a}–${b}`).join(', ')}`).join(' · ');

export default function CalendarsPage() {
  const { user } = useSession();
  const f = useFormat();
  const [list, setList] = useState(null);
  const [error, setError] = useState('');
  const admin = canAdmin(user);
  useEffect(() => (admin ? api.get('/calendars', (r) => setList(r.calendars), (e) => setError(errorMessage(e))) : undefined), [admin]);
  if (!admin) return html`<${Page} title=${t('adm.cal.title')}><${Forbidden} /></${Page}>`;
  const now = Date.now();
  return html`<${Page} title=${t('adm.cal.title')} lead=${t('adm.cal.lead')} wide>
    <${AdminNav} user=${user} />
    ${error && html`<div class="notice notice-error"><p>${error}</p></div>`}
    ${list && html`<ul class="adm-sections">${list.map((c) => {
      const open = (c.closures || []).filter((k) => Date.parse(k.to) > now);
      return html`<li>
        <a href=${`/admin/calendarios/${c.name}`}>${t('adm.cal.one', { name: calendarTitle(c) })}</a>
        <p>${c.timezone}</p>
        <p>${week(c.hours)}</p>
        <p>${[tn('adm.cal.count_holidays', (c.holidays || []).length, { n: (c.holidays || []).length }), tn('adm.cal.count_closures', open.length, { n: open.length })].join(' · ')}</p>
        ${open.map((k) => html`<p><strong>${k.reason || t('adm.cal.clo.no_reason')}</strong>: ${f.dateTime(k.from, c.timezone)} – ${f.dateTime(k.to, c.timezone)}</p>`)}
      </li>`;
    })}</ul>`}
  </${Page}>`;
}
