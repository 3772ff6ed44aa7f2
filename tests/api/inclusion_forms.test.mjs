// The two SLA inclusion forms ask exactly for the policy's fields:
// commercial (2.3.4: full name, position, company, Bitrix24 consultant) and
// non-commercial (3.6.3: full name, position, company, contact data,
// instance; no consultant: a free or demo user has none).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api, ayuda } from './helpers.mjs';

let srv, agent, ana, beto;

withDemoServer({
  agent: 'agente@ayuda.localhost',
  ana: 'ana@tiendagratis.pe',
  beto: 'beto@compras.pe',
}, (d) => ({ srv, agent, ana, beto } = d), {
  setup: (dir) => {
    for (const [email, name] of [['ana@tiendagratis.pe', 'Ana Flores'], ['beto@compras.pe', 'Beto Paz']])
      ayuda(['user', 'add', '--email', email, '--name', name, '--role', 'customer', '--data', dir]);
  },
});

const who = { full_name: 'Ana Flores Ríos', position: 'Gerente', company_name: 'Tienda Gratis EIRL' };

test('a free-plan user asks for non-commercial support without naming a consultant', async () => {
  const r = await api(srv, 'POST', '/api/v1/sla-inclusion', {
    tok: ana,
    json: { kind: 'non_commercial', ...who, contact_data: '+51 987 654 321, Av. Arequipa 123, Lima', instance: 'tiendagratis.bitrix24.es' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.inclusion.kind, 'non_commercial');
  assert.equal(r.body.inclusion.consultant, null);
  assert.equal(r.body.inclusion.instance, 'tiendagratis.bitrix24.es');
  // The agent reads the request as the policy lists it.
  const t = await api(srv, 'GET', `/api/v1/tickets/${r.body.number}`, { tok: agent });
  assert.match(t.body.description, /Datos de contacto: \+51 987 654 321/);
  assert.match(t.body.description, /Instancia: tiendagratis\.bitrix24\.es/);
  assert.doesNotMatch(t.body.description, /Consultor/);
});

test('each form refuses what it does not ask for, and what is missing', async () => {
  const post = (json) => api(srv, 'POST', '/api/v1/sla-inclusion', { tok: beto, json });
  const nc = { kind: 'non_commercial', ...who, contact_data: '+51 1 555 0000', instance: 'compras.bitrix24.es' };
  const c = { kind: 'commercial', ...who, consultant: 'Álvaro Agente' };
  let r = await post({ ...nc, consultant: 'Álvaro Agente' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'consultant');
  assert.match(r.body.error.message, /no comercial no lleva «consultant»/);
  r = await post({ ...c, instance: 'compras.bitrix24.es' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'instance');
  r = await post({ ...c, consultant: undefined });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'consultant');
  r = await post({ ...nc, contact_data: ' ' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'contact_data');
  r = await post({ ...c, telefono: '555' });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'telefono');
  r = await post({ ...c, position: 7 });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'position');
  // Nothing was filed by the refused attempts.
  const mine = await api(srv, 'GET', '/api/v1/tickets', { tok: beto });
  assert.equal(mine.body.tickets.length, 0);
  r = await post(c);
  assert.equal(r.status, 201);
  assert.equal(r.body.inclusion.consultant, 'Álvaro Agente');
  assert.equal(r.body.inclusion.contact_data, null);
});
