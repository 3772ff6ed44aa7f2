// Companies: license and partner data (audited), support contacts and
// their cap, SLA inclusion requests, SLA levels from this data; roles and
// API tokens administered by admins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, token, api, ayuda } from './helpers.mjs';
import { outbox } from './auth_helpers.mjs';

let dir, srv, admin, agent, maria, jorge, pedro, acme, bodega, adminId;

withDemoServer({
  admin: 'admin@ayuda.localhost',
  agent: 'agente@ayuda.localhost',
  maria: 'maria@acme.pe',
  jorge: 'jorge@acme.pe',
  pedro: 'pedro@bodegalibre.pe',
}, async (d) => {
  ({ dir, srv, admin, agent, maria, jorge, pedro } = d);
  const companies = (await api(srv, 'GET', '/api/v1/companies', { tok: admin })).body.companies;
  acme = companies.find((c) => c.name === 'Acme Perú SAC');
  bodega = companies.find((c) => c.name === 'Bodega Libre');
  adminId = (await api(srv, 'GET', '/api/v1/me', { tok: admin })).body.id;
}, {
  setup: (dir) => {
    ayuda(['user', 'add', '--email', 'carla@bodegalibre.pe', '--name', 'Carla', '--role', 'customer', '--company', 'Bodega Libre', '--data', dir]);
    ayuda(['user', 'add', '--email', 'nuevo@sinempresa.pe', '--name', 'Nuevo Cliente', '--role', 'customer', '--data', dir]);
  },
});

const me = async (tok) => (await api(srv, 'GET', '/api/v1/me', { tok })).body;
const newTicket = async (tok, subject = 'Consulta') =>
  (await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject, body: 'Detalle' } })).body;

test('a company carries license, partner, consultant and contact cap', async () => {
  assert.equal(acme.license.product, 'cloud');
  assert.equal(acme.license.plan, 'professional');
  assert.equal(acme.license.status, 'active');
  assert.equal(acme.license.email, 'maria@acme.pe');
  assert.equal(acme.max_contacts, 3);
  assert.equal(acme.contacts, 1);
  const agentId = (await me(agent)).id;
  const r = await api(srv, 'PATCH', `/api/v1/companies/${acme.id}`, {
    tok: admin, json: { consultant_id: agentId, license_expires_at: '2031-12-31' },
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.consultant.id, agentId);
  assert.equal(r.body.license.expires_at, '2031-12-31T00:00:00Z');
  const bad = await api(srv, 'PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { license_plan: 'ultra' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'license_plan');
  const notAgent = await api(srv, 'PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { consultant_id: (await me(jorge)).id } });
  assert.equal(notAgent.status, 422);
});

test('license changes are audited with actor and before/after', async () => {
  const r = await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { license_plan: 'standard' } });
  assert.equal(r.status, 200);
  const audit = await api(srv, 'GET', '/api/v1/audit?kind=admin.company_updated', { tok: admin });
  const e = audit.body.events.find((x) => x.data.company === bodega.id && x.data.after.license.plan === 'standard');
  assert.ok(e);
  assert.equal(e.actor, adminId);
  assert.equal(e.data.before.license.plan, 'free');
  await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { license_plan: 'free' } });
  assert.equal((await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: agent, json: { license_plan: 'standard' } })).status, 403);
});

test('support contacts are capped: one too many is a clear 409', async () => {
  const carla = (await api(srv, 'GET', '/api/v1/users', { tok: admin })).body.users.find((u) => u.email === 'carla@bodegalibre.pe');
  // Bodega Libre may have 1 contact and has Pedro.
  const r = await api(srv, 'POST', `/api/v1/companies/${bodega.id}/contacts`, { tok: agent, json: { user_id: carla.id } });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  assert.match(r.body.error.message, /1 de 1 contactos de soporte/);
  // The commercial side raises the cap; now it works.
  assert.equal((await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { max_contacts: 2 } })).status, 200);
  const ok = await api(srv, 'POST', `/api/v1/companies/${bodega.id}/contacts`, { tok: agent, json: { user_id: carla.id } });
  assert.equal(ok.status, 201);
  assert.deepEqual(ok.body.contacts.map((c) => c.email).sort(), ['carla@bodegalibre.pe', 'pedro@bodegalibre.pe']);
  // Dropping one frees a place.
  assert.equal((await api(srv, 'DELETE', `/api/v1/companies/${bodega.id}/contacts/${carla.id}`, { tok: agent })).status, 200);
  assert.equal((await api(srv, 'GET', `/api/v1/companies/${bodega.id}`, { tok: pedro })).body.contacts, 1);
});

