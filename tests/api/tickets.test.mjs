// Black-box tests of the tickets API against a real server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api, ayuda } from './helpers.mjs';

let dir, srv, agent, maria, jorge, pedro;

before(async () => {
  dir = newDataDir();
  agent = token(dir, 'agente@ayuda.localhost');
  maria = token(dir, 'maria@acme.pe'); // support contact of Acme
  jorge = token(dir, 'jorge@acme.pe'); // Acme, not a contact
  pedro = token(dir, 'pedro@bodegalibre.pe'); // another company
  srv = await serve(dir);
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

test('health and metrics answer without a token', async () => {
  const h = await api(srv, 'GET', '/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.body.status, 'ok');
  await api(srv, 'GET', '/api/v1/tickets/1', { tok: agent });
  // A request is counted when it completes, just after its answer left.
  let m;
  for (let i = 0; i < 50; i++) {
    m = await api(srv, 'GET', '/metrics');
    if (/route="ticket_get",status="200"/.test(m.body)) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /text\/plain/);
  assert.match(m.body, /ayuda_http_requests_total\{route="ticket_get",status="200"\} [1-9]/);
  assert.match(m.body, /ayuda_http_request_duration_seconds_bucket\{route="ticket_get",le="\+Inf"\} [1-9]/);
  // What waits to be done, read from the store at each scrape.
  assert.match(m.body, /^ayuda_tickets\{status="new"\} [1-9]/m);
  assert.match(m.body, /^ayuda_outbox\{state="pending"\} [1-9]/m);
  assert.match(m.body, /^ayuda_sla_targets_breached_open \d+$/m);
});

test('a customer creates a ticket and reads it back', async () => {
  const c = await api(srv, 'POST', '/api/v1/tickets', {
    tok: jorge, json: { subject: '  El CRM no carga  ', body: 'Desde ayer la lista de negocios queda en blanco.' },
  });
  assert.equal(c.status, 201);
  assert.ok(Number.isInteger(c.body.number) && c.body.number > 0);
  assert.equal(c.body.subject, 'El CRM no carga'); // trimmed
  assert.equal(c.body.status, 'new');
  assert.ok('level' in c.body.sla && 'due_at' in c.body.sla);
  assert.equal(c.body.requester.email, 'jorge@acme.pe');
  const g = await api(srv, 'GET', `/api/v1/tickets/${c.body.number}`, { tok: jorge });
  assert.equal(g.status, 200);
  assert.equal(g.body.messages.length, 1);
  assert.equal(g.body.messages[0].body, 'Desde ayer la lista de negocios queda en blanco.');
});

test('ticket numbers are sequential', async () => {
  const a = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'uno', body: 'x' } });
  const b = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: 'dos', body: 'x' } });
  assert.equal(b.body.number, a.body.number + 1);
});

test('other customers get 404, never 403, and the company contact sees it', async () => {
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'privado', body: 'x' } });
  const n = c.body.number;
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: pedro })).status, 404);
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: pedro })).status, 404);
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: pedro, json: { body: 'hola' } })).status, 404);
  assert.equal((await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: pedro, json: { status: 'closed' } })).status, 404);
  // A number that does not exist answers the same.
  const missing = await api(srv, 'GET', '/api/v1/tickets/99999999', { tok: pedro });
  const hidden = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: pedro });
  assert.deepEqual(missing.body, hidden.body);
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: maria })).status, 200);
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent })).status, 200);
  // Listings only show what the caller may see.
  const list = await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: pedro });
  assert.ok(list.body.tickets.every((t) => t.requester.email === 'pedro@bodegalibre.pe'));
});

test('errors have the documented shape and status', async () => {
  const noTok = await api(srv, 'GET', '/api/v1/tickets');
  assert.equal(noTok.status, 401);
  assert.equal(noTok.body.error.code, 'unauthorized');
  assert.equal((await api(srv, 'GET', '/api/v1/tickets', { tok: 'ayu_' + '0'.repeat(64) })).status, 401);
  const bad = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, raw: '{"subject": "x", ', headers: { 'Content-Type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'malformed_json');
  const utf = await api(srv, 'POST', '/api/v1/tickets', {
    tok: jorge, raw: Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(utf.status, 400);
  const ct = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, raw: 'subject=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(ct.status, 415);
  const empty = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: '   ', body: 'x' } });
  assert.equal(empty.status, 422);
  assert.equal(empty.body.error.code, 'validation_failed');
  assert.equal(empty.body.error.field, 'subject');
  assert.ok(empty.body.error.message.length > 0);
  const long = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'a'.repeat(201), body: 'x' } });
  assert.equal(long.status, 422);
  const nobody = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'ok' } });
  assert.equal(nobody.status, 422);
  const wrongType = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 5, body: 'x' } });
  assert.equal(wrongType.status, 422);
  const big = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'grande', body: 'x'.repeat((1 << 20) + 10) } });
  assert.equal(big.status, 413);
  const huge = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'enorme', body: 'x'.repeat(5 << 20) } });
  assert.equal(huge.status, 413);
  assert.equal((await api(srv, 'DELETE', '/api/v1/tickets/1', { tok: agent })).status, 405);
  assert.equal((await api(srv, 'GET', '/api/v1/nothing', { tok: agent })).status, 404);
});

