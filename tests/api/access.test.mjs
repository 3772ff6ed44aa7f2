// Who sees what: a table walked for every role against the tickets,
// messages, attachments, vault secrets, companies and users of two
// companies, A (Acme) and B (Bodega Libre). What a caller may not see is
// 404, exactly like what does not exist; what a caller sees but may not
// change is 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api, ayuda } from './helpers.mjs';
import { sql } from './auth_helpers.mjs';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4/58BAAT/Af9jgNErAAAAAElFTkSuQmCC', 'base64');

function mail(from, subject, id) {
  return [
    `From: <${from}>`, 'To: soporte@ayuda.localhost', `Subject: ${subject}`,
    `Message-ID: <${id}@test>`, 'Date: Wed, 25 Nov 2026 10:00:00 -0500', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="B1"', '', '--B1',
    'Content-Type: multipart/alternative; boundary="B2"', '', '--B2',
    'Content-Type: text/plain; charset=utf-8', '', 'Adjunto captura.', '--B2',
    'Content-Type: text/html; charset=utf-8', '', '<p>Adjunto <b>captura</b>.</p><script>alert(1)</script>', '--B2--',
    '--B1', 'Content-Type: image/png; name="captura.png"', 'Content-Disposition: attachment; filename="captura.png"',
    'Content-Transfer-Encoding: base64', '', PNG.toString('base64'), '--B1--', '',
  ].join('\r\n');
}

const ROLES = ['anon', 'custA', 'contactA', 'custB', 'agent', 'supervisor', 'admin'];
const STAFF = ['agent', 'supervisor', 'admin'];
let dir, srv;
const tok = {};
const obj = { A: {}, B: {} };

