// Accounts: register, verify by link, log in and out, sessions and CSRF,
// throttling, password reset and change, email change, headers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { PG, newDataDir, serve, stop, cleanup, api, pgSchema } from './helpers.mjs';
import { Browser, linkToken, outbox, outboxCount, sql } from './auth_helpers.mjs';

const ENV = { AYUDA_PWHASH_FAST: '1' };
let dir, srv;

before(async () => {
  dir = newDataDir();
  srv = await serve(dir, ENV);
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

// Everything the database holds, as bytes: the SQLite file and its WAL,
// or on PostgreSQL a dump of the data dir's schema.
function stored(d) {
  if (PG) return execFileSync('pg_dump', ['--data-only', '--schema', pgSchema(d), process.env.AYUDA_STORE_URL]);
  const wal = join(d, 'ayuda.db-wal');
  return Buffer.concat([readFileSync(join(d, 'ayuda.db')), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
}

async function register(email, password = 'correcto-caballo-1') {
  return api(srv, 'POST', '/api/v1/auth/register', {
    json: { name: 'Rosa Díaz', email, password, position: 'Gerente TI', company: 'Ferretería Díaz', phone: '+51 999 111 222', lang: 'es' },
  });
}

async function registered(email, password = 'correcto-caballo-1') {
  assert.equal((await register(email, password)).status, 202);
  const tok = linkToken(dir, 'account_verify', email);
  assert.equal((await api(srv, 'POST', '/api/v1/auth/verify', { json: { token: tok } })).status, 200);
}

test('register, verify by the mailed link, log in', async () => {
  const r = await register('rosa@ferreteria.pe');
  assert.equal(r.status, 202);
  const mail = outbox(dir, 'account_verify', 'rosa@ferreteria.pe');
  assert.ok(mail, 'a verification mail is queued');
  assert.equal(mail.payload.name, 'Rosa Díaz');
  assert.match(mail.payload.link, /^http:\/\/127\.0\.0\.1:8080\/account\/verify#token=[0-9a-f]{64}$/);
  // The password is stored as an argon2id string, never in clear.
  const [u] = sql(dir, "SELECT password_hash, company_id, company_claimed, verified_at FROM users WHERE email = 'rosa@ferreteria.pe'");
  assert.match(u.password_hash, /^\$argon2id\$/);
  assert.equal(u.company_id, null, 'a claimed company is not a link to it');
  assert.equal(u.company_claimed, 'Ferretería Díaz');
  assert.equal(u.verified_at, null);

  const b = new Browser(srv);
  const early = await b.login('rosa@ferreteria.pe', 'correcto-caballo-1');
  assert.equal(early.status, 403);
  assert.equal(early.body.error.code, 'email_not_verified');

  const tok = linkToken(dir, 'account_verify', 'rosa@ferreteria.pe');
  assert.equal((await api(srv, 'POST', '/api/v1/auth/verify', { json: { token: tok } })).status, 200);
  const again = await api(srv, 'POST', '/api/v1/auth/verify', { json: { token: tok } });
  assert.equal(again.status, 400, 'a link works once');

  const ok = await b.login('rosa@ferreteria.pe', 'correcto-caballo-1');
  assert.equal(ok.status, 200);
  assert.equal(ok.body.user.email, 'rosa@ferreteria.pe');
  assert.equal(ok.body.user.role, 'customer');
  assert.match(ok.body.csrf_token, /^[0-9a-f]{64}$/);
  const cookie = ok.headers.get('set-cookie');
  assert.match(cookie, /^ayuda_session=[0-9a-f]{64};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Lax/);
  assert.match(cookie, /Path=\//);
  assert.doesNotMatch(cookie, /Secure/, 'plain http: no Secure flag');
  // Only a hash of the session id is stored.
  const db = stored(dir);
  assert.ok(db.indexOf('rosa@ferreteria.pe') >= 0, 'the stored data was read');
  assert.equal(db.indexOf(b.cookie), -1);

  const me = await b.req('GET', '/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.email, 'rosa@ferreteria.pe');
  const s = await b.req('GET', '/api/v1/auth/session');
  assert.equal(s.body.via, 'cookie');
  assert.equal(s.body.csrf_token, b.csrf);
});

test('registering a taken address answers the same and tells its owner', async () => {
  const r = await register('maria@acme.pe');
  const fresh = await register('nuevo.usuario@acme.pe');
  assert.equal(r.status, 202);
  assert.deepEqual(r.body, fresh.body);
  assert.ok(outbox(dir, 'account_exists', 'maria@acme.pe'));
  assert.equal(outboxCount(dir, 'account_verify', 'maria@acme.pe'), 0);
  const weak = await register('otra.persona@acme.pe', 'corta');
  assert.equal(weak.status, 422);
  assert.equal(weak.body.error.field, 'password');
  const bad = await register('no-es-un-correo');
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'email');
});

test('unknown email and wrong password get the same answer', async () => {
  const a = await api(srv, 'POST', '/api/v1/auth/login', { json: { email: 'nadie@ejemplo.pe', password: 'cualquier-cosa' } });
  const b = await api(srv, 'POST', '/api/v1/auth/login', { json: { email: 'jorge@acme.pe', password: 'cualquier-cosa' } });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.deepEqual(a.body, b.body);
  assert.equal(a.body.error.code, 'invalid_credentials');
});

test('a state-changing request with a cookie needs the session CSRF token', async () => {
  const b = new Browser(srv);
  assert.equal((await b.login('jorge@acme.pe', 'demo1234')).status, 200);
  const body = { subject: 'Con cookie', body: 'hola' };
  const none = await b.req('POST', '/api/v1/tickets', { json: body, csrf: false });
  assert.equal(none.status, 403);
  assert.equal(none.body.error.code, 'csrf');
  const guessed = await b.req('POST', '/api/v1/tickets', { json: body, csrf: false, headers: { 'X-CSRF-Token': randomBytes(32).toString('hex') } });
  assert.equal(guessed.status, 403);
  // The token of another session (an attacker's own) is refused too.
  const other = new Browser(srv);
  assert.equal((await other.login('pedro@bodegalibre.pe', 'demo1234')).status, 200);
  const replayed = await b.req('POST', '/api/v1/tickets', { json: body, csrf: false, headers: { 'X-CSRF-Token': other.csrf } });
  assert.equal(replayed.status, 403);
  const ok = await b.req('POST', '/api/v1/tickets', { json: body });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.requester.email, 'jorge@acme.pe');
  // Reads need no token.
  assert.equal((await b.req('GET', `/api/v1/tickets/${ok.body.number}`, { csrf: false })).status, 200);
});

test('guessed, malformed and replayed session ids are refused', async () => {
  const guess = new Browser(srv);
  guess.cookie = randomBytes(32).toString('hex');
  assert.equal((await guess.req('GET', '/api/v1/me')).status, 401);
  guess.cookie = "' OR 1=1 --";
  assert.equal((await guess.req('GET', '/api/v1/me')).status, 401);
  guess.cookie = 'A'.repeat(64);
  assert.equal((await guess.req('GET', '/api/v1/me')).status, 401);

  const b = new Browser(srv);
  assert.equal((await b.login('jorge@acme.pe', 'demo1234')).status, 200);
  const stolen = b.cookie;
  const stolenCsrf = b.csrf;
  const out = await b.req('POST', '/api/v1/auth/logout');
  assert.equal(out.status, 200);
  assert.match(out.headers.get('set-cookie'), /ayuda_session=;.*Max-Age=0/);
  const replay = new Browser(srv);
  replay.cookie = stolen;
  replay.csrf = stolenCsrf;
  assert.equal((await replay.req('GET', '/api/v1/me')).status, 401);
  assert.equal((await replay.req('POST', '/api/v1/tickets', { json: { subject: 'x', body: 'y' } })).status, 401);
});

test('login throttling: a growing delay after 5 failures, with a clear message', async () => {
  await registered('lento@ferreteria.pe', 'la-buena-clave');
  for (let i = 0; i < 5; i++) {
    const r = await api(srv, 'POST', '/api/v1/auth/login', { json: { email: 'lento@ferreteria.pe', password: `mala-${i}` } });
    assert.equal(r.status, 401);
  }
  // Now even the right password waits.
  const held = await api(srv, 'POST', '/api/v1/auth/login', { json: { email: 'lento@ferreteria.pe', password: 'la-buena-clave' } });
  assert.equal(held.status, 429);
  assert.equal(held.body.error.code, 'too_many_attempts');
  assert.match(held.body.error.message, /Espere \d+ segundos/);
  const wait = Number(held.headers.get('retry-after'));
  assert.ok(wait > 0 && wait <= 30, `Retry-After ${wait}`);
  // Unknown accounts are throttled alike (no hint that one exists).
  for (let i = 0; i < 5; i++)
    await api(srv, 'POST', '/api/v1/auth/login', { json: { email: 'fantasma@ferreteria.pe', password: `mala-${i}` } });
  const ghost = await api(srv, 'POST', '/api/v1/auth/login', { json: { email: 'fantasma@ferreteria.pe', password: 'x' } });
  assert.equal(ghost.status, 429);
  // The delay grows with every further failure.
  sql(dir, "UPDATE login_throttle SET locked_until = 0 WHERE key = 'acct:lento@ferreteria.pe'");
  await api(srv, 'POST', '/api/v1/auth/login', { json: { email: 'lento@ferreteria.pe', password: 'mala-otra-vez' } });
  const longer = await api(srv, 'POST', '/api/v1/auth/login', { json: { email: 'lento@ferreteria.pe', password: 'la-buena-clave' } });
  assert.equal(longer.status, 429);
  assert.ok(Number(longer.headers.get('retry-after')) > 30);
  // Other accounts from elsewhere are not affected.
  assert.equal((await new Browser(srv).login('maria@acme.pe', 'demo1234')).status, 200);
});

test('password reset by a single-use link drops every session', async () => {
  await registered('olvido@ferreteria.pe', 'clave-antigua-1');
  const b = new Browser(srv);
  assert.equal((await b.login('olvido@ferreteria.pe', 'clave-antigua-1')).status, 200);

  const unknown = await api(srv, 'POST', '/api/v1/auth/password-reset', { json: { email: 'nadie@ferreteria.pe' } });
  const known = await api(srv, 'POST', '/api/v1/auth/password-reset', { json: { email: 'olvido@ferreteria.pe' } });
  assert.equal(unknown.status, 202);
  assert.deepEqual(unknown.body, known.body, 'the answer tells nothing');
  assert.equal(outbox(dir, 'password_reset', 'nadie@ferreteria.pe'), null);
  const tok = linkToken(dir, 'password_reset', 'olvido@ferreteria.pe');
  assert.ok(tok);
  assert.match(outbox(dir, 'password_reset', 'olvido@ferreteria.pe').payload.link, /\/account\/reset#token=/);

  const bad = await api(srv, 'POST', '/api/v1/auth/password-reset/confirm', { json: { token: randomBytes(32).toString('hex'), password: 'clave-nueva-22' } });
  assert.equal(bad.status, 400);
  const ok = await api(srv, 'POST', '/api/v1/auth/password-reset/confirm', { json: { token: tok, password: 'clave-nueva-22' } });
  assert.equal(ok.status, 200);
  const twice = await api(srv, 'POST', '/api/v1/auth/password-reset/confirm', { json: { token: tok, password: 'otra-clave-33' } });
  assert.equal(twice.status, 400, 'single use');
  assert.equal((await b.req('GET', '/api/v1/me')).status, 401, 'sessions dropped');
  assert.equal((await new Browser(srv).login('olvido@ferreteria.pe', 'clave-antigua-1')).status, 401);
  assert.equal((await new Browser(srv).login('olvido@ferreteria.pe', 'clave-nueva-22')).status, 200);
  assert.ok(outbox(dir, 'password_changed', 'olvido@ferreteria.pe'));
  // A newer request kills the older link.
  await api(srv, 'POST', '/api/v1/auth/password-reset', { json: { email: 'olvido@ferreteria.pe' } });
  const first = linkToken(dir, 'password_reset', 'olvido@ferreteria.pe');
  await api(srv, 'POST', '/api/v1/auth/password-reset', { json: { email: 'olvido@ferreteria.pe' } });
  const r = await api(srv, 'POST', '/api/v1/auth/password-reset/confirm', { json: { token: first, password: 'clave-nueva-44' } });
  assert.equal(r.status, 400);
});

test('changing the password needs the current one and drops every session', async () => {
  await registered('cambio@ferreteria.pe', 'primera-clave-1');
  const a = new Browser(srv);
  const b = new Browser(srv);
  assert.equal((await a.login('cambio@ferreteria.pe', 'primera-clave-1')).status, 200);
  assert.equal((await b.login('cambio@ferreteria.pe', 'primera-clave-1')).status, 200);
  const wrong = await a.req('POST', '/api/v1/me/password', { json: { current_password: 'no-es-esta', new_password: 'segunda-clave-2' } });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.field, 'current_password');
  const ok = await a.req('POST', '/api/v1/me/password', { json: { current_password: 'primera-clave-1', new_password: 'segunda-clave-2' } });
  assert.equal(ok.status, 200);
  assert.equal((await a.req('GET', '/api/v1/me')).status, 401);
  assert.equal((await b.req('GET', '/api/v1/me')).status, 401);
  assert.equal((await new Browser(srv).login('cambio@ferreteria.pe', 'segunda-clave-2')).status, 200);
});

test('changing the email goes through a link sent to the new address', async () => {
  await registered('viejo@ferreteria.pe', 'mi-clave-segura');
  const b = new Browser(srv);
  assert.equal((await b.login('viejo@ferreteria.pe', 'mi-clave-segura')).status, 200);
  const r = await b.req('POST', '/api/v1/me/email', { json: { password: 'mi-clave-segura', email: 'Nuevo@Ferreteria.pe' } });
  assert.equal(r.status, 202);
  assert.equal((await b.req('GET', '/api/v1/me')).body.email, 'viejo@ferreteria.pe', 'not before the link');
  const tok = linkToken(dir, 'email_change_verify', 'nuevo@ferreteria.pe');
  assert.equal((await api(srv, 'POST', '/api/v1/auth/verify', { json: { token: tok } })).status, 200);
  assert.equal((await b.req('GET', '/api/v1/me')).body.email, 'nuevo@ferreteria.pe');
  assert.ok(outbox(dir, 'email_changed', 'viejo@ferreteria.pe'), 'the old address is told');
  assert.equal((await new Browser(srv).login('nuevo@ferreteria.pe', 'mi-clave-segura')).status, 200);
});

test('security headers on every answer', async () => {
  for (const path of ['/healthz', '/api/v1/me', '/api/v1/nope']) {
    const r = await api(srv, 'GET', path);
    const csp = r.headers.get('content-security-policy');
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'same-origin');
  }
});

test('sessions expire when idle, and absolutely', async () => {
  const T = 1893456000; // 2030-01-01
  const d = newDataDir();
  let s = await serve(d, { ...ENV, AYUDA_FAKE_NOW: String(T) });
  try {
    const b = new Browser(s);
    assert.equal((await b.login('jorge@acme.pe', 'demo1234')).status, 200);
    const c = new Browser(s);
    assert.equal((await c.login('maria@acme.pe', 'demo1234')).status, 200);
    await stop(s);
    // Idle for more than two hours: gone.
    s = await serve(d, { ...ENV, AYUDA_FAKE_NOW: String(T + 2 * 3600 + 1) });
    b.srv = s;
    assert.equal((await b.req('GET', '/api/v1/me')).status, 401);
    // Kept alive, but past the absolute expiry of 24 h: gone as well.
    sql(d, `UPDATE sessions SET last_seen_at = ${T + 24 * 3600}`);
    await stop(s);
    s = await serve(d, { ...ENV, AYUDA_FAKE_NOW: String(T + 24 * 3600 + 1) });
    c.srv = s;
    assert.equal((await c.req('GET', '/api/v1/me')).status, 401);
    // A reset link lives one hour.
    await api(s, 'POST', '/api/v1/auth/password-reset', { json: { email: 'jorge@acme.pe' } });
    const tok = linkToken(d, 'password_reset', 'jorge@acme.pe');
    await stop(s);
    s = await serve(d, { ...ENV, AYUDA_FAKE_NOW: String(T + 25 * 3600 + 2) });
    const late = await api(s, 'POST', '/api/v1/auth/password-reset/confirm', { json: { token: tok, password: 'demasiado-tarde' } });
    assert.equal(late.status, 400);
  } finally {
    await stop(s);
    cleanup(d);
  }
});

test('the cookie is Secure when served over HTTPS', async () => {
  const d = newDataDir({ conf: '[server]\nbase_url = https://ayuda.example.pe\n' });
  const s = await serve(d, ENV);
  try {
    const b = new Browser(s);
    const r = await b.login('jorge@acme.pe', 'demo1234');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('set-cookie'), /; Secure/);
  } finally {
    await stop(s);
    cleanup(d);
  }
});
