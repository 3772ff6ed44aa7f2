// Search (GET /api/v1/search?q=, issue 11 item 11): subjects, messages,
// requesters and companies; accents and case ignored; the last word a
// prefix; staff see every ticket and notes, customers only theirs; data
// that existed before the index was built is found too (the migration).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, token, api, ayuda } from './helpers.mjs';

let dir, srv, agent, maria, pedro;

withDemoServer({
  agent: 'agente@ayuda.localhost',
  maria: 'maria@acme.pe',
  pedro: 'pedro@bodegalibre.pe',
}, (d) => ({ dir, srv, agent, maria, pedro } = d));

const search = async (q, tok = agent) => {
  const r = await api(srv, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}`, { tok });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.results.map((x) => x.number);
};

test('subjects, without accents or case, the last word a prefix', async () => {
  // Demo ticket 1: "No puedo exportar contactos del CRM" (made before the server ran).
  assert.deepEqual(await search('EXPORTAR'), [1]);
  assert.deepEqual(await search('export'), [1]);
  assert.deepEqual(await search('contactos crm'), [1]);
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Facturación electrónica', body: 'No se emite la canción' } });
  assert.deepEqual(await search('facturacion'), [c.body.number]);
  assert.deepEqual(await search('cancion'), [c.body.number]);
  const r = await api(srv, 'GET', '/api/v1/search?q=factura', { tok: agent });
  const hit = r.body.results[0];
  assert.equal(hit.subject, 'Facturación electrónica');
  assert.equal(hit.requester.name, 'María Quispe');
  assert.equal(hit.company.name, 'Acme Perú SAC');
  assert.match(hit.snippet, /\[Facturación\]/);
});

test('messages, requesters and companies; notes for staff only', async () => {
  await api(srv, 'POST', '/api/v1/tickets/3/messages', { tok: agent, json: { kind: 'note', body: 'Clave del servidor zafiro' } });
  await api(srv, 'POST', '/api/v1/tickets/3/messages', { tok: agent, json: { kind: 'reply', body: 'Le enviamos el enlace rubí' } });
  assert.deepEqual(await search('zafiro'), [3]);
  assert.deepEqual(await search('zafiro', pedro), []);
  assert.deepEqual(await search('rubi', pedro), [3]);
  assert.deepEqual(await search('huaman'), [3]);
  assert.deepEqual(await search('bodega libre'), [3]);
});

test('customers find only their own tickets; a bad query is refused', async () => {
  assert.deepEqual(await search('exportar', pedro), []);
  assert.deepEqual(await search('invito', pedro), [3]);
  assert.deepEqual(await search('"OR* NEAR(', agent), []);
  assert.equal((await api(srv, 'GET', '/api/v1/search?q=', { tok: agent })).status, 422);
  assert.equal((await api(srv, 'GET', `/api/v1/search?q=${'a'.repeat(201)}`, { tok: agent })).status, 422);
  assert.equal((await api(srv, 'GET', '/api/v1/search?q=x')).status, 401);
  // A ticket that moves to a company (the agent confirms the suggestion):
  // its messages follow it into the company contact's search.
  ayuda(['user', 'add', '--email', 'luis@correo.pe', '--name', 'Luis', '--role', 'customer', '--data', dir]);
  const luis = token(dir, 'luis@correo.pe');
  const f = await api(srv, 'POST', '/api/v1/tickets', {
    tok: luis, json: { subject: 'Importación', body: 'El tornillo del importador falla.', url: 'https://acme.bitrix24.es/crm/' } });
  assert.deepEqual(await search('tornillo', luis), [f.body.number]);
  assert.deepEqual(await search('tornillo', maria), []);
  const c = await api(srv, 'POST', `/api/v1/tickets/${f.body.number}/suggestion/confirm`, { tok: agent });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.deepEqual(await search('tornillo', maria), [f.body.number]);
  assert.deepEqual(await search('tornillo', luis), [f.body.number]);
  assert.deepEqual(await search('tornillo', pedro), []);
});

test('ranking: the ticket whose number is typed comes first, then subjects before messages', async () => {
  const mk = async (subject, body) => (await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject, body } })).body.number;
  // The older ticket is about the printer; the newer one only mentions it,
  // three times in a short message.
  const about = await mk('La impresora térmica no imprime los tickets de venta desde ayer', 'Sale en blanco.');
  const mentions = await mk('Consulta general', 'impresora impresora impresora');
  assert.deepEqual(await search('impresora'), [about, mentions]);
  assert.deepEqual(await search('IMPRES'), [about, mentions]);
  // A number: that ticket first, whatever else mentions the digits.
  await mk('Pedido de repuestos', `Referencia ${mentions} del almacén`);
  for (const q of [String(mentions), `#${mentions}`, `Ticket#${mentions}`, ` ticket #${mentions} `]) {
    assert.equal((await search(q))[0], mentions, q);
  }
  // A customer does not reach someone else's ticket by its number.
  assert.deepEqual(await search(`#${about}`, pedro), []);
});