before(async () => {
  dir = newDataDir();
  tok.custA = token(dir, 'jorge@acme.pe'); // Acme, not a contact
  tok.contactA = token(dir, 'maria@acme.pe'); // Acme's endorsed contact
  tok.custB = token(dir, 'pedro@bodegalibre.pe');
  tok.agent = token(dir, 'agente@ayuda.localhost');
  tok.supervisor = token(dir, 'supervisora@ayuda.localhost');
  tok.admin = token(dir, 'admin@ayuda.localhost');
  for (const [k, from] of [['A', 'jorge@acme.pe'], ['B', 'pedro@bodegalibre.pe']]) {
    const out = JSON.parse(ayuda(['mail-in', '--data', dir], { input: mail(from, `Captura ${k}`, `cap-${k}`) }));
    obj[k].ticket = out.ticket;
    const [att] = sql(dir, `SELECT a.id FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = ${out.ticket}`);
    const [msg] = sql(dir, `SELECT m.id FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = ${out.ticket} AND m.html_sha256 IS NOT NULL`);
    obj[k].attachment = att.id;
    obj[k].message = msg.id;
  }
  srv = await serve(dir, { AYUDA_PWHASH_FAST: '1' });
  const me = async (t) => (await api(srv, 'GET', '/api/v1/me', { tok: t })).body;
  const agent = await me(tok.agent);
  obj.A.user = (await me(tok.custA)).id;
  obj.B.user = (await me(tok.custB)).id;
  obj.A.company = (await me(tok.custA)).company.id;
  obj.B.company = (await me(tok.custB)).company.id;
  obj.agentId = agent.id;
  // Ticket A is the agent's; B has nobody yet. Each has a secret and an
  // internal note.
  assert.equal((await api(srv, 'PATCH', `/api/v1/tickets/${obj.A.ticket}`, { tok: tok.agent, json: { assignee_id: agent.id } })).status, 200);
  for (const [k, who] of [['A', 'custA'], ['B', 'custB']]) {
    const s = await api(srv, 'POST', `/api/v1/tickets/${obj[k].ticket}/secrets`, { tok: tok[who], json: { label: 'SSH', secret: `clave-${k}` } });
    assert.equal(s.status, 201);
    obj[k].secret = s.body.id;
    const n = await api(srv, 'POST', `/api/v1/tickets/${obj[k].ticket}/messages`, { tok: tok.agent, json: { kind: 'note', body: `nota interna ${k}` } });
    assert.equal(n.status, 201);
    obj[k].note = n.body.id;
    // The customer attaches their server's phpinfo() output.
    const info = await api(srv, 'PATCH', `/api/v1/tickets/${obj[k].ticket}`, { tok: tok[who], json: { server_info: 'PHP Version => 8.2.0\nSystem => Linux' } });
    assert.equal(info.status, 200);
  }
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

// Who can see the objects of each company.
const sees = {
  ticket: { A: ['custA', 'contactA', ...STAFF], B: ['custB', ...STAFF] },
  company: { A: ['custA', 'contactA', ...STAFF], B: ['custB', ...STAFF] },
  user: { A: ['custA', ...STAFF], B: ['custB', ...STAFF] },
};
const seen = (kind, ok) => (role, k) => (sees[kind][k].includes(role) ? ok : 404);
const seenChange = (kind, ok, who) => (role, k) =>
  !sees[kind][k].includes(role) ? 404 : who.includes(role) ? ok : 403;

// [name, method, path(k), body, expected(role, k)]
const TABLE = [
  ['ticket', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}`, null, seen('ticket', 200)],
  ['ticket edit', 'PATCH', (k) => `/api/v1/tickets/${obj[k].ticket}`, { category: 'support' }, seenChange('ticket', 200, STAFF)],
  ['messages', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/messages`, null, seen('ticket', 200)],
  ['message add', 'POST', (k) => `/api/v1/tickets/${obj[k].ticket}/messages`, { body: 'hola' }, seen('ticket', 201)],
  ['message html', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/messages/${obj[k].message}/html`, null, seen('ticket', 200)],
  ['note html', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/messages/${obj[k].note}/html`, null, () => 404],
  ['attachment', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/attachments/${obj[k].attachment}`, null, seen('ticket', 200)],
  ['attachment of the other ticket', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/attachments/${obj[k === 'A' ? 'B' : 'A'].attachment}`, null, () => 404],
  ['events', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/events`, null, (role, k) => (STAFF.includes(role) ? 200 : 404)],
  ['sla reassess', 'POST', (k) => `/api/v1/tickets/${obj[k].ticket}/sla/reassess`, {}, (role) => (STAFF.includes(role) ? 200 : 404)],
  ['secrets', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/secrets`, null, seen('ticket', 200)],
  ['secret read', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/secrets/${obj[k].secret}`, null,
    // supervisors, and the assigned agent (A is the agent's, B nobody's)
    (role, k) => (role === 'supervisor' || (role === 'agent' && k === 'A') ? 200 : 404)],
  ['inclusion', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/inclusion`, null, () => 404],
  ['server info', 'GET', (k) => `/api/v1/tickets/${obj[k].ticket}/server-info`, null, (role) => (STAFF.includes(role) ? 200 : 404)],
  // Both requesters have a company: no suggestion to decide (409) for staff.
  ['suggestion dismiss', 'POST', (k) => `/api/v1/tickets/${obj[k].ticket}/suggestion/dismiss`, {}, (role) => (STAFF.includes(role) ? 409 : 404)],
  ['company', 'GET', (k) => `/api/v1/companies/${obj[k].company}`, null, seen('company', 200)],
  ['company edit', 'PATCH', (k) => `/api/v1/companies/${obj[k].company}`, (k) => ({ domains: k === 'A' ? 'acme.pe' : 'bodegalibre.pe' }), seenChange('company', 200, ['admin'])],
  ['contacts', 'GET', (k) => `/api/v1/companies/${obj[k].company}/contacts`, null, seen('company', 200)],
  // Endorsing an agent is invalid (422) for whoever may endorse at all.
  ['contact add', 'POST', (k) => `/api/v1/companies/${obj[k].company}/contacts`, () => ({ user_id: obj.agentId }), seenChange('company', 422, STAFF)],
  ['user', 'GET', (k) => `/api/v1/users/${obj[k].user}`, null, seen('user', 200)],
  ['user edit', 'PATCH', (k) => `/api/v1/users/${obj[k].user}`, { disabled: false }, seenChange('user', 200, ['admin'])],
  ['tokens', 'GET', (k) => `/api/v1/users/${obj[k].user}/tokens`, null,
    (role, k) => (!sees.user[k].includes(role) ? 404 : role === 'admin' || sees.user[k][0] === role ? 200 : 403)],
  ['token create', 'POST', (k) => `/api/v1/users/${obj[k].user}/tokens`, { name: 'tabla' }, seenChange('user', 201, ['admin'])],
];

// Routes that are not about one company's objects.
const GLOBAL = [
  ['me', 'GET', '/api/v1/me', null, () => 200],
  ['session', 'GET', '/api/v1/auth/session', null, () => 200],
  ['tickets', 'GET', '/api/v1/tickets', null, () => 200],
  ['companies', 'GET', '/api/v1/companies', null, () => 200],
  ['users', 'GET', '/api/v1/users', null, () => 200],
  // Public: the landing page shows them to anyone (the 6th column: anon).
  ['sla levels', 'GET', '/api/v1/sla/levels', null, () => 200, 200],
  ['calendar', 'GET', '/api/v1/calendars/lima', null, () => 200, 200],
  ['calendars', 'GET', '/api/v1/calendars', null, () => 200],
  ['ticket fields', 'GET', '/api/v1/ticket-fields', null, () => 200],
  ['ticket fields edit', 'PUT', '/api/v1/ticket-fields/edition', { choices: [] }, (role) => (role === 'admin' ? 200 : 403)],
  ['audit', 'GET', '/api/v1/audit', null, (role) => (role === 'admin' ? 200 : 404)],
  // The admin console's mail page (api_mail_admin.c): admins only, 404 to
  // everyone else, like the audit.
  ['mail settings', 'GET', '/api/v1/admin/mail', null, (role) => (role === 'admin' ? 200 : 404)],
  ['outbox', 'GET', '/api/v1/admin/outbox', null, (role) => (role === 'admin' ? 200 : 404)],
  ['outbox retry (none such)', 'POST', '/api/v1/admin/outbox/999999/retry', null, () => 404],
  ['outbox retry all', 'POST', '/api/v1/admin/outbox/retry', null, (role) => (role === 'admin' ? 200 : 404)],
  ['templates', 'GET', '/api/v1/admin/templates', null, (role) => (role === 'admin' ? 200 : 404)],
  ['template preview', 'GET', '/api/v1/admin/templates/ticket_received/preview', null, (role) => (role === 'admin' ? 200 : 404)],
  ['mail fetch', 'POST', '/api/v1/admin/mail/fetch', null, (role) => (role === 'admin' ? 200 : 404)],
  ['company create', 'POST', '/api/v1/companies', () => ({ name: `Nueva ${Math.random()}` }), (role) => (role === 'admin' ? 201 : 403)],
  ['token revoke (none such)', 'DELETE', '/api/v1/tokens/999999', null, () => 404],
  ['calendar edit', 'POST', '/api/v1/calendars/lima/closures', { from: '2031-01-02T08:00:00-05:00', to: '2031-01-02T09:00:00-05:00', reason: 'prueba' }, (role) => (role === 'admin' ? 201 : 403)],
];

async function call(role, method, path, body, k) {
  const json = typeof body === 'function' ? body(k) : body ?? undefined;
  return api(srv, method, path, { tok: tok[role], json: method === 'GET' ? undefined : json ?? {} });
}

test('the access table: every route, every role, companies A and B', async () => {
  const failures = [];
  for (const [name, method, path, body, expect] of TABLE) {
    for (const k of ['A', 'B']) {
      for (const role of ROLES) {
        const want = role === 'anon' ? 401 : expect(role, k);
        const r = await call(role, method, path(k), body, k);
        if (r.status !== want) failures.push(`${name} ${k} as ${role}: ${r.status}, want ${want}`);
        if (want === 404 && r.status === 404 && typeof r.body === 'object')
          assert.equal(r.body.error.code, 'not_found', `${name} ${k} ${role}`);
      }
    }
  }
  for (const [name, method, path, body, expect, anon = 401] of GLOBAL) {
    for (const role of ROLES) {
      const want = role === 'anon' ? anon : expect(role);
      const r = await call(role, method, path, body);
      if (r.status !== want) failures.push(`${name} as ${role}: ${r.status}, want ${want}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('hidden objects answer exactly like missing ones', async () => {
  const pairs = [
    [`/api/v1/tickets/${obj.A.ticket}`, '/api/v1/tickets/99999'],
    [`/api/v1/tickets/${obj.A.ticket}/attachments/${obj.A.attachment}`, `/api/v1/tickets/${obj.B.ticket}/attachments/99999`],
    [`/api/v1/companies/${obj.A.company}`, '/api/v1/companies/99999'],
    [`/api/v1/users/${obj.A.user}`, '/api/v1/users/99999'],
  ];
  for (const [hidden, missing] of pairs) {
    const h = await api(srv, 'GET', hidden, { tok: tok.custB });
    const m = await api(srv, 'GET', missing, { tok: tok.custB });
    assert.equal(h.status, 404);
    assert.deepEqual(h.body, m.body);
  }
});

test('listings show only what the caller may see', async () => {
  const numbers = async (role) => (await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: tok[role] })).body.tickets.map((t) => t.number);
  assert.ok((await numbers('custA')).includes(obj.A.ticket));
  assert.ok(!(await numbers('custA')).includes(obj.B.ticket));
  assert.ok((await numbers('contactA')).includes(obj.A.ticket), 'the contact sees the company');
  assert.ok(!(await numbers('custB')).includes(obj.A.ticket));
  assert.ok((await numbers('agent')).includes(obj.B.ticket));
  const companies = async (role) => (await api(srv, 'GET', '/api/v1/companies', { tok: tok[role] })).body.companies.map((c) => c.id);
  assert.deepEqual(await companies('custB'), [obj.B.company]);
  assert.ok((await companies('agent')).includes(obj.A.company));
  const users = async (role) => (await api(srv, 'GET', '/api/v1/users', { tok: tok[role] })).body.users.map((u) => u.id);
  assert.deepEqual(await users('custB'), [obj.B.user]);
  assert.ok((await users('supervisor')).includes(obj.A.user));
  // Internal notes are for staff.
  const msgs = async (role) => (await api(srv, 'GET', `/api/v1/tickets/${obj.A.ticket}/messages`, { tok: tok[role] })).body.messages.map((m) => m.id);
  assert.ok(!(await msgs('custA')).includes(obj.A.note));
  assert.ok((await msgs('agent')).includes(obj.A.note));
  // Secret listings never carry the secret.
  const list = await api(srv, 'GET', `/api/v1/tickets/${obj.A.ticket}/secrets`, { tok: tok.supervisor });
  assert.equal(list.body.secrets.length, 1);
  assert.ok(!JSON.stringify(list.body).includes('clave-A'));
});

test('downloads: attachments as attachments, mail HTML sandboxed', async () => {
  const a = await fetch(`${srv.url}/api/v1/tickets/${obj.A.ticket}/attachments/${obj.A.attachment}`, { headers: { Authorization: `Bearer ${tok.custA}` } });
  assert.equal(a.status, 200);
  assert.equal(a.headers.get('content-type'), 'image/png');
  assert.match(a.headers.get('content-disposition'), /^attachment; .*filename\*=UTF-8''captura\.png/);
  assert.equal(a.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(Buffer.from(await a.arrayBuffer()), PNG);
  const h = await fetch(`${srv.url}/api/v1/tickets/${obj.A.ticket}/messages/${obj.A.message}/html`, { headers: { Authorization: `Bearer ${tok.contactA}` } });
  assert.equal(h.status, 200);
  assert.match(h.headers.get('content-type'), /^text\/html/);
  const csp = h.headers.get('content-security-policy');
  assert.match(csp, /^sandbox;/);
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /script-src|allow-scripts/);
  // The ticket page frames it; no other site may, and nothing else is framed.
  assert.match(csp, /frame-ancestors 'self'/);
  assert.equal(h.headers.get('x-frame-options'), 'SAMEORIGIN');
  assert.equal(a.headers.get('x-frame-options'), 'DENY');
  assert.match(await h.text(), /captura/);
});
