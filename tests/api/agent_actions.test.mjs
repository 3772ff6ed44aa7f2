// What the agent console's ticket page adds to the API (issue 11, items 8
// and 9): the requester's other tickets (a queue view filtered by
// requester), the team for "assign to" (GET /users?role=staff) and an
// agent asking a supervisor for help, which stays inside the team. Real
// server, real SMTP sink.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { token, api } from './helpers.mjs';
import { waitFor } from './mailservers.mjs';
import { decoded, serveWithMail } from './mailtools.mjs';

let box, srv, agent, supervisor, maria, jorge;

before(async () => {
  box = await serveWithMail();
  srv = box.srv;
  agent = token(box.dir, 'agente@ayuda.localhost');
  supervisor = token(box.dir, 'supervisora@ayuda.localhost');
  maria = token(box.dir, 'maria@acme.pe');
  jorge = token(box.dir, 'jorge@acme.pe');
});

after(() => box.stop());

const create = async (tok, subject) => {
  const r = await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject, body: 'x' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};
const mailsTo = (addr) => box.smtp.messages().filter((m) => m.env.split('\n').slice(1).includes(addr)).map((m) => decoded(m.raw));

test('a queue view filtered by requester lists that person\'s tickets only, any status', async () => {
  const mine = await create(jorge, 'Primero de Jorge');
  await create(maria, 'De María');
  const second = await create(jorge, 'Segundo de Jorge');
  assert.equal((await api(srv, 'PATCH', `/api/v1/tickets/${mine.number}`, { tok: agent, json: { status: 'closed' } })).status, 200);
  const r = await api(srv, 'GET', `/api/v1/tickets?view=all&requester=${mine.requester.id}&limit=200`, { tok: agent });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.tickets.map((t) => t.number), [mine.number, second.number]);
  assert.ok(r.body.tickets.every((t) => t.requester.id === mine.requester.id));
  const bad = await api(srv, 'GET', '/api/v1/tickets?view=all&requester=jorge', { tok: agent });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'requester');
  // Customers have no queue views.
  assert.equal((await api(srv, 'GET', `/api/v1/tickets?view=all&requester=${mine.requester.id}`, { tok: jorge })).status, 404);
});

test('an agent asks a supervisor: an internal note, an event, the supervisors\' mail; the customer sees nothing', async () => {
  const tk = await create(jorge, 'Necesito ayuda con permisos');
  const path = `/api/v1/tickets/${tk.number}/supervisor-review`;
  const empty = await api(srv, 'POST', path, { tok: agent, json: { reason: ' ' } });
  assert.equal(empty.status, 422);
  assert.equal(empty.body.error.field, 'reason');
  const r = await api(srv, 'POST', path, { tok: agent, json: { reason: '¿Podemos dar acceso de administrador al cliente?' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const staff = (await api(srv, 'GET', `/api/v1/tickets/${tk.number}`, { tok: agent })).body;
  const note = staff.messages.find((m) => m.kind === 'note');
  assert.ok(note, 'the request is an internal note');
  assert.match(note.body, /¿Podemos dar acceso de administrador al cliente\?/);
  // Not a customer's review request: the portal and the reports know nothing of it.
  assert.equal(r.body.supervisor_review, null);
  const seen = (await api(srv, 'GET', `/api/v1/tickets/${tk.number}`, { tok: jorge })).body;
  assert.ok(!seen.messages.some((m) => /administrador/.test(m.body)), 'the customer never sees the note');
  const ev = (await api(srv, 'GET', `/api/v1/tickets/${tk.number}/events`, { tok: agent })).body.events;
  const asked = ev.find((e) => e.kind === 'supervisor.consulted');
  assert.ok(asked, ev.map((e) => e.kind).join());
  assert.equal(asked.data.reason, '¿Podemos dar acceso de administrador al cliente?');
  assert.equal(asked.data.note, note.id);
  const sup = await waitFor(() => mailsTo('supervisora@ayuda.localhost').find((m) => m.includes('administrador al cliente')), 15000, 'the supervisors\' notice');
  assert.match(sup, /Álvaro Agente pide la revisión de un supervisor/);
  assert.match(sup, new RegExp(`/agente/tickets/${tk.number}`));
  // A second question is fine (no request is left open), and the customer still may ask.
  assert.equal((await api(srv, 'POST', path, { tok: agent, json: { reason: 'Otra duda' } })).status, 201);
  assert.equal((await api(srv, 'POST', path, { tok: jorge, json: { reason: 'Quiero un supervisor' } })).status, 201);
  const rep = (await api(srv, 'GET', '/api/v1/reports/summary', { tok: supervisor })).body;
  assert.deepEqual(rep.supervisor_reviews.open, [tk.number]);
  assert.ok(!mailsTo('jorge@acme.pe').some((m) => /administrador al cliente|Otra duda/.test(m)), 'no mail to the customer about the agent\'s question');
});

test('the support team for the "assign to" list: GET /users?role=staff', async () => {
  const r = await api(srv, 'GET', '/api/v1/users?role=staff', { tok: agent });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const emails = r.body.users.map((u) => u.email);
  assert.ok(emails.includes('agente@ayuda.localhost') && emails.includes('supervisora@ayuda.localhost'), emails.join());
  assert.ok(r.body.users.every((u) => ['agent', 'supervisor', 'admin'].includes(u.role)), emails.join());
  assert.ok(!emails.includes('maria@acme.pe'));
  assert.equal((await api(srv, 'GET', '/api/v1/users?role=jefe', { tok: agent })).status, 422);
  // A customer still sees only themself.
  const own = await api(srv, 'GET', '/api/v1/users?role=staff', { tok: jorge });
  assert.deepEqual(own.body.users.map((u) => u.email), []);
});
