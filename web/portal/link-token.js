// The token of a link we mailed (/account/verify#token=T): read once from
// the fragment, which browsers never send to a server, then taken off the
// address bar so it does not linger in history or screenshots.
let taken = null;

export function linkToken() {
  const tok = new URLSearchParams(location.hash.slice(1)).get('token');
  if (tok) {
    taken = { path: location.pathname, tok };
    history.replaceState(history.state, '', location.pathname + location.search);
  }
  return taken && taken.path === location.pathname ? taken.tok : '';
}
