// Who else is on a ticket: the heartbeat this console sends (POST
// /tickets/N/presence, "writing" while the answer has text, "viewing"
// otherwise; at once when that changes, then every 12 s) and the note that
// shows the others, with an icon and words (never colour alone), on the
// ticket and on its queue row.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings } from '../i18n.js';
import { api } from '../api.js';

await loadStrings('agente');

export const BEAT_MS = 12000;

// others = usePresence(n, writing, live): live is the feed's list for this
// ticket (useChanges), fresher than the heartbeat's answer once it came.
export function usePresence(n, writing, live) {
  const [others, setOthers] = useState([]);
  const mode = writing ? 'writing' : 'viewing';
  const current = useRef(mode);
  current.current = mode;
  useEffect(() => {
    const beat = () => api.post(`/tickets/${n}/presence`, { mode: current.current }).then((o) => setOthers(o.others || []), () => {});
    const id = setInterval(beat, BEAT_MS);
    return () => { clearInterval(id); api.del(`/tickets/${n}/presence`).catch(() => {}); };
  }, [n]);
  useEffect(() => {
    api.post(`/tickets/${n}/presence`, { mode }).then((o) => setOthers(o.others || []), () => {});
  }, [n, mode]);
  return live || others;
}

const ICONS = {
  writing: html`<svg class="presence-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
    <path d="M11.5 1.5l3 3-8.5 8.5H3v-3z M2 15h12" fill="none" stroke="currentColor" stroke-width="1.6" /></svg>`,
  viewing: html`<svg class="presence-icon" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
    <path d="M1 8s2.6-5 7-5 7 5 7 5-2.6 5-7 5-7-5-7-5z" fill="none" stroke="currentColor" stroke-width="1.6" />
    <circle cx="8" cy="8" r="2.2" fill="currentColor" /></svg>`,
};

// <PresenceNote others=${list} where="row|ticket" />: nothing when alone.
export function PresenceNote({ others, where = 'ticket' }) {
  if (!others || !others.length) return null;
  const line = (o) => {
    const mode = o.mode === 'writing' ? 'writing' : 'viewing';
    const text = where === 'row' ? (mode === 'writing' ? t('live.row_writing', { name: o.user.name }) : t('live.row_viewing', { name: o.user.name }))
      : mode === 'writing' ? t('agticket.other_writing', { name: o.user.name }) : t('agticket.other_viewing', { name: o.user.name });
    return html`<li class=${`presence presence-${mode}`}>${ICONS[mode]}${text}</li>`;
  };
  return html`<ul class=${`presence-list presence-${where}`} aria-label=${t('live.others')}>${others.map(line)}</ul>`;
}
