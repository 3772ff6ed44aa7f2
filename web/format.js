// Dates, times and numbers through Intl, in the reader's language and zone
// (STYLE.md 10.10). useFormat() binds them to the Lang and Session contexts.
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
