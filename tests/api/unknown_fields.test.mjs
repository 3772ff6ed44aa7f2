// Nothing a client sends is silently dropped: on every route that takes a
// JSON body, a member the route does not know is a 422 that names it, and
// nothing is done. A misspelt "expires_in_dyas" must not give a secret the
// default lifetime without a word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api } from './helpers.mjs';

let srv, admin, agent, pedro, n;

withDemoServer({
  admin: 'admin@ayuda.localhost',
  agent: 'agente@ayuda.localhost',
  pedro: 'pedro@bodegalibre.pe',
}, async (d) => {
  ({ srv, admin, agent, pedro } = d);
  n = (await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: 'Base', body: 'x' } })).body.number;
}, {
  env: { AYUDA_PWHASH_FAST: '1' },
});

test('every JSON route refuses a member it does not know, naming it', async () => {
  const me = (await api(srv, 'GET', '/api/v1/me', { tok: pedro })).body;
  const companies = (await api(srv, 'GET', '/api/v1/companies', { tok: agent })).body.companies;
  const bodega = companies.find((c) => c.name === 'Bodega Libre');
  const tickets = (await api(srv, 'GET', '/api/v1/tickets', { tok: pedro })).body.tickets.length;
  const routes = [
    [null, 'POST', '/api/v1/auth/register', { name: 'N', email: 'n@x.pe', password: 'una clave larga' }],
    [null, 'POST', '/api/v1/auth/verify', { token: 'a'.repeat(64) }],
    [null, 'POST', '/api/v1/auth/login', { email: 'pedro@bodegalibre.pe', password: 'demo1234' }],
    [null, 'POST', '/api/v1/auth/password-reset', { email: 'pedro@bodegalibre.pe' }],
    [null, 'POST', '/api/v1/auth/password-reset/confirm', { token: 'a'.repeat(64), password: 'otra clave larga' }],
    [null, 'POST', `/api/v1/surveys/${'a'.repeat(64)}`, { rating: 5 }],
    [pedro, 'PATCH', '/api/v1/me', { lang: 'en' }],
    [pedro, 'POST', '/api/v1/me/password', { current_password: 'demo1234', new_password: 'otra clave larga' }],
    [pedro, 'POST', '/api/v1/me/email', { password: 'demo1234', email: 'nuevo@bodegalibre.pe' }],
    [pedro, 'POST', '/api/v1/tickets', { subject: 's', body: 'b' }],
    [agent, 'PATCH', `/api/v1/tickets/${n}`, { status: 'open' }],
    [pedro, 'POST', `/api/v1/tickets/${n}/messages`, { body: 'b' }],
    [agent, 'POST', `/api/v1/tickets/${n}/secrets`, { label: 'ssh', secret: 's3cr3t' }],
    [pedro, 'POST', `/api/v1/tickets/${n}/supervisor-review`, { reason: 'Sin respuesta' }],
    [agent, 'POST', `/api/v1/tickets/${n}/sla/reassess`, { license_confirmed: true }],
    [agent, 'POST', `/api/v1/tickets/${n}/suggestion/confirm`, {}],
    [agent, 'POST', `/api/v1/tickets/${n}/inclusion/approve`, { company_id: bodega.id }],
    [agent, 'POST', `/api/v1/tickets/${n}/inclusion/reject`, { reason: 'no' }],
    [pedro, 'POST', '/api/v1/sla-inclusion', { kind: 'non_commercial', full_name: 'P', position: 'G', company_name: 'B', contact_data: 't', instance: 'i' }],
    [admin, 'PATCH', `/api/v1/users/${me.id}`, { role: 'customer' }],
    [admin, 'POST', `/api/v1/users/${me.id}/tokens`, { name: 'ci' }],
    [admin, 'POST', '/api/v1/companies', { name: 'Nueva SA' }],
    [admin, 'PATCH', `/api/v1/companies/${bodega.id}`, { max_contacts: 2 }],
    [agent, 'POST', `/api/v1/companies/${bodega.id}/contacts`, { user_id: me.id }],
    [admin, 'PATCH', '/api/v1/sla/levels/commercial', { response_minutes: 1440 }],
    [admin, 'PUT', '/api/v1/ticket-fields/product', { choices: [] }],
  ];
  for (const [tok, method, path, json] of routes) {
    const r = await api(srv, method, path, { tok, json: { ...json, expires_in_dyas: 7 } });
    assert.equal(r.status, 422, `${method} ${path}: ${JSON.stringify(r.body)}`);
    assert.ok(JSON.stringify(r.body.error).includes('expires_in_dyas'), `${method} ${path}: ${JSON.stringify(r.body)}`);
  }
  // Nothing was done: no ticket, no language change, no company.
  assert.equal((await api(srv, 'GET', '/api/v1/tickets', { tok: pedro })).body.tickets.length, tickets);
  assert.equal((await api(srv, 'GET', '/api/v1/me', { tok: pedro })).body.lang, 'es');
  const after = (await api(srv, 'GET', '/api/v1/companies', { tok: agent })).body.companies;
  assert.equal(after.length, companies.length);
});
