// One history event as a sentence a person reads ("Álvaro cambió el estado
// de «Nuevo» a «Abierto»."), never an internal code: the catalogs have
// "agevent.<kind>" for every kind src/ writes (tests/web/events.test.mjs),
// with variants where the data says more (unassigned, late, a message's
// kind). names(id) gives a user's name; f is useFormat().
import { t, tn, has } from '../i18n.js';

const when = (f, unix) => (unix ? f.dateTime(new Date(unix * 1000).toISOString()) : '—');
const word = (prefix, code) => (code && has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : code || '—');

// The variant of a kind the data asks for, or the kind itself.
function variant(e) {
  const d = e.data || {};
  if (e.kind === 'ticket.assigned' && !d.to) return 'ticket.unassigned';
  if (e.kind === 'message.added' && has(`agevent.message.${d.kind}`)) return `message.${d.kind}`;
  if (e.kind === 'sla.met' && d.on_time === false) return 'sla.met_late';
  if (e.kind === 'sla.level' && !d.from) return 'sla.level_first';
  if (e.kind === 'sla.due_moved' && d.breach_lifted) return 'sla.due_moved_lifted';
  return e.kind;
}

export function eventText(e, names, f) {
  const d = e.data || {};
  const actor = e.actor ? names(e.actor) : t('agevent.system');
  const params = {
    actor,
    from: d.from, to: d.to, reason: d.reason, label: d.label, days: d.days, value: d.value,
    n: d.number, rating: d.rating,
    channel: word('agevent.channel', d.channel),
    due: when(f, d.review_due_at),
    used: d.used_minutes != null ? f.number(d.used_minutes) : '—',
  };
  if (e.kind === 'ticket.status' || e.kind === 'ticket.reopened') {
    params.from = word('ag.status', d.from);
    params.to = word('ag.status', d.to);
  } else if (e.kind === 'ticket.category') {
    params.from = word('ag.category', d.from);
    params.to = word('ag.category', d.to);
  } else if (e.kind === 'ticket.assigned') {
    params.to = d.to ? names(d.to) : '';
  } else if (e.kind === 'sla.level') {
    params.from = word('sla.level', d.from);
    params.to = word('sla.level', d.to);
  } else if (e.kind === 'ticket.fields') {
    params.fields = Object.keys(d).map((k) => word('agevent.field', k)).join(', ');
  } else if (e.kind === 'sla.due_moved') {
    params.from = when(f, d.due_before);
    params.to = when(f, d.due_after);
    // Its title as it was then (kept in the event); an older event has
    // only the code.
    params.calendar = d.calendar_title || d.calendar;
  } else if (e.kind === 'vault.destroyed') {
    params.reason = word('agevent.destroyed', d.reason);
  }
  const kind = variant(e);
  if (!has(`agevent.${kind}`)) return t('agevent.unknown', { actor });
  const filled = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v == null ? '—' : v]));
  // A sentence that counts days has its singular ("1 día").
  return d.days != null ? tn(`agevent.${kind}`, d.days, filled) : t(`agevent.${kind}`, filled);
}
