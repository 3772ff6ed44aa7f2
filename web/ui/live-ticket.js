// A ticket kept fresh: polled every few seconds with If-None-Match (a 304
// moves nothing), ten times slower while the tab is hidden. The console
// polls its feed of changes instead and asks seldom (every = 60000),
// calling reload() when the feed names the ticket.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { api } from '../api.js';

const POLL_MS = 3000;

// The ticket, kept fresh: [ticket, error, replace(ticket), reload()].
export function useLiveTicket(n, every = POLL_MS) {
  const [tk, setTk] = useState(null);
  const [error, setError] = useState(null);
  const etag = useRef('');
  const kick = useRef(() => {});
  useEffect(() => {
    const ctl = new AbortController();
    let timer;
    etag.current = '';
    const tick = async () => {
      clearTimeout(timer);
      try {
        const out = await api.getIfChanged(`/tickets/${n}`, etag.current, ctl.signal);
        etag.current = out.etag;
        if (out.data) setTk(out.data);
        setError(null);
      } catch (e) {
        if (e.name === 'AbortError') return;
        setError(e);
        if (e.status === 404 || e.status === 401) return;
      }
      clearTimeout(timer);
      timer = setTimeout(tick, document.hidden ? every * 10 : every);
    };
    kick.current = tick;
    tick();
    return () => { ctl.abort(); clearTimeout(timer); };
  }, [n, every]);
  const replace = (next) => { etag.current = ''; setTk((old) => ({ ...old, ...next, messages: next.messages || old.messages })); };
  return [tk, error, replace, () => kick.current()];
}
