// Helpers for the account, access and vault tests: read what the outbox
// would mail (the real path of a link), and a browser-like client that
// keeps a session cookie and its CSRF token.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PG, sql as sqlText } from './helpers.mjs';

// Run SQL on the data dir's database, whichever the engine; rows as objects.
// It waits for a server writing at the same moment instead of failing.
// On PostgreSQL a statement that changes rows answers its RETURNING rows.
export function sql(dir, query) {
  if (PG && /^\s*(UPDATE|INSERT|DELETE)\b/i.test(query)) {
    if (!/\bRETURNING\b/i.test(query)) {
      sqlText(dir, query);
      return [];
    }
    return JSON.parse(sqlText(dir, `WITH x AS (${query}) SELECT COALESCE(json_agg(x), '[]') FROM x`) || '[]');
  }
  if (PG) return JSON.parse(sqlText(dir, `SELECT COALESCE(json_agg(x), '[]') FROM (${query}) x`) || '[]');
  const out = execFileSync('sqlite3', ['-json', '-cmd', '.timeout 10000', join(dir, 'ayuda.db'), query], { encoding: 'utf8' });
  return out.trim() ? JSON.parse(out) : [];
}

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

// The newest outbox row of a kind for a recipient, with its payload parsed.
export function outbox(dir, kind, to) {
  const rows = sql(dir, `SELECT id, kind, recipient, payload, ticket_id FROM outbox WHERE kind = ${q(kind)}` +
    (to ? ` AND recipient = ${q(to)}` : '') + ' ORDER BY id DESC LIMIT 1');
  if (!rows.length) return null;
  return { ...rows[0], payload: JSON.parse(rows[0].payload) };
}

export function outboxCount(dir, kind, to) {
  return sql(dir, `SELECT COUNT(*) AS n FROM outbox WHERE kind = ${q(kind)} AND recipient = ${q(to)}`)[0].n;
}

// The token in a mailed link ("...#token=HEX").
export function linkToken(dir, kind, to) {
  const row = outbox(dir, kind, to);
  if (!row) return null;
  const m = row.payload.link.match(/#token=([0-9a-f]{64})$/);
  return m ? m[1] : null;
}

// A browser: cookie jar of one cookie, and the CSRF token from log in.
export class Browser {
  constructor(srv) { this.srv = srv; this.cookie = null; this.csrf = null; }

  async req(method, path, { json, csrf = true, headers = {} } = {}) {
    const h = { ...headers };
    if (this.cookie) h.Cookie = `ayuda_session=${this.cookie}`;
    if (csrf && this.csrf && !['GET', 'HEAD'].includes(method)) h['X-CSRF-Token'] = this.csrf;
    let body;
    if (json !== undefined) { h['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
    const res = await fetch(this.srv.url + path, { method, headers: h, body });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const m = setCookie.match(/ayuda_session=([^;]*)/);
      if (m) this.cookie = m[1] || null;
    }
    const text = await res.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON */ }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async login(email, password) {
    const r = await this.req('POST', '/api/v1/auth/login', { json: { email, password } });
    if (r.status === 200) this.csrf = r.body.csrf_token;
    return r;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Poll fn until it returns a truthy value (or fail after ms).
export async function until(fn, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(100);
  }
}
