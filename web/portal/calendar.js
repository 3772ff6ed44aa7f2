// The support calendar as data: its upcoming events, wall time in a zone,
// and whether the desk is open at an instant (pure functions, no I/O).

import { wall, instant } from '../format.js';

export { wall, instant };

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

// The events of GET /calendars/NAME?upcoming=1 as this module uses them:
// { kind: 'holiday' | 'closure', name, date? (a 'YYYY-MM-DD' holiday),
// from?, to? (closure instants, as Dates) }; a closure without a reason
// is named untitled.
export function eventsOf(upcoming, untitled) {
  return (upcoming || []).map((e) => (e.kind === 'closure'
    ? { kind: 'closure', name: e.name || untitled, from: new Date(e.from), to: new Date(e.to) }
    : { kind: 'holiday', name: e.name, date: e.date }));
}

function addDays(date, n) {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

// The open stretches of a day: opening hours minus closures.
function openOn(date, cal, events) {
  const day = DAYS[new Date(`${date}T12:00:00Z`).getUTCDay()];
  if (events.some((e) => e.kind === 'holiday' && e.date === date)) return [];
  let spans = (cal.hours[day] || []).map(([a, b]) => [instant(date, a, cal.timezone), instant(date, b, cal.timezone)]);
  for (const c of events.filter((e) => e.kind === 'closure' && e.to)) {
    spans = spans.flatMap(([a, b]) => {
      if (c.to <= a || c.from >= b) return [[a, b]];
      return [[a, c.from], [c.to, b]].filter(([x, y]) => y > x);
    });
  }
  return spans;
}

// { open, until (when it closes), next (when it opens next), closure,
//   holiday (today's, by name) } at instant now.
export function deskStatus(now, cal, events) {
  const today = wall(now, cal.timezone).date;
  const holiday = events.find((e) => e.kind === 'holiday' && e.date === today);
  const closure = events.find((e) => e.kind === 'closure' && e.from <= now && e.to > now);
  for (let i = 0; i < 30; i++) {
    for (const [a, b] of openOn(addDays(today, i), cal, events)) {
      if (b <= now) continue;
      if (a <= now) return { open: true, until: b };
      return { open: false, next: a, holiday: holiday && holiday.name, closure };
    }
  }
  return { open: false, holiday: holiday && holiday.name, closure };
}

// Weekly hours grouped: [{ days: ['mon', …, 'fri'], spans: [['08:00', '18:30']] }].
export function weekGroups(hours) {
  const order = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  const groups = [];
  for (const d of order) {
    const spans = hours[d] || [];
    if (!spans.length) continue;
    const key = JSON.stringify(spans);
    const last = groups[groups.length - 1];
    if (last && last.key === key && order.indexOf(last.days[last.days.length - 1]) === order.indexOf(d) - 1) last.days.push(d);
    else groups.push({ key, days: [d], spans });
  }
  return groups;
}

// Events from now on, soonest first.
export function upcoming(events, now, zone, n = 8) {
  const today = wall(now, zone).date;
  return events
    .filter((e) => (e.kind === 'holiday' ? e.date >= today : e.to > now))
    .map((e) => ({ ...e, sort: e.kind === 'holiday' ? instant(e.date, '00:00', zone) : e.from }))
    .sort((a, b) => a.sort - b.sort)
    .slice(0, n);
}
