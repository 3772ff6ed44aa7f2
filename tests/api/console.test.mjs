// The agent console's shared state (issue 11 items 5, 7, 13): drafts kept
// on the server per agent, ticket and kind; presence of other agents on a
// ticket and its queue row; the answer collision (409 unless confirmed);
// the feed of changed tickets the console polls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { withDemoServer, newDataDir, token, serve, stop, cleanup, api, sql, pgSchema, PG } from './helpers.mjs';

let dir, srv, agent, sup, maria;

withDemoServer({ agent: 'agente@ayuda.localhost', sup: 'supervisora@ayuda.localhost', maria: 'maria@acme.pe' },
  (d) => ({ dir, srv, agent, sup, maria } = d));

test('a draft is kept per agent and kind, and goes when the message is sent', async () => {
  const put = await api(srv, 'PUT', '/api/v1/tickets/1/drafts/reply', { tok: agent, json: { body: 'Hola María, estamos revisando' } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.body, 'Hola María, estamos revisando');
  await api(srv, 'PUT', '/api/v1/tickets/1/drafts/note', { tok: agent, json: { body: 'Revisar la exportación' } });
  const all = await api(srv, 'GET', '/api/v1/tickets/1/drafts', { tok: agent });
  assert.deepEqual(all.body.drafts.map((d) => d.kind), ['note', 'reply']);
  // Another agent has none of them; a customer cannot ask.
  assert.deepEqual((await api(srv, 'GET', '/api/v1/tickets/1/drafts', { tok: sup })).body.drafts, []);
  assert.equal((await api(srv, 'GET', '/api/v1/tickets/1/drafts', { tok: maria })).status, 404);
  assert.equal((await api(srv, 'PUT', '/api/v1/tickets/1/drafts/reply', { tok: maria, json: { body: 'x' } })).status, 404);
  assert.equal((await api(srv, 'PUT', '/api/v1/tickets/1/drafts/memo', { tok: agent, json: { body: 'x' } })).status, 422);
  // Sending the answer deletes the reply draft, not the note.
  const sent = await api(srv, 'POST', '/api/v1/tickets/1/messages', { tok: agent, json: { kind: 'reply', body: 'Hola María, estamos revisando' } });
  assert.equal(sent.status, 201, JSON.stringify(sent.body));
  assert.equal((await api(srv, 'GET', '/api/v1/tickets/1/drafts/reply', { tok: agent })).status, 404);
  assert.equal((await api(srv, 'GET', '/api/v1/tickets/1/drafts/note', { tok: agent })).body.body, 'Revisar la exportación');
  assert.equal((await api(srv, 'DELETE', '/api/v1/tickets/1/drafts/note', { tok: agent })).status, 204);
  assert.deepEqual((await api(srv, 'GET', '/api/v1/tickets/1/drafts', { tok: agent })).body.drafts, []);
});

test('agents on one ticket see each other, on the ticket and on its queue row', async () => {
  const a = await api(srv, 'POST', '/api/v1/tickets/2/presence', { tok: agent, json: { mode: 'viewing' } });
  assert.equal(a.status, 200, JSON.stringify(a.body));
  assert.deepEqual(a.body.others, []);
  const s = await api(srv, 'POST', '/api/v1/tickets/2/presence', { tok: sup, json: { mode: 'writing' } });
  assert.deepEqual(s.body.others.map((o) => [o.user.name, o.mode]), [['Álvaro Agente', 'viewing']]);
  const seen = await api(srv, 'GET', '/api/v1/tickets/2/presence', { tok: agent });
  assert.deepEqual(seen.body.others.map((o) => [o.user.name, o.mode]), [['Sofía Supervisora', 'writing']]);
  const q = await api(srv, 'GET', '/api/v1/tickets?view=unsolved', { tok: agent });
  const row = q.body.tickets.find((t) => t.number === 2);
  assert.deepEqual(row.presence.map((o) => o.mode), ['writing']);
  assert.deepEqual(q.body.tickets.find((t) => t.number === 3).presence, []);
  // Leaving clears it; customers never see presence.
  assert.equal((await api(srv, 'DELETE', '/api/v1/tickets/2/presence', { tok: sup })).status, 204);
  assert.deepEqual((await api(srv, 'GET', '/api/v1/tickets/2/presence', { tok: agent })).body.others, []);
  assert.equal((await api(srv, 'GET', '/api/v1/tickets/2/presence', { tok: maria })).status, 404);
  assert.equal((await api(srv, 'POST', '/api/v1/tickets/2/presence', { tok: agent, json: { mode: 'dozing' } })).status, 422);
});

test('an answer sent after someone else answered is asked about first', async () => {
  const before = await api(srv, 'GET', '/api/v1/tickets/3/messages', { tok: agent });
  const last = before.body.messages.at(-1).id;
  const first = await api(srv, 'POST', '/api/v1/tickets/3/messages', { tok: sup, json: { kind: 'reply', body: 'Le escribo yo', last_seen_message_id: last } });
  assert.equal(first.status, 201, JSON.stringify(first.body));
  const late = await api(srv, 'POST', '/api/v1/tickets/3/messages', { tok: agent, json: { kind: 'reply', body: 'Respuesta tardía', last_seen_message_id: last } });
  assert.equal(late.status, 409, JSON.stringify(late.body));
  assert.equal(late.body.error.code, 'answered_meanwhile');
  assert.match(late.body.error.message, /Sofía Supervisora/);
  assert.equal(late.body.answered_by[0].message_id, first.body.id);
  let msgs = (await api(srv, 'GET', '/api/v1/tickets/3/messages', { tok: agent })).body.messages;
  assert.ok(!msgs.some((m) => m.body === 'Respuesta tardía'));
  // An internal note is not an answer: no question.
  assert.equal((await api(srv, 'POST', '/api/v1/tickets/3/messages', { tok: agent, json: { kind: 'note', body: 'nota', last_seen_message_id: last } })).status, 201);
  const sure = await api(srv, 'POST', '/api/v1/tickets/3/messages', { tok: agent, json: { kind: 'reply', body: 'Respuesta tardía', last_seen_message_id: last, confirm: true } });
  assert.equal(sure.status, 201);
  msgs = (await api(srv, 'GET', '/api/v1/tickets/3/messages', { tok: agent })).body.messages;
  assert.ok(msgs.some((m) => m.body === 'Respuesta tardía'));
});

test('the console polls the tickets changed since its last sequence number', async () => {
  const start = await api(srv, 'GET', '/api/v1/changes', { tok: agent });
  assert.equal(start.status, 200);
  assert.deepEqual(start.body.tickets, []);
  const none = await api(srv, 'GET', `/api/v1/changes?since=${start.body.seq}`, { tok: agent });
  assert.deepEqual(none.body.tickets, []);
  assert.equal(none.body.seq, start.body.seq);
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Nuevo', body: 'Llega solo' } });
  const me = (await api(srv, 'GET', '/api/v1/me', { tok: agent })).body.id;
  assert.equal((await api(srv, 'PATCH', '/api/v1/tickets/1', { tok: agent, json: { assignee_id: me } })).status, 200);
  const ch = await api(srv, 'GET', `/api/v1/changes?since=${start.body.seq}`, { tok: agent });
  assert.deepEqual(ch.body.tickets.sort((x, y) => x - y), [1, c.body.number]);
  assert.notEqual(ch.body.seq, start.body.seq);
  assert.equal(ch.body.more, false);
  assert.equal((await api(srv, 'GET', '/api/v1/changes', { tok: maria })).status, 404);
  assert.equal((await api(srv, 'GET', '/api/v1/changes?since=x', { tok: agent })).status, 422);
});

test('the poll may carry who is on the tickets on screen, so the queue\'s rows follow without a refetch', async () => {
  await api(srv, 'DELETE', '/api/v1/tickets/2/presence', { tok: agent });
  const start = await api(srv, 'GET', '/api/v1/changes?presence=2,4,5', { tok: agent });
  assert.equal(start.status, 200, JSON.stringify(start.body));
  assert.deepEqual(start.body.presence, []);
  assert.equal((await api(srv, 'GET', '/api/v1/changes', { tok: agent })).body.presence, undefined);
  await api(srv, 'POST', '/api/v1/tickets/4/presence', { tok: sup, json: { mode: 'writing' } });
  await api(srv, 'POST', '/api/v1/tickets/4/presence', { tok: agent, json: { mode: 'viewing' } });
  await api(srv, 'POST', '/api/v1/tickets/3/presence', { tok: sup, json: { mode: 'viewing' } });
  // Presence is not an event: the sequence stays, the list moves; only the
  // tickets asked about are answered.
  const seen = await api(srv, 'GET', `/api/v1/changes?since=${start.body.seq}&presence=2,4,5`, { tok: agent });
  assert.equal(seen.body.seq, start.body.seq);
  assert.deepEqual(seen.body.tickets, []);
  assert.deepEqual(seen.body.presence.map((p) => [p.number, p.user.name, p.mode]), [[4, 'Sofía Supervisora', 'writing']]);
  const hers = await api(srv, 'GET', '/api/v1/changes?presence=3,4', { tok: sup });
  assert.deepEqual(hers.body.presence.map((p) => [p.number, p.user.name, p.mode]), [[4, 'Álvaro Agente', 'viewing']]);
  await api(srv, 'DELETE', '/api/v1/tickets/4/presence', { tok: sup });
  await api(srv, 'DELETE', '/api/v1/tickets/3/presence', { tok: sup });
  await api(srv, 'DELETE', '/api/v1/tickets/4/presence', { tok: agent });
  assert.deepEqual((await api(srv, 'GET', '/api/v1/changes?presence=4', { tok: agent })).body.presence, []);
  assert.deepEqual((await api(srv, 'GET', '/api/v1/changes?presence=', { tok: agent })).body.presence, []);
  for (const bad of ['x', '1,,2', '0', Array.from({ length: 101 }, (_, i) => i + 1).join(',')]) {
    assert.equal((await api(srv, 'GET', `/api/v1/changes?presence=${bad}`, { tok: agent })).status, 422, bad);
  }
});

// A psql session on dir's database that keeps its transaction open:
// run(sql) sends statements and resolves with what they print once the
// marker comes back.
function psqlSession(dir) {
  const child = spawn('psql', [process.env.AYUDA_STORE_URL, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1'],
    { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  child.stdin.write(`SET search_path = ${pgSchema(dir)};\n`);
  let n = 0;
  const run = (text) => new Promise((resolve, reject) => {
    const mark = `done-${++n}`;
    const start = out.length;
    child.stdin.write(`${text}\nSELECT '${mark}';\n`);
    const t = setInterval(() => {
      const i = out.indexOf(mark, start);
      if (i >= 0) { clearInterval(t); resolve(out.slice(start, i).trim()); }
      else if (err || child.exitCode !== null) { clearInterval(t); reject(new Error(`psql: ${err}`)); }
    }, 20);
  });
  return { run, end: () => { child.stdin.end(); return new Promise((r) => child.once('exit', r)); } };
}

test('on PostgreSQL, a change committed after a later one is still in the feed', { skip: !PG && 'needs PostgreSQL (api-pg/console)' }, async () => {
  // Two servers on one database; a third writer (a psql session) takes
  // an event id and commits only after server B committed a later one.
  const d = newDataDir();
  const a = await serve(d);
  const b = await serve(d);
  const tok = token(d, 'agente@ayuda.localhost');
  const held = psqlSession(d);
  try {
    const start = await api(a, 'GET', '/api/v1/changes', { tok });
    assert.equal(start.status, 200);
    const t1 = sql(d, 'SELECT id FROM tickets WHERE number = 1');
    const early = await held.run(`BEGIN; INSERT INTO events (ticket_id, kind, data, created_at) VALUES (${t1}, 'note', '{}', 0) RETURNING id;`);
    assert.equal((await api(b, 'PATCH', '/api/v1/tickets/2', { tok, json: { status: 'pending_customer' } })).status, 200);
    const later = Number(sql(d, 'SELECT MAX(e.id) FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE t.number = 2'));
    assert.ok(later > Number(early), `the later event ${later} has a greater id than the held one ${early}`);
    const first = await api(a, 'GET', `/api/v1/changes?since=${start.body.seq}`, { tok });
    assert.ok(first.body.tickets.includes(2), JSON.stringify(first.body));
    await held.run('COMMIT;');
    const second = await api(a, 'GET', `/api/v1/changes?since=${first.body.seq}`, { tok });
    assert.ok(second.body.tickets.includes(1), `ticket 1's late event is in the feed: ${JSON.stringify(second.body)}`);
  } finally {
    await held.end();
    await stop(a);
    await stop(b);
    cleanup(d);
  }
});
