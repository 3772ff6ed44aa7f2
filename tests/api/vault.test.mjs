// The credentials vault: encrypted at rest, read by the right people only,
// every read in the history, destroyed at expiry or when the ticket is
// solved, never shown in listings, events, mail or logs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { withDemoServer, newDataDir, token, serve, stop, cleanup, api, ayuda } from './helpers.mjs';
import { sql, until } from './auth_helpers.mjs';

const SECRET = 'usuario: soporte / clave: Zebra-Lima-7731-QX';
let dir, srv, jorge, maria, pedro, agent, agent2, supervisor, admin, agentId, agent2Id;

withDemoServer({
  jorge: 'jorge@acme.pe',
  maria: 'maria@acme.pe',
  pedro: 'pedro@bodegalibre.pe',
  agent: 'agente@ayuda.localhost',
  agent2: 'agente2@ayuda.localhost',
  supervisor: 'supervisora@ayuda.localhost',
  admin: 'admin@ayuda.localhost',
}, async (d) => {
  ({ dir, srv, jorge, maria, pedro, agent, agent2, supervisor, admin } = d);
  agentId = (await api(srv, 'GET', '/api/v1/me', { tok: agent })).body.id;
  agent2Id = (await api(srv, 'GET', '/api/v1/me', { tok: agent2 })).body.id;
}, {
  setup: (dir) => {
    ayuda(['user', 'add', '--email', 'agente2@ayuda.localhost', '--name', 'Otro Agente', '--role', 'agent', '--data', dir]);
  },
});

async function ticket(tok, subject = 'Necesito ayuda con el servidor') {
  const t = await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject, body: 'Les dejo el acceso en el baúl.' } });
  assert.equal(t.status, 201);
  return t.body.number;
}

function filesContain(d, needle) {
  const hits = [];
  const walk = (p) => {
    for (const f of readdirSync(p, { withFileTypes: true })) {
      const full = join(p, f.name);
      if (f.isDirectory()) walk(full);
      else if (f.isFile() && readFileSync(full).includes(needle)) hits.push(full);
    }
  };
  walk(d);
  return hits;
}

test('the key file is created by init, 32 bytes, mode 0600', () => {
  const st = statSync(join(dir, 'vault.key'));
  assert.equal(st.size, 32);
  assert.equal(st.mode & 0o777, 0o600);
});

test('a secret is stored encrypted and never listed', async () => {
  const n = await ticket(jorge);
  const put = await api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: jorge, json: { label: 'Acceso SSH al servidor', secret: SECRET } });
  assert.equal(put.status, 201);
  assert.equal(put.body.label, 'Acceso SSH al servidor');
  assert.equal(put.body.secret, undefined);
  // Default expiry: 7 days.
  const days = (Date.parse(put.body.expires_at) - Date.parse(put.body.created_at)) / 86400000;
  assert.equal(days, 7);
  const list = await api(srv, 'GET', `/api/v1/tickets/${n}/secrets`, { tok: jorge });
  assert.equal(list.status, 200);
  assert.equal(list.body.secrets[0].state, 'active');
  assert.ok(!JSON.stringify(list.body).includes('Zebra'));
  // Nothing in the data dir holds the clear text: database, WAL, outbox.
  assert.deepEqual(filesContain(dir, 'Zebra-Lima'), []);
  assert.ok(!JSON.stringify(sql(dir, 'SELECT * FROM outbox')).includes('Zebra'));
  assert.ok(!JSON.stringify(sql(dir, 'SELECT * FROM events')).includes('Zebra'));
  assert.ok(!srv.log().includes('Zebra'));
});

test('expiry is at most 30 days', async () => {
  const n = await ticket(jorge);
  for (const bad of [0, 31, -1, 'siete']) {
    const r = await api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: jorge, json: { label: 'x', secret: 'y', expires_in_days: bad } });
    assert.equal(r.status, 422, `expires_in_days ${bad}`);
  }
  const ok = await api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: jorge, json: { label: 'x', secret: 'y', expires_in_days: 30 } });
  assert.equal(ok.status, 201);
  const empty = await api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: jorge, json: { label: 'x', secret: '' } });
  assert.equal(empty.status, 422);
  // Only on tickets the caller sees.
  const hidden = await api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: pedro, json: { label: 'x', secret: 'y' } });
  assert.equal(hidden.status, 404);
});

