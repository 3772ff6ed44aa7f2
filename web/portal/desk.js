// The landing page's calendar parts: open now, weekly hours, holidays.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useLang, useSession } from '../context.js';
import { useFormat } from '../format.js';
import { deskStatus, weekGroups, upcoming, instant, wall } from './calendar.js';

const MONDAY = Date.UTC(2024, 0, 1); // a Monday
const ORDER = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const city = (zone) => zone.split('/').pop().replace(/_/g, ' ');

function dayName(f, code) {
  return f.weekday(new Date(MONDAY + ORDER.indexOf(code) * 86400000 + 43200000).toISOString(), 'UTC');
}

const upperFirst = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function daysText(f, lang, days) {
  if (days.length >= 3) return upperFirst(t('hours.range', { from: dayName(f, days[0]), to: dayName(f, days[days.length - 1]) }));
  return upperFirst(new Intl.ListFormat(lang, { type: 'conjunction' }).format(days.map((d) => dayName(f, d))));
}

// Re-rendered every minute: a page left open does not go on saying "open".
export function DeskStatus({ cal, events }) {
  const f = useFormat();
  const { zone } = useSession();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(id);
  }, []);
  if (!cal || !events) return html`<div class="placeholder placeholder-status" aria-hidden="true"></div>`;
  const s = deskStatus(now, cal, events);
  const c = city(cal.timezone);
  const mine = zone !== cal.timezone;
  const at = s.open ? s.until : s.next;
  const when = (z) => at && (s.open ? f.time(at.toISOString(), z) : f.dayTime(at.toISOString(), z));
  const whenDesk = when(cal.timezone);
  const whenMine = when(zone);
  return html`<div class=${`desk-status ${s.open ? 'desk-open' : 'desk-closed'}`}>
    <p class="desk-state"><span class="desk-dot" aria-hidden="true"></span>${t(s.open ? 'desk.open' : 'desk.closed')}</p>
    ${s.holiday && html`<p>${t('desk.holiday', { name: s.holiday })}</p>`}
    ${s.closure && html`<p>${t('desk.closure', { name: s.closure.name })}</p>`}
    ${at && html`<p>${t(s.open ? 'desk.until' : 'desk.next', { when: whenDesk, city: c })}</p>`}
    ${at && mine && html`<p>${t('desk.yours', { zone, when: whenMine })}</p>`}
    <p class="hint">${t('desk.now', { city: c, time: f.time(now.toISOString(), cal.timezone) })}${mine ? ` · ${t('desk.now_yours', { time: f.time(now.toISOString(), zone) })}` : ''}</p>
  </div>`;
}

export function Hours({ cal }) {
  const f = useFormat();
  const lang = useLang();
  const { zone } = useSession();
  if (!cal) return html`<div class="placeholder placeholder-hours" aria-hidden="true"></div>`;
  const today = wall(new Date(), cal.timezone).date;
  const span = ([a, b], z) => `${f.time(instant(today, a, cal.timezone).toISOString(), z)}–${f.time(instant(today, b, cal.timezone).toISOString(), z)}`;
  const groups = weekGroups(cal.hours);
  return html`<dl class="hours">
    ${groups.map((g) => html`<div class="hours-row"><dt>${daysText(f, lang, g.days)}</dt>
      <dd>${g.spans.map((s) => span(s, cal.timezone)).join(', ')} <span class="hint">${t('hours.zone', { city: city(cal.timezone) })}</span>
      ${zone !== cal.timezone && html`<br /><span class="hint">${t('hours.yours', { zone, spans: g.spans.map((s) => span(s, zone)).join(', ') })}</span>`}</dd></div>`)}
  </dl>`;
}

export function Holidays({ cal, events }) {
  const f = useFormat();
  if (!cal || !events) return html`<div class="placeholder placeholder-holidays" aria-hidden="true"></div>`;
  const list = upcoming(events, new Date(), cal.timezone);
  if (!list.length) return html`<p>${t('calendar.none')}</p>`;
  return html`<ul class="holidays">
    ${list.map((e) => (e.kind === 'holiday'
    ? html`<li><time datetime=${e.date}>${upperFirst(f.dateFull(`${e.date}T12:00:00Z`, 'UTC'))}</time> <span>${e.name}</span></li>`
    : html`<li class="closure"><span><strong>${t('calendar.closure')}:</strong> <time datetime=${e.from.toISOString()}>${f.dayTime(e.from.toISOString(), cal.timezone)}</time> – <time datetime=${e.to.toISOString()}>${f.dayTime(e.to.toISOString(), cal.timezone)}</time></span> <span>${e.name}</span></li>`))}
  </ul>`;
}
