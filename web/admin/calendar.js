// /admin/calendarios/:id: one business calendar. Its closures (an
// emergency pause now, planned ones), holidays and weekly hours, each
// change saved at once (moving the running deadlines, audited), with
// "¿Qué cambiaría?" before saving; the what-if of one deadline; its title.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { AdminNav, Forbidden, canAdmin, calendarTitle } from './common.js';
import { Closures } from './calendar-closures.js';
import { Holidays } from './calendar-holidays.js';
import { Hours } from './calendar-hours.js';
import { DueBox } from './calendar-due.js';
import { Title } from './calendar-title.js';

await loadStylesheet('/styles/admin-cal.css');

export default function CalendarPage({ params }) {
  const { user } = useSession();
  const [cal, setCal] = useState(null);
  const [error, setError] = useState('');
  const admin = canAdmin(user);
  useEffect(() => (admin ? api.get(`/calendars/${params.id}`, setCal, (e) => setError(errorMessage(e))) : undefined), [params.id, admin]);
  // The calendar's title once it is here (its name is a code, in the URL).
  const title = cal ? t('adm.cal.one', { name: calendarTitle(cal) }) : t('adm.cal.title');
  if (!admin) return html`<${Page} title=${title}><${Forbidden} /></${Page}>`;
  return html`<${Page} title=${title} wide>
    <${AdminNav} user=${user} />
    <p><a href="/admin/calendarios">${t('adm.cal.back')}</a></p>
    ${error && html`<div class="notice notice-error"><p>${error}</p></div>`}
    ${cal && html`
      <p>${t('adm.cal.zone', { zone: cal.timezone })} · <a href=${`/calendars/${cal.name}.ics`} download=${`${cal.name}.ics`}>${t('adm.cal.ics')}</a></p>
      <div class="adm-split">
        <div>
          <${Closures} cal=${cal} save=${setCal} />
          <${Hours} key=${JSON.stringify(cal.hours)} cal=${cal} save=${setCal} />
          <${Title} cal=${cal} save=${setCal} />
        </div>
        <div>
          <${Holidays} cal=${cal} save=${setCal} />
          <${DueBox} cal=${cal} />
        </div>
      </div>`}
  </${Page}>`;
}