test('readable by the assigned agent and supervisors only, each read in the history', async () => {
  const n = await ticket(jorge);
  const id = (await api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: jorge, json: { label: 'Panel', secret: SECRET } })).body.id;
  const read = (tok) => api(srv, 'GET', `/api/v1/tickets/${n}/secrets/${id}`, { tok });
  // Nobody assigned: only the supervisor.
  assert.equal((await read(agent)).status, 404);
  const sup = await read(supervisor);
  assert.equal(sup.status, 200);
  assert.equal(sup.body.secret, SECRET);
  assert.equal((await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: supervisor, json: { assignee_id: agentId } })).status, 200);
  const a = await read(agent);
  assert.equal(a.status, 200);
  assert.equal(a.body.secret, SECRET);
  for (const [who, t] of [['another agent', agent2], ['admin', admin], ['the customer', jorge], ['the company contact', maria], ['another customer', pedro]])
    assert.equal((await read(t)).status, 404, who);
  const ev = await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: supervisor });
  const reads = ev.body.events.filter((e) => e.kind === 'vault.read');
  assert.equal(reads.length, 2);
  assert.deepEqual(reads.map((e) => e.actor).sort(), [agentId, (await api(srv, 'GET', '/api/v1/me', { tok: supervisor })).body.id].sort());
  assert.equal(reads[0].data.label, 'Panel');
  assert.ok(!JSON.stringify(ev.body).includes('Zebra'));
  const list = await api(srv, 'GET', `/api/v1/tickets/${n}/secrets`, { tok: jorge });
  assert.equal(list.body.secrets[0].reads, 2);
  // Reassigned: the first agent loses access.
  await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { assignee_id: agent2Id } });
  assert.equal((await read(agent)).status, 404);
  assert.equal((await read(agent2)).status, 200);
  assert.ok(!srv.log().includes('Zebra'));
});

test('an agent cannot take a ticket to read the secrets already on it', async () => {
  const n = await ticket(jorge);
  const put = (label) => api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: jorge, json: { label, secret: SECRET } });
  const read = (id, tok = agent) => api(srv, 'GET', `/api/v1/tickets/${n}/secrets/${id}`, { tok });
  const assign = (by, id) => api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: by, json: { assignee_id: id } });
  const first = (await put('Antes')).body.id;
  assert.equal((await assign(agent, agentId)).status, 200);
  assert.equal((await read(first)).status, 404, 'self-assigned after the secret');
  // A secret the customer stores while the agent is in charge is theirs.
  const second = (await put('Después')).body.id;
  assert.equal((await read(second)).status, 200);
  assert.equal((await read(first)).status, 404);
  // Assigned by someone else: every secret.
  assert.equal((await assign(supervisor, null)).status, 200);
  assert.equal((await assign(supervisor, agentId)).status, 200);
  assert.equal((await read(first)).status, 200);
  // Taking it back from the supervisor's choice is no key either.
  assert.equal((await assign(agent, agent2Id)).status, 200);
  assert.equal((await read(first, agent2)).status, 200, 'given by another agent');
  assert.equal((await assign(agent2, null)).status, 200);
  assert.equal((await assign(agent2, agent2Id)).status, 200);
  assert.equal((await read(first, agent2)).status, 404);
});

