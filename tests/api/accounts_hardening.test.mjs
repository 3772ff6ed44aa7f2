// Accounts under attack (issue 8, items 5 to 7): answers that never tell
// whether an address has an account, capped link mail, log in throttling
// that slows guessing without locking people out, counted atomically, and
// X-Forwarded-For believed only from a configured proxy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, serve, stop, cleanup, api } from './helpers.mjs';
import { Browser, outbox, outboxCount, sql } from './auth_helpers.mjs';

const ENV = { AYUDA_PWHASH_FAST: '1' };
// Loopback is the proxy: each test speaks for clients of its own.
const CONF = '[server]\ntrusted_proxies = 127.0.0.1, ::1\n';
let dir, srv;

before(async () => {
  dir = newDataDir({ conf: CONF });
  srv = await serve(dir, ENV);
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

const from = (ip) => ({ 'X-Forwarded-For': ip });
const login = (email, password, ip, s = srv) =>
  api(s, 'POST', '/api/v1/auth/login', { json: { email, password }, headers: from(ip) });
const reset = (email, ip) =>
  api(srv, 'POST', '/api/v1/auth/password-reset', { json: { email }, headers: from(ip) });
const register = (email, ip, extra = {}) =>
  api(srv, 'POST', '/api/v1/auth/register', {
    json: { name: 'Rosa Díaz', email, password: 'correcto-caballo-1', lang: 'es', ...extra },
    headers: from(ip),
  });

test('register checks every field before looking the address up', async () => {
  for (const [field, extra] of [['timezone', { timezone: 'Marte/Olympus' }], ['timezone', { timezone: 5 }],
    ['lang', { lang: 'fr' }], ['password', { password: 'corta' }], ['name', { name: '' }]]) {
    const taken = await register('maria@acme.pe', '192.0.2.10', extra);
    const free = await register('nadie.aun@acme.pe', '192.0.2.10', extra);
    assert.equal(taken.status, 422, `${field}: taken address`);
    assert.equal(free.status, 422, `${field}: free address`);
    assert.deepEqual(taken.body, free.body, `${field}: the same answer`);
    assert.equal(taken.body.error.field, field);
  }
  assert.equal(outboxCount(dir, 'account_exists', 'maria@acme.pe'), 0, 'nothing mailed for an invalid request');
});

test('changing the email to a taken address answers as for a free one and tells its owner', async () => {
  const b = new Browser(srv);
  assert.equal((await b.login('jorge@acme.pe', 'demo1234')).status, 200);
  const taken = await b.req('POST', '/api/v1/me/email', { json: { password: 'demo1234', email: 'Pedro@BodegaLibre.pe' } });
  const free = await b.req('POST', '/api/v1/me/email', { json: { password: 'demo1234', email: 'jorge.nuevo@acme.pe' } });
  assert.equal(taken.status, 202);
  assert.deepEqual(taken.body, free.body);
  const mail = outbox(dir, 'email_taken', 'pedro@bodegalibre.pe');
  assert.ok(mail, 'the owner of the address is told');
  assert.match(mail.payload.link, /\/account\/reset$/);
  assert.equal(outboxCount(dir, 'email_change_verify', 'pedro@bodegalibre.pe'), 0, 'no link to take it over');
  assert.equal((await b.req('GET', '/api/v1/me')).body.email, 'jorge@acme.pe');
});

test('reset mail is capped per address, whether it has an account or not', async () => {
  for (const email of ['maria@acme.pe', 'fantasma@acme.pe']) {
    for (let i = 0; i < 5; i++)
      assert.equal((await reset(email, `192.0.2.${20 + i}`)).status, 202);
    const over = await reset(email, '192.0.2.30');
    assert.equal(over.status, 429, email);
    assert.equal(over.body.error.code, 'too_many_requests');
    const wait = Number(over.headers.get('retry-after'));
    assert.ok(wait > 3000 && wait <= 3600, `Retry-After ${wait}`);
  }
  assert.equal(outboxCount(dir, 'password_reset', 'maria@acme.pe'), 5);
  // Registration mail to that address counts too.
  assert.equal((await register('maria@acme.pe', '192.0.2.31')).status, 429);
});

test('link mail is capped per client', async () => {
  for (let i = 0; i < 30; i++)
    assert.equal((await reset(`persona${i}@ejemplo.pe`, '192.0.2.40')).status, 202, `request ${i}`);
  const over = await register('alguien.mas@ejemplo.pe', '192.0.2.40');
  assert.equal(over.status, 429);
  assert.equal(outboxCount(dir, 'account_verify', 'alguien.mas@ejemplo.pe'), 0);
  assert.equal((await register('alguien.mas@ejemplo.pe', '192.0.2.41')).status, 202, 'another client may');
});

test('a held-back address still lets a correct password in for an account without failures', async () => {
  const ip = '198.51.100.1';
  for (let i = 0; i < 20; i++)
    assert.equal((await login(`adivino${i}@ejemplo.pe`, 'x'.repeat(8), ip)).status, 401);
  // The address is held: guessing an account costs it that account.
  const guess = await login('pedro@bodegalibre.pe', 'quizas-esta', ip);
  assert.equal(guess.status, 401);
  const held = await login('pedro@bodegalibre.pe', 'demo1234', ip);
  assert.equal(held.status, 429, 'an account with failures waits');
  assert.equal(held.body.error.code, 'too_many_attempts');
  // An account without failures gets in with its password.
  assert.equal((await login('maria@acme.pe', 'demo1234', ip)).status, 200);
});

test('X-Forwarded-For names the client only when the peer is a trusted proxy', async () => {
  // An account with one failure, from a client of its own.
  assert.equal((await login('supervisora@ayuda.localhost', 'no-es-esta', '203.0.113.2')).status, 401);
  for (let i = 0; i < 20; i++)
    await login(`ladron${i}@ejemplo.pe`, 'x'.repeat(8), '203.0.113.1');
  assert.equal((await login('supervisora@ayuda.localhost', 'demo1234', '203.0.113.1')).status, 429);
  // Another client behind the same proxy is not held back.
  assert.equal((await login('supervisora@ayuda.localhost', 'demo1234', '203.0.113.2')).status, 200);
  // Only the right-most untrusted hop counts: a client cannot prepend one.
  const mixed = await login('agente@ayuda.localhost', 'no-es-esta', '203.0.113.9, 203.0.113.1');
  assert.equal(mixed.status, 401);
  assert.equal((await login('agente@ayuda.localhost', 'demo1234', '203.0.113.9, 203.0.113.1')).status, 429,
    'the proxy saw 203.0.113.1, held back');

  // Without trusted_proxies, the header is the client's word: ignored.
  const d = newDataDir();
  const s = await serve(d, ENV);
  try {
    assert.equal((await login('jorge@acme.pe', 'no-es-esta', '10.1.1.1', s)).status, 401);
    for (let i = 0; i < 20; i++)
      await login(`ladron${i}@ejemplo.pe`, 'x'.repeat(8), `10.0.0.${i + 2}`, s);
    assert.equal((await login('jorge@acme.pe', 'demo1234', '10.1.1.1', s)).status, 429);
    assert.deepEqual(sql(d, "SELECT key FROM login_throttle WHERE key LIKE 'addr:%'").map((x) => x.key), ['addr:127.0.0.1']);
  } finally {
    await stop(s);
    cleanup(d);
  }
});

test('40 concurrent guesses get no more password checks than the limit', async () => {
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) =>
    login('agente2@ayuda.localhost', `adivina-${i}`, '198.51.100.77')));
  const codes = answers.map((a) => a.status);
  assert.equal(codes.filter((c) => c === 401).length, 5, `answers: ${codes.join(' ')}`);
  assert.equal(codes.filter((c) => c === 429).length, 35);
});