test('nothing is stored when a request is refused', async () => {
  const before = await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: agent });
  await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: '', body: 'x' } });
  const next = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'sigue', body: 'x' } });
  const last = before.body.tickets.at(-1).number;
  // The refused request consumed no ticket number.
  assert.equal(next.body.number, last + 1);
});

test('agents reply, add internal notes and change status; customers do not see notes', async () => {
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'flujo', body: 'ayuda' } });
  const n = c.body.number;
  const note = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { kind: 'note', body: 'revisar licencia' } });
  assert.equal(note.status, 201);
  assert.equal(note.body.kind, 'note');
  const reply = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { body: 'Hola Jorge, ¿qué navegador usa?' } });
  assert.equal(reply.body.kind, 'reply');
  let t = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent });
  assert.equal(t.body.status, 'open');
  assert.equal(t.body.messages.length, 3);
  const seen = await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: jorge });
  assert.deepEqual(seen.body.messages.map((m) => m.kind), ['customer', 'reply']);
  // A customer cannot post a note: it becomes a customer message.
  const sneaky = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: jorge, json: { kind: 'note', body: 'hola' } });
  assert.equal(sneaky.body.kind, 'customer');
  const p = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { status: 'pending_customer', category: 'commercial' } });
  assert.equal(p.status, 200);
  assert.equal(p.body.status, 'pending_customer');
  assert.equal(p.body.category, 'commercial');
  const bad = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { status: 'new' } });
  assert.equal(bad.status, 422);
  const assign = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { assignee_id: 3 } });
  assert.equal(assign.body.assignee.email, 'agente@ayuda.localhost');
  const toCustomer = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { assignee_id: 4 } });
  assert.equal(toCustomer.status, 422);
  // Every change is in the history.
  const ev = await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent });
  const kinds = ev.body.events.map((e) => e.kind);
  for (const k of ['ticket.created', 'message.added', 'ticket.status', 'ticket.category', 'ticket.assigned'])
    assert.ok(kinds.includes(k), `missing ${k} in ${kinds}`);
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: jorge })).status, 404);
});

test('listing is in arrival order with keyset pagination and filters', async () => {
  for (let i = 0; i < 5; i++)
    await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: `página ${i}`, body: 'x' } });
  const seen = [];
  let after = 0;
  for (;;) {
    const page = await api(srv, 'GET', `/api/v1/tickets?limit=2&after=${after}`, { tok: pedro });
    assert.equal(page.status, 200);
    assert.ok(page.body.tickets.length <= 2);
    seen.push(...page.body.tickets.map((t) => t.number));
    if (page.body.next === null) break;
    after = page.body.next;
  }
  assert.ok(seen.length >= 5);
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  assert.equal(new Set(seen).size, seen.length);
  const newOnly = await api(srv, 'GET', '/api/v1/tickets?status=new&limit=200', { tok: agent });
  assert.ok(newOnly.body.tickets.every((t) => t.status === 'new'));
});

