// /: what the help desk is for, whether it is open now (in the visitor's
// zone and in the desk's), the levels and their response times, the
// holidays and closures, and the two ways in.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { useLang } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { eventsOf } from './calendar.js';
import { DeskStatus, Hours, Holidays } from './desk.js';

function responseTime(l, f) {
  if (l.response_minutes) {
    const h = l.response_minutes / 60;
    return tn(l.clock === 'calendar' ? 'levels.calendar_hours' : 'levels.business_hours', h, { n: f.number(h, { maximumFractionDigits: 1 }) });
  }
  if (l.review_days) return tn('levels.review', l.review_days, { n: l.review_days });
  return t('levels.none');
}

function Levels({ levels }) {
  const lang = useLang();
  const f = useFormat();
  if (!levels) return html`<div class="placeholder placeholder-levels" aria-hidden="true"></div>`;
  return html`<ul class="levels">
    ${levels.map((l) => html`<li class="level-card">
      <h3>${l.name[lang] || l.name.es}</h3>
      <p class="level-time">${responseTime(l, f)}</p>
      <p>${l.description[lang] || l.description.es}</p>
    </li>`)}
  </ul>`;
}

export default function Landing() {
  const [levels, setLevels] = useState(null);
  const [cal, setCal] = useState(null);
  const [events, setEvents] = useState(null);
  const [failed, setFailed] = useState(false);
  const calName = 'lima';

  useEffect(() => api.get('/sla/levels', (d) => setLevels(d.levels), () => setFailed(true)), []);
  // The calendar with its events from today (holidays as dates, closures
  // as instants): the .ics feed is for calendar programs, not this page.
  useEffect(() => api.get(`/calendars/${calName}?upcoming=1`, (c) => {
    setCal(c);
    setEvents(eventsOf(c.upcoming, t('calendar.closure')));
  }, () => setFailed(true)), []);

  return html`<${Page} title=${t('landing.title')} lead=${t('landing.lead')} wide>
    <div class="cta">
      <div class="cta-item">
        <a class="button" href="/tickets/nuevo?categoria=commercial">${t('landing.ask')}</a>
        <p class="hint">${t('landing.ask_hint')}</p>
      </div>
      <div class="cta-item">
        <a class="button button-secondary" href="/tickets/nuevo">${t('landing.send')}</a>
        <p class="hint">${t('landing.send_hint')}</p>
      </div>
    </div>
    ${failed && html`<p class="notice notice-error" role="alert">${t('landing.failed')}</p>`}
    <div class="landing-grid">
      <section aria-labelledby="horario">
        <h2 id="horario">${t('hours.title')}</h2>
        <${DeskStatus} cal=${cal} events=${events} />
        <${Hours} cal=${cal} />
      </section>
      <section aria-labelledby="feriados">
        <h2 id="feriados">${t('calendar.title')}</h2>
        <p>${t('calendar.lead')}</p>
        <${Holidays} cal=${cal} events=${events} />
        <p><a href=${`/calendars/${calName}.ics`} download=${`${calName}.ics`}>${t('calendar.ics')}</a></p>
      </section>
    </div>
    <section aria-labelledby="niveles">
      <h2 id="niveles">${t('levels.title')}</h2>
      <p>${t('levels.lead')}</p>
      <${Levels} levels=${levels} />
    </section>
  </${Page}>`;
}