test('solving the ticket destroys its secrets; only the label and times remain', async () => {
  const n = await ticket(jorge);
  const id = (await api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: jorge, json: { label: 'FTP', secret: SECRET } })).body.id;
  assert.equal((await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { status: 'resolved' } })).status, 200);
  // Unreadable at once, destroyed by the next run of the job.
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}/secrets/${id}`, { tok: supervisor })).status, 404);
  srv.child.kill('SIGUSR1');
  const s = await until(async () => {
    const l = await api(srv, 'GET', `/api/v1/tickets/${n}/secrets`, { tok: jorge });
    return l.body.secrets[0].state === 'destroyed' && l.body.secrets[0];
  });
  assert.equal(s.destroy_reason, 'ticket_solved');
  assert.equal(s.label, 'FTP');
  const [row] = sql(dir, `SELECT nonce, box, destroyed_at FROM vault_secrets WHERE id = ${id}`);
  assert.equal(row.box, null);
  assert.equal(row.nonce, null);
  // Reopened: still gone.
  await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: jorge, json: { status: 'open' } });
  const r = await api(srv, 'GET', `/api/v1/tickets/${n}/secrets/${id}`, { tok: supervisor });
  assert.equal(r.status, 410);
  const ev = await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: supervisor });
  assert.ok(ev.body.events.some((e) => e.kind === 'vault.destroyed' && e.data.reason === 'ticket_solved'));
});

test('the author may destroy a secret early', async () => {
  const n = await ticket(jorge);
  const id = (await api(srv, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: jorge, json: { label: 'Temporal', secret: 'abc' } })).body.id;
  assert.equal((await api(srv, 'DELETE', `/api/v1/tickets/${n}/secrets/${id}`, { tok: pedro })).status, 404);
  assert.equal((await api(srv, 'DELETE', `/api/v1/tickets/${n}/secrets/${id}`, { tok: jorge })).status, 200);
  const l = await api(srv, 'GET', `/api/v1/tickets/${n}/secrets`, { tok: jorge });
  assert.equal(l.body.secrets[0].state, 'destroyed');
  assert.equal(l.body.secrets[0].destroy_reason, 'deleted');
});

test('gone after expiry', async () => {
  const T = 1893456000; // 2030-01-01
  const d = newDataDir({ env: { ...process.env, AYUDA_FAKE_NOW: String(T) } });
  let s = await serve(d, { AYUDA_FAKE_NOW: String(T) });
  try {
    const cust = token(d, 'jorge@acme.pe');
    const sup = token(d, 'supervisora@ayuda.localhost');
    const t = await api(s, 'POST', '/api/v1/tickets', { tok: cust, json: { subject: 'x', body: 'y' } });
    const n = t.body.number;
    const short = (await api(s, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: cust, json: { label: 'Un día', secret: SECRET, expires_in_days: 1 } })).body.id;
    const long = (await api(s, 'POST', `/api/v1/tickets/${n}/secrets`, { tok: cust, json: { label: 'Una semana', secret: SECRET } })).body.id;
    assert.equal((await api(s, 'GET', `/api/v1/tickets/${n}/secrets/${short}`, { tok: sup })).status, 200);
    await stop(s);
    s = await serve(d, { AYUDA_FAKE_NOW: String(T + 86400 + 1) });
    const l = await until(async () => {
      const r = await api(s, 'GET', `/api/v1/tickets/${n}/secrets`, { tok: cust });
      return r.body.secrets[0].state === 'destroyed' && r.body.secrets;
    });
    assert.equal(l[0].destroy_reason, 'expired');
    assert.equal(l[1].state, 'active');
    assert.equal((await api(s, 'GET', `/api/v1/tickets/${n}/secrets/${short}`, { tok: sup })).status, 410);
    assert.equal((await api(s, 'GET', `/api/v1/tickets/${n}/secrets/${long}`, { tok: sup })).body.secret, SECRET);
    assert.deepEqual(sql(d, `SELECT box FROM vault_secrets WHERE id = ${short}`), [{ box: null }]);
  } finally {
    await stop(s);
    cleanup(d);
  }
});

test('without its key file the vault refuses, and the server still serves', async () => {
  const d = newDataDir();
  const { chmodSync } = await import('node:fs');
  chmodSync(join(d, 'vault.key'), 0o644); // readable by others: refused
  const s = await serve(d);
  try {
    const cust = token(d, 'jorge@acme.pe');
    const t = await api(s, 'POST', '/api/v1/tickets', { tok: cust, json: { subject: 'x', body: 'y' } });
    assert.equal(t.status, 201);
    const r = await api(s, 'POST', `/api/v1/tickets/${t.body.number}/secrets`, { tok: cust, json: { label: 'x', secret: 'y' } });
    assert.equal(r.status, 503);
    assert.match(s.log(), /credentials vault unavailable/);
    assert.ok(existsSync(join(d, 'vault.key')));
  } finally {
    await stop(s);
    cleanup(d);
  }
});
