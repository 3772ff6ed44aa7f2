// Bulk actions of the agent console (POST /api/v1/tickets/bulk, issue 11
// item 3): each ticket checked by the rules of a single edit, one
// transaction, a result per ticket; a ticket refused is left as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api } from './helpers.mjs';

let srv, agent, maria, agentId, mariaId;

withDemoServer({
  agent: 'agente@ayuda.localhost',
  maria: 'maria@acme.pe',
}, async (d) => {
  ({ srv, agent, maria } = d);
  agentId = (await api(srv, 'GET', '/api/v1/me', { tok: agent })).body.id;
  mariaId = (await api(srv, 'GET', '/api/v1/me', { tok: maria })).body.id;
});

const bulk = (json, tok = agent) => api(srv, 'POST', '/api/v1/tickets/bulk', { tok, json });
const get = async (n) => (await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent })).body;

test('assign several tickets at once, with a result for each', async () => {
  const r = await bulk({ numbers: [1, 2, 999], assignee_id: agentId });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.ok, 2);
  assert.equal(r.body.failed, 1);
  assert.deepEqual(r.body.results.map((x) => [x.number, x.ok]), [[1, true], [2, true], [999, false]]);
  assert.equal(r.body.results[0].ticket.assignee.id, agentId);
  assert.equal(r.body.results[2].error.code, 'not_found');
  assert.equal((await get(2)).assignee.id, agentId);
  // The history records each change, as a single edit does.
  const ev = await api(srv, 'GET', '/api/v1/tickets/1/events', { tok: agent });
  assert.ok(ev.body.events.some((e) => JSON.stringify(e).includes(String(agentId)) && e.kind !== 'ticket.created'));
});

test('a ticket the rules refuse is left alone; the others change', async () => {
  assert.equal((await bulk({ numbers: [1], status: 'closed' })).body.ok, 1);
  // closed -> pending_customer is not a transition; new -> pending_customer is.
  const r = await bulk({ numbers: [1, 3], status: 'pending_customer' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.results[0].ok, false);
  assert.equal(r.body.results[0].error.code, 'validation_failed');
  assert.equal(r.body.results[1].ok, true);
  assert.equal((await get(1)).status, 'closed');
  assert.equal((await get(3)).status, 'pending_customer');
  // Assigning to a customer is refused as in a single PATCH.
  const single = await api(srv, 'PATCH', '/api/v1/tickets/2', { tok: agent, json: { assignee_id: mariaId } });
  const many = await bulk({ numbers: [2], assignee_id: mariaId });
  assert.notEqual(single.status, 200);
  assert.equal(many.body.results[0].ok, false);
  assert.equal((await get(2)).assignee.id, agentId);
});

test('change the category of several tickets', async () => {
  const r = await bulk({ numbers: [2, 3], category: 'development' });
  assert.equal(r.body.ok, 2, JSON.stringify(r.body));
  assert.equal((await get(3)).category, 'development');
});

test('customers cannot; malformed requests are refused whole', async () => {
  assert.equal((await bulk({ numbers: [1], status: 'open' }, maria)).status, 404);
  assert.equal((await bulk({ numbers: [1, 1], status: 'open' })).status, 422);
  assert.equal((await bulk({ numbers: [], status: 'open' })).status, 422);
  assert.equal((await bulk({ numbers: [1] })).status, 422);
  const u = await bulk({ numbers: [1], status: 'open', priority: 'high' });
  assert.equal(u.status, 422);
  assert.equal(u.body.error.field, 'priority');
});
