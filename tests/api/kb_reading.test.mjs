// What a customer read in the knowledge base in the day before writing a
// ticket, shown to the team (GET /api/v1/tickets/N/kb-reading): the
// suggestions opened in the new-ticket form, each article once with its
// title and link; another customer's reading is not there, and the
// customer does not see the list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api } from './helpers.mjs';

let srv, agent, sup, maria, jorge;

withDemoServer({
  agent: 'agente@ayuda.localhost',
  sup: 'supervisora@ayuda.localhost',
  maria: 'maria@acme.pe',
  jorge: 'jorge@acme.pe',
}, (d) => ({ srv, agent, sup, maria, jorge } = d));

async function published(title) {
  const c = await api(srv, 'POST', '/api/v1/kb/articles', { tok: sup, json: { es: { title, body: 'Pasos.' } } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal((await api(srv, 'PATCH', `/api/v1/kb/articles/${c.body.id}`, { tok: sup, json: { state: 'published' } })).status, 200);
  return c.body;
}

test('the team sees the articles the customer opened before writing, the customer does not', async () => {
  const a = await published('Cómo reiniciar el servicio');
  const b = await published('Cómo cambiar la clave');
  const other = await published('Cómo exportar facturas');
  for (const id of [a.id, b.id, a.id]) {
    assert.equal((await api(srv, 'POST', `/api/v1/kb/articles/${id}/opened`, { tok: maria })).status, 200);
  }
  assert.equal((await api(srv, 'POST', `/api/v1/kb/articles/${other.id}/opened`, { tok: jorge })).status, 200);
  const t = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'El servicio no arranca', body: 'Ya probé lo del artículo.' } });
  assert.equal(t.status, 201);

  const r = await api(srv, 'GET', `/api/v1/tickets/${t.body.number}/kb-reading`, { tok: agent });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const list = r.body.articles;
  assert.deepEqual(list.map((x) => x.id).sort(), [a.id, b.id].sort(), 'each article once, only hers');
  const ra = list.find((x) => x.id === a.id);
  assert.equal(ra.title, 'Cómo reiniciar el servicio');
  assert.equal(ra.url, a.texts.es.url);
  assert.equal(ra.kind, 'suggest');
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${t.body.number}/kb-reading`, { tok: maria })).status, 404);
});
