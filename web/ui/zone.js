// Wall time in an IANA zone, as a calendar's people read it (pure
// functions, no I/O): the portal's open-now and the admin's calendar forms.

// The wall clock of an instant in a zone: { date: 'YYYY-MM-DD', day: 'mon', hm: 'HH:MM' }.
export function wall(at, zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short',
  }).formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, day: p.weekday.toLowerCase().slice(0, 3), hm: `${p.hour}:${p.minute}` };
}

// The instant at which the wall clock of zone shows date ('YYYY-MM-DD') and hm ('HH:MM').
export function instant(date, hm, zone) {
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = hm.split(':').map(Number);
  const guess = Date.UTC(y, mo - 1, d, h, mi);
  let t = guess;
  for (let i = 0; i < 2; i++) {
    const w = wall(new Date(t), zone);
    const [wy, wmo, wd] = w.date.split('-').map(Number);
    const [wh, wmi] = w.hm.split(':').map(Number);
    t += guess - Date.UTC(wy, wmo - 1, wd, wh, wmi);
  }
  return new Date(t);
}
