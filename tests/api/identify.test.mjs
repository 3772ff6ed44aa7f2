// Policy 7.1.2: a message "deberá incluir información que nos permita
// identificarlo como usuario de los productos Bitrix: dirección de correo
// electrónico, url de su cuenta cloud de Bitrix24, url de su Bitrix24 self
// hosted". Companies record their instance URLs and mail domains; a request
// from someone the desk does not know that names one gets a suggestion the
// agent confirms in one step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, token, api, ayuda, mailIn } from './helpers.mjs';

let dir, srv, admin, agent, bodega;

withDemoServer({
  admin: 'admin@ayuda.localhost',
  agent: 'agente@ayuda.localhost',
}, async (d) => {
  ({ dir, srv, admin, agent } = d);
  bodega = (await api(srv, 'GET', '/api/v1/companies', { tok: agent })).body.companies.find((c) => c.name === 'Bodega Libre');
});

const ticket = async (n, tok = agent) => (await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok })).body;

test('an admin records a company\'s instance URLs', async () => {
  const bad = await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { instances: ['no es una url'] } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'instances');
  const p = await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, {
    tok: admin, json: { instances: ['https://www.BodegaLibre.bitrix24.es/crm/', 'intranet.bodegalibre.pe'] },
  });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const c = await api(srv, 'GET', `/api/v1/companies/${bodega.id}`, { tok: agent });
  assert.deepEqual(c.body.instances.sort(), ['bodegalibre.bitrix24.es', 'intranet.bodegalibre.pe']);
});

test('a stranger\'s mail that names the company\'s portal is placed in one step', async () => {
  const m = mailIn(dir, {
    from: 'Rosa Díaz <rosa.diaz@gmail.com>', subject: 'No puedo entrar',
    body: 'Buenos días, nuestro portal bodegalibre.bitrix24.es/crm/ me pide otra vez la contraseña.', id: 'id1@gmail.com',
  });
  assert.equal(m.code, 0, m.stderr);
  const n = m.json.ticket;
  const t = await ticket(n);
  assert.equal(t.sla.level, 'unidentified');
  assert.deepEqual(t.suggestion, {
    company: { id: bodega.id, name: 'Bodega Libre' }, basis: 'instance', value: 'bodegalibre.bitrix24.es',
    reason: 'posible empresa: Bodega Libre, por su portal bodegalibre.bitrix24.es', state: 'open',
  });
  // The requester never sees another company's name suggested.
  const rosa = token(dir, 'rosa.diaz@gmail.com');
  const own = await ticket(n, rosa);
  assert.equal(own.number, n);
  assert.ok(!('suggestion' in own));
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${n}/suggestion/confirm`, { tok: rosa })).status, 404);

  // One step: Rosa joins Bodega Libre (a free plan) and her ticket gets its level.
  const c = await api(srv, 'POST', `/api/v1/tickets/${n}/suggestion/confirm`, { tok: agent });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  assert.equal(c.body.company.name, 'Bodega Libre');
  assert.equal(c.body.sla.level, 'non_commercial');
  assert.ok(c.body.sla.due_at);
  assert.equal(c.body.suggestion.state, 'confirmed');
  const ev = (await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent })).body.events.map((e) => e.kind);
  assert.ok(ev.includes('ticket.company_suggested') && ev.includes('ticket.company_confirmed') && ev.includes('sla.level'));
  assert.equal((await api(srv, 'GET', '/api/v1/me', { tok: rosa })).body.company.name, 'Bodega Libre');
  // Confirmed once.
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${n}/suggestion/confirm`, { tok: agent })).status, 409);
});

test('a new address at a company\'s mail domain is suggested that company; the agent may dismiss it', async () => {
  const m = mailIn(dir, { from: 'ines@acme.pe', subject: 'Consulta', body: 'Hola, ¿cómo agrego un embudo?', id: 'id2@acme.pe' });
  const n = m.json.ticket;
  const t = await ticket(n);
  assert.equal(t.suggestion.basis, 'domain');
  assert.equal(t.suggestion.reason, 'posible empresa: Acme Perú SAC, por el dominio de su correo acme.pe');
  // In English for a supervisor who reads English.
  const sup = token(dir, 'supervisora@ayuda.localhost');
  await api(srv, 'PATCH', '/api/v1/me', { tok: sup, json: { lang: 'en' } });
  assert.equal((await ticket(n, sup)).suggestion.reason, 'possible company: Acme Perú SAC, from the domain of their address acme.pe');
  const d = await api(srv, 'POST', `/api/v1/tickets/${n}/suggestion/dismiss`, { tok: agent });
  assert.equal(d.status, 200);
  assert.equal(d.body.suggestion.state, 'dismissed');
  assert.equal(d.body.company, null);
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${n}/suggestion/confirm`, { tok: agent })).status, 409);
});

test('a registered user\'s form that gives the portal URL gets the suggestion; confirming can endorse under the cap', async () => {
  ayuda(['user', 'add', '--email', 'luis@correo.pe', '--name', 'Luis', '--role', 'customer', '--data', dir]);
  const luis = token(dir, 'luis@correo.pe');
  const f = await api(srv, 'POST', '/api/v1/tickets', {
    tok: luis, json: { subject: 'Error al importar', body: 'Sale un error 500.', url: 'https://acme.bitrix24.es/crm/import/' },
  });
  assert.equal(f.status, 201);
  assert.ok(!('suggestion' in f.body));
  const t = await ticket(f.body.number);
  assert.equal(t.suggestion.reason, 'posible empresa: Acme Perú SAC, por su portal acme.bitrix24.es');
  const c = await api(srv, 'POST', `/api/v1/tickets/${f.body.number}/suggestion/confirm`, { tok: agent, json: { contact: true } });
  assert.equal(c.status, 200, JSON.stringify(c.body));
  const me = (await api(srv, 'GET', '/api/v1/me', { tok: luis })).body;
  assert.equal(me.company.name, 'Acme Perú SAC');
  assert.equal(me.support_contact, true);
  // Commercial only from the licence address: Luis's is not.
  assert.match(c.body.sla.reason, /la dirección no es la registrada en la licencia/);
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${f.body.number}/suggestion/confirm`, { tok: agent, json: { contact: 'sí' } })).status, 422);
});

test('a known customer gets no suggestion', async () => {
  const jorge = token(dir, 'jorge@acme.pe');
  const f = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'x', body: 'Mi portal es bodegalibre.bitrix24.es' } });
  assert.equal((await ticket(f.body.number)).suggestion, null);
});
