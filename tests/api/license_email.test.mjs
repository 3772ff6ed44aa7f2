// Policy 7.15: "el nivel de SLA de Cliente Comercial solo será asignado a
// los tickets creados usando la dirección de correo electrónico
// especificado en el registro de una licencia comercial". Acme's licence is
// registered with maria@acme.pe; Jorge, an endorsed contact, writes from his
// own address.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api, ayuda, mailIn } from './helpers.mjs';
import { outbox } from './auth_helpers.mjs';

let dir, srv, admin, agent, jorge, acme;

withDemoServer({
  admin: 'admin@ayuda.localhost',
  agent: 'agente@ayuda.localhost',
  jorge: 'jorge@acme.pe',
}, async (d) => {
  ({ dir, srv, admin, agent, jorge } = d);
  acme = (await api(srv, 'GET', '/api/v1/companies', { tok: agent })).body.companies.find((c) => c.name === 'Acme Perú SAC');
  const jorgeId = (await api(srv, 'GET', '/api/v1/me', { tok: jorge })).body.id;
  const e = await api(srv, 'POST', `/api/v1/companies/${acme.id}/contacts`, { tok: agent, json: { user_id: jorgeId } });
  assert.equal(e.status, 201);
});

const ticket = async (n) => (await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent })).body;

test('mail from the licence address gets the commercial level; an endorsed colleague from his own does not', async () => {
  assert.deepEqual(acme.license.emails, ['maria@acme.pe']);
  const m = mailIn(dir, { from: 'María Quispe <maria@acme.pe>', subject: 'Exportación', body: 'No exporta.', id: 'lic1@acme.pe' });
  assert.equal(m.code, 0, m.stderr);
  assert.equal((await ticket(m.json.ticket)).sla.level, 'commercial');

  const j = mailIn(dir, { from: 'Jorge Ramos <jorge@acme.pe>', subject: 'Permisos', body: 'No veo el CRM.', id: 'lic2@acme.pe' });
  assert.equal(j.code, 0, j.stderr);
  const t = await ticket(j.json.ticket);
  assert.equal(t.sla.level, 'unidentified');
  assert.equal(t.sla.reason, 'la dirección no es la registrada en la licencia de Acme Perú SAC (jorge@acme.pe)');
  assert.equal(t.sla.due_at, null);
  // His acknowledgement tells him why and what to do; María's does not.
  assert.equal(outbox(dir, 'ticket_received', 'jorge@acme.pe').payload.license_address, false);
  assert.ok(!('license_address' in outbox(dir, 'ticket_received', 'maria@acme.pe').payload));
  // The web form says the same: the address of the account is what counts.
  const w = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'Desde el portal', body: 'x' } });
  assert.equal(w.body.sla.level, 'unidentified');
});

test('the agent confirms the licence holder on one ticket, and only an agent may', async () => {
  const j = mailIn(dir, { from: 'jorge@acme.pe', subject: 'Urgente', body: 'Soy el titular, escribo desde otra cuenta.', id: 'lic3@acme.pe' });
  const n = j.json.ticket;
  const no = await api(srv, 'POST', `/api/v1/tickets/${n}/sla/reassess`, { tok: jorge, json: { license_confirmed: true } });
  assert.equal(no.status, 404);
  // Reassessing alone changes nothing: the rule still holds.
  const same = await api(srv, 'POST', `/api/v1/tickets/${n}/sla/reassess`, { tok: agent });
  assert.equal(same.body.sla.level, 'unidentified');
  const r = await api(srv, 'POST', `/api/v1/tickets/${n}/sla/reassess`, { tok: agent, json: { license_confirmed: true } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.sla.level, 'commercial');
  assert.match(r.body.sla.reason, /un agente confirmó la dirección/);
  assert.ok(r.body.sla.due_at);
  const ev = (await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent })).body.events;
  const confirmed = ev.find((e) => e.kind === 'sla.license_confirmed');
  assert.ok(confirmed);
  assert.deepEqual([ev.at(-1).kind, ev.at(-1).data.to], ['sla.level', 'commercial']);
  // His other tickets keep their level.
  const other = (await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: agent })).body.tickets
    .filter((t) => t.requester.email === 'jorge@acme.pe' && t.number !== n);
  assert.ok(other.length > 0 && other.every((t) => t.sla.level === 'unidentified'));
  const bad = await api(srv, 'POST', `/api/v1/tickets/${n}/sla/reassess`, { tok: agent, json: { license_confirmed: 'si' } });
  assert.equal(bad.status, 422);
});

test('a company registers several licence addresses', async () => {
  const bad = await api(srv, 'PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { license_emails: ['maria@acme.pe', 'no es correo'] } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'license_emails');
  const p = await api(srv, 'PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { license_emails: ['maria@acme.pe', 'Jorge@Acme.pe'] } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const c = await api(srv, 'GET', `/api/v1/companies/${acme.id}`, { tok: agent });
  assert.deepEqual(c.body.license.emails.sort(), ['jorge@acme.pe', 'maria@acme.pe']);
  const j = mailIn(dir, { from: 'jorge@acme.pe', subject: 'Ahora sí', body: 'x', id: 'lic4@acme.pe' });
  assert.equal((await ticket(j.json.ticket)).sla.level, 'commercial');
  // A company with none registered gets no commercial level at all.
  const co = JSON.parse(ayuda(['company', 'add', '--name', 'Sin Registro SA', '--license-product', 'cloud', '--license-plan',
    'standard', '--license-status', 'active', '--data', dir]));
  ayuda(['user', 'add', '--email', 'rita@sinregistro.pe', '--name', 'Rita', '--role', 'customer', '--company', 'Sin Registro SA',
    '--contact', '--data', dir]);
  const r = mailIn(dir, { from: 'rita@sinregistro.pe', subject: 'Hola', body: 'x', id: 'lic5@sinregistro.pe' });
  const t = await ticket(r.json.ticket);
  assert.equal(t.sla.level, 'unidentified');
  assert.match(t.sla.reason, /Sin Registro SA no tiene registrada la dirección de su licencia/);
  assert.equal(co.license.emails.length, 0);
});

test('the rule is a setting of the commercial level, on by default', async () => {
  const levels = await api(srv, 'GET', '/api/v1/sla/levels', { tok: agent });
  const commercial = levels.body.levels.find((l) => l.code === 'commercial');
  assert.equal(commercial.license_email_only, true);
  assert.ok(levels.body.levels.filter((l) => l.code !== 'commercial').every((l) => l.license_email_only === false));
  const off = await api(srv, 'PATCH', '/api/v1/sla/levels/commercial', { tok: admin, json: { license_email_only: false } });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  assert.equal(off.body.license_email_only, false);
  const r = mailIn(dir, { from: 'rita@sinregistro.pe', subject: 'Sin la regla', body: 'x', id: 'lic6@sinregistro.pe' });
  assert.equal((await ticket(r.json.ticket)).sla.level, 'commercial');
  const on = await api(srv, 'PATCH', '/api/v1/sla/levels/commercial', { tok: admin, json: { license_email_only: true } });
  assert.equal(on.body.license_email_only, true);
  assert.equal((await api(srv, 'PATCH', '/api/v1/sla/levels/commercial', { tok: admin, json: { license_email_only: 1 } })).status, 422);
});
