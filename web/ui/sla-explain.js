// Why a deadline is where it is: the target, the start, each stretch of
// open time counted, what was skipped, each pause, the due time. The same
// rendering for a ticket (the agent console's "¿Por qué este plazo?", GET
// /tickets/N/sla/explain, with its level and rule) and for a start and a
// target on a calendar (the admin's what-if, GET /calendars/NAME/due).
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useFormat } from '../format.js';
import { duration } from './sla-badge.js';

const DAY = 86400000;

// x: the API's explanation; level and rule only for a ticket's.
export function ExplainBody({ x }) {
  const f = useFormat();
  // A stretch within one day names the day once: "10 dic 2026, 8:00 – 15:00".
  const span = (a, b) => `${f.dateTime(a)} – ${f.date(a) === f.date(b) ? f.time(b) : f.dateTime(b)}`;
  // Whole days skipped (a holiday, a weekend) are named as days.
  const days = (s) => {
    const ms = Date.parse(s.to) - Date.parse(s.from);
    if (s.kind === 'night' || ms <= 0 || ms % DAY) return span(s.from, s.to);
    const last = new Date(Date.parse(s.to) - DAY).toISOString();
    return ms === DAY ? f.date(s.from) : `${f.date(s.from)} – ${f.date(last)}`;
  };
  const clock = x.level ? x.level.clock : x.clock;
  return html`<div>
    ${x.level && html`<p><strong>${x.level.name}</strong>: ${x.rule.reason}</p>`}
    <p>${t('explain.target', { d: duration(f, x.target_minutes), clock: t(`sla.clock.${clock}`) })}</p>
    ${x.start && html`<p>${t('explain.start', { when: f.dateTime(x.start) })}</p>`}
    ${x.stretches.length > 0 && html`<h3>${t('explain.counted')}</h3>
      <ul>${x.stretches.map((s) => html`<li>${span(s.from, s.to)}: ${duration(f, s.minutes)} (${t('explain.total', { d: duration(f, s.total) })})</li>`)}</ul>`}
    ${x.skipped.length > 0 && html`<h3>${t('explain.skipped')}</h3>
      <ul>${x.skipped.map((s) => html`<li>${t(`explain.kind.${s.kind}`)}${s.name ? ` (${s.name})` : ''}: ${days(s)}</li>`)}</ul>`}
    ${x.pauses.length > 0 && html`<h3>${t('explain.pauses')}</h3>
      <ul>${x.pauses.map((p) => html`<li>${span(p.from, p.to)}: ${t('explain.added', { d: duration(f, p.added_minutes) })}</li>`)}</ul>`}
    <p><strong>${x.due_at ? t('explain.due', { when: f.dateTime(x.due_at) }) : t('explain.no_due')}</strong></p>
  </div>`;
}
