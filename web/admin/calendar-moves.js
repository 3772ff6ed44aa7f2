// "¿Qué cambiaría?": the running deadlines a holiday or closure not yet
// saved would move (POST /calendars/NAME/what-if), each with its due time
// now and after, and by how much in business and wall time.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { useFormat } from '../format.js';
import { duration } from '../ui/sla-badge.js';

// "+10 h 30 min" / "−2 h": a signed duration.
const signed = (f, m, clock) => `${m < 0 ? '−' : '+'}${duration(f, m, clock)}`;

// moves: the what-if's answer, or null before one was asked.
export function Moves({ moves, id }) {
  const f = useFormat();
  if (!moves) return null;
  const n = moves.moved.length;
  const caption = n ? t('adm.cal.moves.caption', { n }) : t('adm.cal.moves.none');
  return html`<div class="adm-cal-moves" id=${id} role="status">
    ${!n && html`<p>${caption}</p>`}
    ${n > 0 && html`<div class="table-scroll" tabindex="0" role="region" aria-label=${caption}>
      <table>
        <caption>${caption}</caption>
        <thead><tr>
          <th scope="col">${t('adm.cal.moves.ticket')}</th>
          <th scope="col">${t('adm.cal.moves.before')}</th>
          <th scope="col">${t('adm.cal.moves.after')}</th>
          <th scope="col">${t('adm.cal.moves.business')}</th>
          <th scope="col">${t('adm.cal.moves.wall')}</th>
        </tr></thead>
        <tbody>${moves.moved.map((m) => html`<tr>
          <th scope="row"><a href=${`/agente/tickets/${m.ticket}`}>Ticket#${m.ticket}</a> ${m.subject}</th>
          <td><time datetime=${m.due_before}>${f.dateTime(m.due_before)}</time></td>
          <td><time datetime=${m.due_after}>${f.dateTime(m.due_after)}</time></td>
          <td>${signed(f, m.business_minutes)}</td>
          <td>${signed(f, m.wall_minutes, 'calendar')}</td>
        </tr>`)}</tbody>
      </table>
    </div>`}
  </div>`;
}