test("the company's admin contact endorses colleagues; others may not", async () => {
  const jorgeId = (await me(jorge)).id;
  const mariaId = (await me(maria)).id;
  assert.equal((await api(srv, 'POST', `/api/v1/companies/${acme.id}/contacts`, { tok: maria, json: { user_id: jorgeId } })).status, 403);
  assert.equal((await api(srv, 'PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { admin_contact_id: mariaId } })).status, 200);
  assert.equal((await api(srv, 'POST', `/api/v1/companies/${acme.id}/contacts`, { tok: jorge, json: { user_id: jorgeId } })).status, 403);
  // Before: Jorge is not a contact, so no commercial SLA for him.
  const before = await newTicket(jorge, 'Antes del aval');
  assert.equal(before.sla.level, 'unidentified');
  assert.match(before.sla.reason, /no es contacto de soporte avalado/);
  const r = await api(srv, 'POST', `/api/v1/companies/${acme.id}/contacts`, { tok: maria, json: { user_id: jorgeId } });
  assert.equal(r.status, 201);
  assert.equal((await me(jorge)).support_contact, true);
  // The SLA level follows the company's license and the endorsement, and
  // the commercial level only from an address registered with the licence.
  const after = await newTicket(jorge, 'Después del aval');
  assert.equal(after.sla.level, 'unidentified');
  assert.match(after.sla.reason, /la dirección no es la registrada en la licencia/);
  assert.equal((await api(srv, 'PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { license_emails: ['maria@acme.pe', 'jorge@acme.pe'] } })).status, 200);
  assert.equal((await newTicket(jorge, 'Desde una dirección de la licencia')).sla.level, 'commercial');
  // And Jorge, now a contact, sees the company's tickets.
  const mine = await newTicket(maria, 'De María');
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${mine.number}`, { tok: jorge })).status, 200);
  // An outsider cannot be endorsed by the company's admin contact.
  const pedroId = (await me(pedro)).id;
  assert.equal((await api(srv, 'POST', `/api/v1/companies/${acme.id}/contacts`, { tok: maria, json: { user_id: pedroId } })).status, 422);
});

test('SLA levels come from the company data', async () => {
  assert.equal((await newTicket(pedro)).sla.level, 'non_commercial'); // cloud free
  assert.equal((await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { partner_tier: 'silver', partner_active: true } })).status, 200);
  assert.equal((await newTicket(pedro)).sla.level, 'partner_silver');
  assert.equal((await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { partner_active: false, license_plan: 'professional', license_status: 'active', license_email: 'pedro@bodegalibre.pe' } })).status, 200);
  assert.equal((await newTicket(pedro)).sla.level, 'commercial'); // Pedro is Bodega's contact
  assert.equal((await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { license_status: 'expired' } })).status, 200);
  assert.equal((await newTicket(pedro)).sla.level, 'unidentified');
  await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { license_plan: 'free', license_status: 'active' } });
});

test('the SLA inclusion request: form, approval in one step, the requester told', async () => {
  const nuevo = token(dir, 'nuevo@sinempresa.pe');
  const form = { kind: 'commercial', full_name: 'Nuevo Cliente Pérez', position: 'Jefe de sistemas', company_name: 'Acme Perú SAC', consultant: 'Álvaro Agente' };
  const missing = await api(srv, 'POST', '/api/v1/sla-inclusion', { tok: nuevo, json: { ...form, consultant: '' } });
  assert.equal(missing.status, 422);
  assert.equal(missing.body.error.field, 'consultant');
  const { consultant, ...base } = form;
  const nc = await api(srv, 'POST', '/api/v1/sla-inclusion', { tok: nuevo, json: { ...base, kind: 'non_commercial', contact_data: '+51 1 555 0000' } });
  assert.equal(nc.status, 422);
  assert.equal(nc.body.error.field, 'instance');
  const early = await newTicket(nuevo, 'Antes de la inclusión');
  assert.equal(early.sla.level, 'unidentified');

  const r = await api(srv, 'POST', '/api/v1/sla-inclusion', { tok: nuevo, json: form });
  assert.equal(r.status, 201);
  assert.equal(r.body.category, 'sla_inclusion');
  assert.equal(r.body.inclusion.state, 'pending');
  assert.equal(r.body.inclusion.consultant, 'Álvaro Agente');
  const n = r.body.number;
  const got = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent });
  assert.match(got.body.messages[0].body, /Cargo: Jefe de sistemas/);
  // Customers cannot approve, not even their own request.
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${n}/inclusion/approve`, { tok: nuevo, json: { company_id: acme.id } })).status, 404);
  const ok = await api(srv, 'POST', `/api/v1/tickets/${n}/inclusion/approve`, { tok: agent, json: { company_id: acme.id, license_email: true } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.state, 'approved');
  const u = await me(nuevo);
  assert.equal(u.company.id, acme.id);
  assert.equal(u.support_contact, true);
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: nuevo })).body.status, 'resolved');
  const mail = outbox(dir, 'sla_inclusion_approved', 'nuevo@sinempresa.pe');
  assert.ok(mail, 'the requester is told');
  assert.equal(mail.payload.company, 'Acme Perú SAC');
  assert.equal(mail.payload.number, n);
  // The earlier ticket is reassessed, new ones get the commercial level
  // (the agent registered the address with the licence on approving).
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${early.number}`, { tok: nuevo })).body.sla.level, 'commercial');
  assert.equal((await newTicket(nuevo)).sla.level, 'commercial');
  const ev = await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent });
  assert.ok(ev.body.events.some((e) => e.kind === 'sla_inclusion.approved'));
  // Decided once.
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${n}/inclusion/approve`, { tok: agent, json: { company_id: acme.id } })).status, 409);
});

