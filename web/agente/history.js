// The ticket's immutable history (GET /tickets/N/events) on a timeline:
// what happened, when, and the details the event carries.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { api } from '../api.js';
import { Time } from '../ui/time.js';

const shown = (v) => (v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));

export function History({ n, version }) {
  const [events, setEvents] = useState(null);
  useEffect(() => api.get(`/tickets/${n}/events`, (out) => setEvents(out.events), () => setEvents([])), [n, version]);
  if (!events) return null;
  return html`<details class="details ag-history">
    <summary>${t('agticket.history', { n: events.length })}</summary>
    <ol class="timeline">
      ${events.map((e) => html`<li key=${e.id}>
        <${Time} iso=${e.at} />
        <strong>${has(`event.${e.kind}`) ? t(`event.${e.kind}`) : e.kind}</strong>
        ${Object.keys(e.data || {}).length > 0 && html`<span class="timeline-data">${Object.entries(e.data).map(([k, v]) => `${k}: ${shown(v)}`).join(' · ')}</span>`}
      </li>`)}
    </ol>
  </details>`;
}
