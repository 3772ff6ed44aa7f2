// Text a person has typed but not sent survives a reload or a trip to the
// log-in page: kept in sessionStorage under a key until cleared.
import { useState } from '../vendor/hooks.js';

// const [body, setBody, clearBody] = useDraft('reply:7', '');
export function useDraft(key, initial = '') {
  const k = `draft:${key}`;
  const [value, set] = useState(() => {
    const saved = sessionStorage.getItem(k);
    return saved === null ? initial : saved;
  });
  const setValue = (v) => {
    set(v);
    if (v) sessionStorage.setItem(k, v);
    else sessionStorage.removeItem(k);
  };
  const clear = () => { set(initial); sessionStorage.removeItem(k); };
  return [value, setValue, clear];
}