test('listing by activity: the newest activity first, pages that neither skip nor repeat', async () => {
  const made = [];
  for (let i = 0; i < 5; i++)
    made.push((await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: `actividad ${i}`, body: 'x' } })).body.number);
  // A second later (updated_at counts seconds), a reply to the oldest moves it to the top.
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${made[0]}/messages`, { tok: pedro, json: { body: 'más datos' } })).status, 201);
  const seen = [];
  let before = '';
  for (;;) {
    const page = await api(srv, 'GET', `/api/v1/tickets?order=activity&limit=2${before}`, { tok: pedro });
    assert.equal(page.status, 200);
    seen.push(...page.body.tickets);
    if (page.body.next === null) break;
    assert.match(page.body.next, /^\d+\.\d+$/);
    before = `&before=${page.body.next}`;
  }
  assert.equal(seen[0].number, made[0]);
  const numbers = seen.map((t) => t.number);
  assert.equal(new Set(numbers).size, numbers.length);
  const all = await api(srv, 'GET', '/api/v1/tickets?order=activity&limit=200', { tok: pedro });
  assert.deepEqual(numbers, all.body.tickets.map((t) => t.number));
  for (let i = 1; i < seen.length; i++)
    assert.ok(seen[i - 1].updated_at >= seen[i].updated_at, 'newest activity first');
  for (const [q, field] of [['order=newest', 'order'], ['order=activity&before=12', 'before'], ['before=1.2', 'before']]) {
    const r = await api(srv, 'GET', `/api/v1/tickets?${q}`, { tok: pedro });
    assert.equal(r.status, 422, q);
    assert.equal(r.body.error.field, field, q);
  }
});

test('a ticket read carries an ETag: the same again is a 304 without a body, until a reply changes it', async () => {
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: 'etiqueta', body: 'x' } });
  const path = `/api/v1/tickets/${c.body.number}`;
  // The running clock's "as_of" is to the minute: two reads that straddle
  // a minute differ, so the pair is read again (a few times at most).
  let tag, same;
  for (let i = 0; i < 5 && same?.status !== 304; i++) {
    const a = await api(srv, 'GET', path, { tok: pedro });
    tag = a.headers.get('etag');
    assert.match(tag, /^"j[0-9a-f]{16}"$/);
    same = await api(srv, 'GET', path, { tok: pedro, headers: { 'If-None-Match': tag } });
  }
  assert.equal(same.status, 304);
  assert.equal(same.body, '');
  await api(srv, 'POST', `${path}/messages`, { tok: agent, json: { kind: 'reply', body: 'Hola Pedro' } });
  const changed = await api(srv, 'GET', path, { tok: pedro, headers: { 'If-None-Match': tag } });
  assert.equal(changed.status, 200);
  assert.notEqual(changed.headers.get('etag'), tag);
  assert.equal(changed.body.messages.at(-1).body, 'Hola Pedro');
  // Writes and errors carry none.
  assert.equal((await api(srv, 'GET', '/api/v1/tickets/999999', { tok: pedro })).headers.get('etag'), null);
});

test('query numbers are strict: junk or out of range is a 422 naming the parameter', async () => {
  for (const [q, field] of [['limit=10abc', 'limit'], ['limit=0', 'limit'], ['limit=201', 'limit'],
    ['after=-1', 'after'], ['after=1e3', 'after'], ['assignee=7x', 'assignee'],
    ['limit=99999999999999999999', 'limit']]) {
    const r = await api(srv, 'GET', `/api/v1/tickets?${q}`, { tok: agent });
    assert.equal(r.status, 422, q);
    assert.equal(r.body.error.field, field, q);
  }
  assert.equal((await api(srv, 'GET', '/api/v1/tickets?limit=200&assignee=none', { tok: agent })).status, 200);
});

test('people choose the language and time zone they read dates in', async () => {
  const me = await api(srv, 'PATCH', '/api/v1/me', { tok: jorge, json: { lang: 'en', timezone: 'America/Bogota' } });
  assert.equal(me.status, 200);
  assert.equal(me.body.lang, 'en');
  assert.equal(me.body.timezone, 'America/Bogota');
  const bad = await api(srv, 'PATCH', '/api/v1/me', { tok: jorge, json: { timezone: 'Mars/Olympus' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'timezone');
  assert.equal((await api(srv, 'PATCH', '/api/v1/me', { tok: jorge, json: { lang: 'fr' } })).status, 422);
  const back = await api(srv, 'PATCH', '/api/v1/me', { tok: jorge, json: { timezone: '', lang: 'es' } });
  assert.equal(back.body.timezone, null);
  assert.equal(back.body.lang, 'es');
});

test('the CLI prints each new record as one JSON line', () => {
  const c = JSON.parse(ayuda(['company', 'add', '--data', dir, '--name', 'Línea SA', '--license-product', 'cloud', '--license-plan', 'crm_plus', '--license-status', 'active', '--max-contacts', '2']));
  assert.equal(c.name, 'Línea SA');
  assert.equal(c.license.plan, 'crm_plus');
  assert.equal(c.max_contacts, 2);
  const u = ayuda(['user', 'add', '--data', dir, '--email', 'Nuevo@Linea.pe', '--name', 'Nuevo', '--role', 'customer', '--company', 'Línea SA']);
  assert.equal(u.trim().split('\n').length, 1);
  const user = JSON.parse(u);
  assert.equal(user.email, 'nuevo@linea.pe');
  assert.equal(user.company.name, 'Línea SA');
  assert.throws(() => ayuda(['user', 'add', '--data', dir, '--email', 'nuevo@linea.pe', '--name', 'Otra vez', '--role', 'customer']), /ya existe/);
  assert.throws(() => ayuda(['user', 'add', '--data', dir, '--email', 'x@y.pe', '--name', 'X', '--role', 'jefe']), /rol desconocido/);
});
