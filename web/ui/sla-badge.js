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

// "2 h 5 min", "45 min" of the clock the level counts in; a calendar
// clock (the 60-day development review) counts whole days: "59 d 23 h".
export function duration(f, minutes, clock) {
  const m = Math.abs(Math.round(minutes));
  const unit = (n, u) => f.number(n, { style: 'unit', unit: u, unitDisplay: 'short' });
  if (clock === 'calendar' && m >= 1440) {
    const d = Math.floor(m / 1440);
    const h = Math.floor((m % 1440) / 60);
    return h ? `${unit(d, 'day')} ${unit(h, 'hour')}` : unit(d, 'day');
  }
  if (m >= 60) return m % 60 ? `${unit(Math.floor(m / 60), 'hour')} ${unit(m % 60, 'minute')}` : unit(m / 60, 'hour');
  return unit(m, 'minute');
}

// The agent's countdown: the time left of the target in the clock it counts
// in (business or calendar), refreshed with the row. Its tone: "risk" from
// 80 % of the target used, "breached" past it, "paused" while waiting for
// the customer; each also said in words and with a sign.
export function slaTone(sla) {
  if (!sla || !sla.state || sla.state === 'none') return 'none';
  if (sla.breached || sla.state === 'breached') return 'breached';
  if (sla.paused || sla.state === 'paused') return 'paused';
  if (sla.state === 'met') return 'met';
  return sla.used >= 0.8 ? 'risk' : 'running';
}

export function SlaClock({ sla }) {
  const f = useFormat();
  const tone = slaTone(sla);
  if (tone === 'none') return html`<span class="sla-clock sla-clock-none">${t('sla.clock.none')}</span>`;
  // From a day on, whole hours ("quedan 119 h"): a long target's minutes
  // are noise in a queue's row, and they widened it past its column.
  const rest = sla.remaining_minutes;
  const left = rest != null && Math.abs(rest) >= 1440 && sla.clock !== 'calendar' ? Math.round(rest / 60) * 60 : rest;
  // The duration never breaks inside ("23 h 59 min" stays on one line).
  const d = left == null ? '' : duration(f, left, sla.clock).replace(/ /g, '\u00a0');
  const word = {
    running: t('sla.clock.left', { d }),
    risk: t('sla.clock.risk', { d }),
    breached: left != null && left < 0 ? t('sla.clock.over', { d }) : t('sla.state.breached'),
    paused: t('sla.state.paused'),
    met: t('sla.state.met'),
  }[tone];
  const sign = { running: '◷', risk: '⚠', breached: '✕', paused: '‖', met: '✓' }[tone];
  const clock = sla.clock === 'calendar' ? t('sla.clock.calendar') : t('sla.clock.business');
  return html`<span class=${`sla-clock sla-clock-${tone}`}
    title=${sla.due_at ? `${t('sla.clock.due_at', { when: f.dateTime(sla.due_at) })} · ${clock}` : clock}>
    <span aria-hidden="true" class="sla-sign">${sign}</span> ${word}
  </span>`;
}
