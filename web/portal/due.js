// Where a ticket's clock stands, in words and with what it means: the due
// time in business hours ("horario laboral"), or paused ("en pausa").
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { useFormat } from '../format.js';

export function Due({ sla }) {
  const f = useFormat();
  if (!sla) return null;
  const level = has(`sla.level.${sla.level}`) ? t(`sla.level.${sla.level}`) : (sla.name || sla.level);
  const state = sla.state || 'none';
  let clock;
  if (state === 'running' && sla.due_at) {
    clock = html`<p class="due-when">${t('due.running')} <strong><time datetime=${sla.due_at}>${f.dayTime(sla.due_at)}</time></strong>${` (${f.relative(sla.due_at)})`}</p>
      <p class="hint"><strong>${t('due.business')}</strong>${': '}${t('due.business_means')}</p>`;
  } else if (state === 'paused') {
    clock = html`<p class="due-when"><strong>${t('due.paused')}</strong></p>
      <p class="hint">${t('due.paused_means')}</p>`;
  } else if (has(`due.${state}`)) {
    clock = html`<p class="due-when">${t(`due.${state}`)}</p>`;
  } else {
    clock = html`<p class="due-when">${sla.level === 'unidentified' ? t('new.sent_no_due') : t('due.none')}</p>`;
  }
  return html`<div class=${`due due-${state}`}>
    <p class="due-level"><span class="sla-level">${t('due.level', { level })}</span></p>
    ${sla.reason && html`<p class="hint">${sla.reason}</p>`}
    ${clock}
  </div>`;
}
