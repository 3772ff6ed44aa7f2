// Dates, times and numbers through Intl, in the reader's language and zone
// (STYLE.md 10.10). useFormat() binds them to the Lang and Session contexts.
// wall() and instant(): wall time in an IANA zone, as a calendar's people
// read it (the landing page's open-now, the admin's calendar forms).
import { useLang, useSession } from './context.js';

const cache = new Map();
function intl(kind, lang, opts) {
  const k = kind + lang + JSON.stringify(opts);
  if (!cache.has(k)) {
    cache.set(k, kind === 'n' ? new Intl.NumberFormat(lang, opts)
      : kind === 'r' ? new Intl.RelativeTimeFormat(lang, opts)
        : new Intl.DateTimeFormat(lang, opts));
  }
  return cache.get(k);
}

export function formatter(lang, zone) {
  return {
    lang,
    zone,
    // "1 dic 2026, 10:30" in the reader's zone (or the one given)
    dateTime: (iso, z = zone) => intl('d', lang, { dateStyle: 'medium', timeStyle: 'short', timeZone: z }).format(new Date(iso)),
    dateFull: (iso, z = zone) => intl('d', lang, { dateStyle: 'full', timeZone: z }).format(new Date(iso)),
    date: (iso, z = zone) => intl('d', lang, { dateStyle: 'long', timeZone: z }).format(new Date(iso)),
    time: (iso, z = zone) => intl('d', lang, { timeStyle: 'short', timeZone: z }).format(new Date(iso)),
    // "jueves, 10 de diciembre, 8:00" / "Thursday, December 10 at 8:00 AM"
    dayTime: (iso, z = zone) => intl('d', lang, { weekday: 'long', day: 'numeric', month: 'long', hour: 'numeric', minute: '2-digit', timeZone: z }).format(new Date(iso)),
    weekday: (iso, z = zone) => intl('d', lang, { weekday: 'long', timeZone: z }).format(new Date(iso)),
    number: (n, opts) => intl('n', lang, opts).format(n),
    // a file's size: "12 kB", "3,4 MB"
    size: (bytes) => (bytes < 1024 * 1024
      ? intl('n', lang, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(Math.max(1, bytes / 1024))
      : intl('n', lang, { style: 'unit', unit: 'megabyte', maximumFractionDigits: 1 }).format(bytes / 1048576)),
    // "en 3 horas", "hace 2 días"
    relative: (iso, now = Date.now()) => {
      const s = (new Date(iso) - now) / 1000;
      const units = [['year', 31536000], ['month', 2592000], ['week', 604800], ['day', 86400], ['hour', 3600], ['minute', 60]];
      for (const [u, n] of units) if (Math.abs(s) >= n) return intl('r', lang, { numeric: 'auto' }).format(Math.round(s / n), u);
      return intl('r', lang, { numeric: 'auto' }).format(Math.round(s), 'second');
    },
  };
}

export function useFormat() {
  return formatter(useLang(), useSession().zone);
}

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
