// A ticket's service level and where its clock stands: words, not colour
// alone ("Comercial · vence en 3 h", "en pausa").
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { useFormat } from '../format.js';

// sla: the `sla` object of a ticket: { level, state, due_at, remaining_minutes }
export function SlaBadge({ sla }) {
  const f = useFormat();
  if (!sla) return null;
  const level = has(`sla.level.${sla.level}`) ? t(`sla.level.${sla.level}`) : sla.level;
  const state = sla.state || 'none';
  let when = '';
  if (state === 'running' && sla.due_at) when = t('sla.due', { when: f.relative(sla.due_at) });
  else if (state !== 'none' && has(`sla.state.${state}`)) when = t(`sla.state.${state}`);
  return html`<span class=${`sla-badge sla-${state}`}>
    <span class="sla-level">${level}</span>
    ${when && html`<span class="sla-when">${sla.due_at ? html`<time datetime=${sla.due_at} title=${f.dateTime(sla.due_at)}>${when}</time>` : when}</span>`}
  </span>`;
}
