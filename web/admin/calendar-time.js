// A calendar's wall time in the admin's forms: <input type=datetime-local>
// values ('YYYY-MM-DDTHH:MM') read in the calendar's zone, not the browser's.
import { wall, instant } from '../format.js';

// Now (or the instant at), as a datetime-local value in zone.
export function localNow(zone, at = new Date()) {
  const w = wall(at, zone);
  return `${w.date}T${w.hm}`;
}

// A datetime-local value in zone as an ISO 8601 instant ('…Z'); '' when
// it is not one.
export function toInstant(local, zone) {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(local || '');
  return m ? instant(m[1], m[2], zone).toISOString().replace('.000Z', 'Z') : '';
}
