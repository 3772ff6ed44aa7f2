// The support team (GET /users?role=staff), fetched once per page load:
// the "assign to" list and the names in the history.
import { useState, useEffect } from '../vendor/hooks.js';
import { api } from '../api.js';

let cached = null;

export function useStaff() {
  const [staff, setStaff] = useState([]);
  useEffect(() => {
    if (!cached) cached = api.request('GET', '/users?role=staff').then((o) => o.users.filter((u) => !u.disabled), () => { cached = null; return []; });
    let live = true;
    cached.then((list) => { if (live) setStaff(list); });
    return () => { live = false; };
  }, []);
  return staff;
}
