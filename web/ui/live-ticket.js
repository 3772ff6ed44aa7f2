// A ticket kept fresh: polled every few seconds with If-None-Match (a 304
// moves nothing), ten times slower while the tab is hidden.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { api } from '../api.js';

const POLL_MS = 3000;

// The ticket, kept fresh: [ticket, error, replace(ticket), reload()].
export function useLiveTicket(n) {
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
      timer = setTimeout(tick, document.hidden ? POLL_MS * 10 : POLL_MS);
    };
    kick.current = tick;
    tick();
    return () => { ctl.abort(); clearTimeout(timer); };
  }, [n]);
  const replace = (next) => { etag.current = ''; setTk((old) => ({ ...old, ...next, messages: next.messages || old.messages })); };
  return [tk, error, replace, () => kick.current()];
}
