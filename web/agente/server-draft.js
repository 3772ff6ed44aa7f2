// An unsent answer or note, kept on the server per agent, ticket and kind
// (PUT /tickets/N/drafts/KIND a second after the last key), so it comes
// back after a reload, a crash or on another computer. Until the server has
// it, a copy waits in localStorage: text typed as the session expired (the
// PUT answers 401, the agent logs in again) is not lost, and is sent once
// the page is back.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { api } from '../api.js';
import { useSession } from '../context.js';

// const [body, setBody, clear] = useServerDraft(n, 'reply');
export function useServerDraft(n, kind) {
  const { user } = useSession();
  const [body, setBody] = useState('');
  const timer = useRef(0);
  const local = `agdraft:${user ? user.id : 0}:${n}:${kind}`;
  const save = (v) => api.put(`/tickets/${n}/drafts/${kind}`, { body: v }).then(
    () => { if (localStorage.getItem(local) === v) localStorage.removeItem(local); },
    () => {},
  );
  useEffect(() => {
    const unsent = localStorage.getItem(local);
    if (unsent !== null) {
      setBody((old) => old || unsent);
      save(unsent);
      return undefined;
    }
    return api.get(`/tickets/${n}/drafts`, (out) => {
      const d = (out.drafts || []).find((x) => x.kind === kind);
      if (d) setBody((old) => old || d.body);
    }, () => {});
  }, [local]);
  const edit = (v) => {
    setBody(v);
    localStorage.setItem(local, v);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => save(v), 1000);
  };
  const clear = () => { clearTimeout(timer.current); localStorage.removeItem(local); setBody(''); };
  return [body, edit, clear];
}
