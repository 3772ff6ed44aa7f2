// The console's live feed (docs/api-agent.md section 8): one cheap poll of
// GET /changes?since=SEQ&presence=N1,N2 every 3 s (30 s while the tab is
// hidden, at once when it shows again). onChange(numbers) runs only when
// tickets changed; the answer also says who is on the tickets on screen
// now, so the rows' presence follows without fetching the page again.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { api } from '../api.js';

export const LIVE_MS = 3000;

// { number: [{ user, mode, until }] } from the flat list of the answer;
// [] for a ticket asked about with nobody on it.
function byTicket(list, asked) {
  const out = {};
  for (const n of asked) out[n] = [];
  for (const p of list || []) (out[p.number] ||= []).push({ user: p.user, mode: p.mode, until: p.until });
  return out;
}
const sameWho = (list) => JSON.stringify((list || []).map((p) => [p.number, p.user.id, p.mode]));

// const presence = useChanges((numbers) => reload(), [7]);  watch: the
// ticket numbers on screen (at most 100); presence: null until the first
// answer, then { number: others }.
export function useChanges(onChange, watch) {
  const [presence, setPresence] = useState(null);
  const cb = useRef(onChange);
  cb.current = onChange;
  const asked = useRef(watch);
  asked.current = (watch || []).slice(0, 100);
  useEffect(() => {
    const ctl = new AbortController();
    let seq = null;
    let timer = 0;
    let busy = false;
    let who = null;
    const tick = async () => {
      if (busy) return;
      busy = true;
      clearTimeout(timer);
      let again = false;
      try {
        const since = seq === null ? '' : `since=${seq}&`;
        const watching = asked.current;
        const out = await api.request('GET', `/changes?${since}presence=${watching.join(',')}`, undefined, { signal: ctl.signal });
        if (seq !== null && out.tickets.length) cb.current(out.tickets);
        seq = out.seq;
        again = out.more;
        const key = watching.join(',') + sameWho(out.presence);
        if (key !== who) { who = key; setPresence(byTicket(out.presence, watching)); }
      } catch (e) {
        if (e.name === 'AbortError') return;
      } finally {
        busy = false;
      }
      timer = setTimeout(tick, again ? 0 : document.hidden ? LIVE_MS * 10 : LIVE_MS);
    };
    const onShow = () => { if (!document.hidden) tick(); };
    document.addEventListener('visibilitychange', onShow);
    tick();
    return () => { ctl.abort(); clearTimeout(timer); document.removeEventListener('visibilitychange', onShow); };
  }, []);
  return presence;
}
