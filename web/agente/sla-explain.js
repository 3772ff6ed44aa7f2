// "¿Por qué este plazo?": how the due time was computed
// (GET /tickets/N/sla/explain): the level and the rule that chose it, the
// start, each stretch of open time counted, what was skipped, each pause.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useFormat } from '../format.js';
import { duration } from '../ui/sla-badge.js';

export function SlaExplain({ n }) {
  const f = useFormat();
  const [x, setX] = useState(null);
  const [error, setError] = useState('');
  const load = (open) => { if (open && !x) api.get(`/tickets/${n}/sla/explain`, setX, (e) => setError(errorMessage(e))); };
  // A stretch within one day names the day once: "10 dic 2026, 8:00 – 15:00".
  const span = (a, b) => `${f.dateTime(a)} – ${f.date(a) === f.date(b) ? f.time(b) : f.dateTime(b)}`;
  // Whole days skipped (a holiday, a weekend) are named as days.
  const DAY = 86400000;
  const days = (s) => {
    const ms = Date.parse(s.to) - Date.parse(s.from);
    if (s.kind === 'night' || ms <= 0 || ms % DAY) return span(s.from, s.to);
    const last = new Date(Date.parse(s.to) - DAY).toISOString();
    return ms === DAY ? f.date(s.from) : `${f.date(s.from)} – ${f.date(last)}`;
  };
  return html`<details class="details ag-explain" onToggle=${(e) => load(e.currentTarget.open)}>
    <summary>${t('explain.title')}</summary>
    ${error && html`<p class="error-message">${error}</p>`}
    ${x && html`<div>
      <p><strong>${x.level.name}</strong>: ${x.rule.reason}</p>
      <p>${t('explain.target', { d: duration(f, x.target_minutes), clock: t(`sla.clock.${x.level.clock}`) })}</p>
      ${x.start && html`<p>${t('explain.start', { when: f.dateTime(x.start) })}</p>`}
      ${x.stretches.length > 0 && html`<h3>${t('explain.counted')}</h3>
        <ul>${x.stretches.map((s) => html`<li>${span(s.from, s.to)}: ${duration(f, s.minutes)} (${t('explain.total', { d: duration(f, s.total) })})</li>`)}</ul>`}
      ${x.skipped.length > 0 && html`<h3>${t('explain.skipped')}</h3>
        <ul>${x.skipped.map((s) => html`<li>${t(`explain.kind.${s.kind}`)}${s.name ? ` (${s.name})` : ''}: ${days(s)}</li>`)}</ul>`}
      ${x.pauses.length > 0 && html`<h3>${t('explain.pauses')}</h3>
        <ul>${x.pauses.map((p) => html`<li>${span(p.from, p.to)}: ${t('explain.added', { d: duration(f, p.added_minutes) })}</li>`)}</ul>`}
      <p><strong>${x.due_at ? t('explain.due', { when: f.dateTime(x.due_at) }) : t('explain.no_due')}</strong></p>
    </div>`}
  </details>`;
}