test('an inclusion beyond the cap is refused and nothing changes', async () => {
  ayuda(['user', 'add', '--email', 'extra@bodegalibre.pe', '--name', 'Extra', '--role', 'customer', '--data', dir]);
  const extra = token(dir, 'extra@bodegalibre.pe');
  const form = { kind: 'non_commercial', full_name: 'Extra', position: 'Asistente', company_name: 'Bodega Libre', contact_data: 'tel 1', instance: 'bodega.bitrix24.es' };
  const r = await api(srv, 'POST', '/api/v1/sla-inclusion', { tok: extra, json: form });
  assert.equal(r.status, 201);
  await api(srv, 'PATCH', `/api/v1/companies/${bodega.id}`, { tok: admin, json: { max_contacts: 1 } });
  const no = await api(srv, 'POST', `/api/v1/tickets/${r.body.number}/inclusion/approve`, { tok: agent, json: { company_id: bodega.id } });
  assert.equal(no.status, 409);
  assert.equal((await me(extra)).company, null);
  const rej = await api(srv, 'POST', `/api/v1/tickets/${r.body.number}/inclusion/reject`, { tok: agent, json: { reason: 'sin cupo' } });
  assert.equal(rej.status, 200);
  assert.equal(rej.body.state, 'rejected');
});

test('admins change roles and manage API tokens; all audited', async () => {
  const jorgeId = (await me(jorge)).id;
  assert.equal((await api(srv, 'PATCH', `/api/v1/users/${jorgeId}`, { tok: agent, json: { role: 'admin' } })).status, 403);
  const up = await api(srv, 'PATCH', `/api/v1/users/${jorgeId}`, { tok: admin, json: { role: 'supervisor' } });
  assert.equal(up.status, 200);
  assert.equal(up.body.role, 'supervisor');
  const audit = await api(srv, 'GET', '/api/v1/audit?kind=admin.user_updated', { tok: admin });
  const e = audit.body.events[0];
  assert.equal(e.actor, adminId);
  assert.deepEqual([e.data.before.role, e.data.after.role], ['customer', 'supervisor']);
  await api(srv, 'PATCH', `/api/v1/users/${jorgeId}`, { tok: admin, json: { role: 'customer' } });
  assert.equal((await api(srv, 'PATCH', `/api/v1/users/${adminId}`, { tok: admin, json: { role: 'agent' } })).status, 422);

  const t = await api(srv, 'POST', `/api/v1/users/${jorgeId}/tokens`, { tok: admin, json: { name: 'integración CRM', expires_in_days: 30 } });
  assert.equal(t.status, 201);
  assert.match(t.body.token, /^ayu_[0-9a-f]{64}$/);
  assert.equal((await me(t.body.token)).email, 'jorge@acme.pe');
  const list = await api(srv, 'GET', `/api/v1/users/${jorgeId}/tokens`, { tok: jorge });
  const mine = list.body.tokens.find((x) => x.id === t.body.id);
  assert.equal(mine.name, 'integración CRM');
  assert.ok(mine.expires_at);
  assert.ok(!JSON.stringify(list.body).includes(t.body.token.slice(4)), 'listed without the secret');
  assert.equal((await api(srv, 'POST', `/api/v1/users/${jorgeId}/tokens`, { tok: jorge, json: { name: 'mío' } })).status, 403);
  assert.equal((await api(srv, 'DELETE', `/api/v1/tokens/${t.body.id}`, { tok: jorge })).status, 404);
  assert.equal((await api(srv, 'DELETE', `/api/v1/tokens/${t.body.id}`, { tok: admin })).status, 200);
  assert.equal((await api(srv, 'GET', '/api/v1/me', { tok: t.body.token })).status, 401);
  const kinds = (await api(srv, 'GET', '/api/v1/audit', { tok: admin })).body.events.map((x) => x.kind);
  assert.ok(kinds.includes('admin.token_created') && kinds.includes('admin.token_revoked'));
  // A disabled user is out at once.
  await api(srv, 'PATCH', `/api/v1/users/${jorgeId}`, { tok: admin, json: { disabled: true } });
  assert.equal((await api(srv, 'GET', '/api/v1/me', { tok: jorge })).status, 401);
  await api(srv, 'PATCH', `/api/v1/users/${jorgeId}`, { tok: admin, json: { disabled: false } });
  assert.equal((await api(srv, 'GET', '/api/v1/me', { tok: jorge })).status, 200);
});
