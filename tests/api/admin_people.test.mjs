// The admin console's "people and companies" (issue 13, item 5) over the
// API: users searched, filtered by role and paged; a user's language and
// time zone set by an admin; companies searched; the SLA inclusion requests
// waiting for a decision; a rejection mailed with its reason; every change
// in the audit with before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, token, api, ayuda } from './helpers.mjs';
import { outbox, sql } from './auth_helpers.mjs';

let dir, srv, admin, agent, maria;

withDemoServer({
  admin: 'admin@ayuda.localhost',
  agent: 'agente@ayuda.localhost',
  maria: 'maria@acme.pe',
}, (d) => ({ dir, srv, admin, agent, maria } = d), {
  setup: (dir) => {
    for (let i = 1; i <= 12; i++) {
      ayuda(['user', 'add', '--email', `cliente${i}@ferreteria.pe`, '--name', `Cliente Ferretería ${i}`,
        '--role', 'customer', '--data', dir]);
    }
    ayuda(['user', 'add', '--email', 'pide@nueva.pe', '--name', 'Paula Pide', '--role', 'customer', '--data', dir]);
    ayuda(['user', 'add', '--email', 'otra@nueva.pe', '--name', 'Otto Pide', '--role', 'customer', '--data', dir]);
  },
});

const get = async (path, tok = admin) => api(srv, 'GET', path, { tok });
const audit = async (kind) => (await get(`/api/v1/audit?kind=${kind}`)).body.events;

test('users are searched by name or address, filtered by role and paged with their total', async () => {
  const page1 = await get('/api/v1/users?q=ferreter%C3%ADa&limit=5');
  assert.equal(page1.status, 200);
  assert.equal(page1.body.total, 12);
  assert.equal(page1.body.users.length, 5);
  // By name: 1, 10, 11, 12, 2, ..., so the third page holds 8 and 9.
  const page3 = await get('/api/v1/users?q=FERRETERIA.PE&limit=5&offset=10');
  assert.equal(page3.body.total, 12, 'the address matches in any case');
  assert.deepEqual(page3.body.users.map((u) => u.email), ['cliente8@ferreteria.pe', 'cliente9@ferreteria.pe']);
  const all = new Set();
  for (let off = 0; off < 12; off += 5) {
    for (const u of (await get(`/api/v1/users?q=ferreter%C3%ADa&limit=5&offset=${off}`)).body.users) all.add(u.email);
  }
  assert.equal(all.size, 12, 'the pages neither repeat nor skip anyone');

  const admins = await get('/api/v1/users?role=admin');
  assert.deepEqual(admins.body.users.map((u) => u.email), ['admin@ayuda.localhost']);
  const maria_ = (await get('/api/v1/users?q=maria%40acme')).body.users[0];
  assert.equal(maria_.company_name, 'Acme Perú SAC');
  // "%" is a character to find, not a wildcard.
  assert.equal((await get('/api/v1/users?q=%25')).body.total, 0);
  assert.equal((await get('/api/v1/users?role=root')).status, 422);
  assert.equal((await get('/api/v1/users?limit=0')).status, 422);
  // A customer still sees only themselves, whatever the filter.
  const own = await get('/api/v1/users?q=a', maria);
  assert.deepEqual(own.body.users.map((u) => u.email), ['maria@acme.pe']);
});

test('an admin sets a user\'s language and time zone; the audit shows before and after', async () => {
  const u = (await get('/api/v1/users?q=cliente3%40')).body.users[0];
  const r = await api(srv, 'PATCH', `/api/v1/users/${u.id}`, { tok: admin, json: { lang: 'en', timezone: 'America/Bogota' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.lang, 'en');
  assert.equal(r.body.timezone, 'America/Bogota');
  const e = (await audit('admin.user_updated'))[0];
  assert.equal(e.data.user, u.id);
  assert.deepEqual([e.data.before.lang, e.data.after.lang], ['es', 'en']);
  assert.deepEqual([e.data.before.timezone, e.data.after.timezone], [null, 'America/Bogota']);
  const back = await api(srv, 'PATCH', `/api/v1/users/${u.id}`, { tok: admin, json: { timezone: null } });
  assert.equal(back.body.timezone, null);
  const bad = await api(srv, 'PATCH', `/api/v1/users/${u.id}`, { tok: admin, json: { timezone: 'Marte/Olympus' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'timezone');
  assert.equal((await api(srv, 'PATCH', `/api/v1/users/${u.id}`, { tok: admin, json: { lang: 'fr' } })).body.error.field, 'lang');
  assert.equal((await api(srv, 'PATCH', `/api/v1/users/${u.id}`, { tok: agent, json: { lang: 'en' } })).status, 403);
  const self = (await get('/api/v1/me')).body.id;
  const off = await api(srv, 'PATCH', `/api/v1/users/${self}`, { tok: admin, json: { disabled: true } });
  assert.equal(off.status, 422);
  assert.equal(off.body.error.field, 'disabled');
});

test('tokens: creation and revocation are audited with before and after', async () => {
  const u = (await get('/api/v1/users?q=cliente4%40')).body.users[0];
  const t = await api(srv, 'POST', `/api/v1/users/${u.id}/tokens`, { tok: admin, json: { name: 'CRM', expires_in_days: 7 } });
  assert.equal(t.status, 201);
  const made = (await audit('admin.token_created'))[0];
  assert.equal(made.data.before, null);
  assert.equal(made.data.after.name, 'CRM');
  assert.ok(Date.parse(made.data.after.expires_at) > Date.now() + 6 * 86400e3);
  assert.equal((await api(srv, 'DELETE', `/api/v1/tokens/${t.body.id}`, { tok: admin })).status, 200);
  const gone = (await audit('admin.token_revoked'))[0];
  assert.equal(gone.data.before.revoked_at, null);
  assert.ok(gone.data.after.revoked_at);
});

test('companies are searched by name, domain or licence address, and paged', async () => {
  const byName = await get('/api/v1/companies?q=acme');
  assert.equal(byName.status, 200);
  assert.deepEqual(byName.body.companies.map((c) => c.name), ['Acme Perú SAC']);
  assert.equal(byName.body.total, 1);
  const byEmail = await get('/api/v1/companies?q=MARIA%40ACME.PE');
  assert.deepEqual(byEmail.body.companies.map((c) => c.name), ['Acme Perú SAC']);
  const all = (await get('/api/v1/companies')).body;
  assert.ok(all.total >= 3);
  const second = await get('/api/v1/companies?limit=1&offset=1');
  assert.equal(second.body.companies[0].name, all.companies[1].name);
  assert.equal(second.body.total, all.total);
});

test('endorsing and withdrawing a contact is audited with before and after; the cap names itself', async () => {
  const co = (await api(srv, 'POST', '/api/v1/companies', { tok: admin, json: { name: 'Ferretería Dos', max_contacts: 1 } })).body;
  const [a, b] = (await get('/api/v1/users?q=cliente1&limit=2')).body.users;
  const made = (await audit('company.created'))[0];
  assert.equal(made.data.before, null);
  assert.deepEqual(made.data.after, { name: 'Ferretería Dos', max_contacts: 3 });
  const ok = await api(srv, 'POST', `/api/v1/companies/${co.id}/contacts`, { tok: admin, json: { user_id: a.id } });
  assert.equal(ok.status, 201);
  const e = (await audit('company.contact_endorsed'))[0];
  assert.deepEqual([e.data.before.support_contact, e.data.after.support_contact], [false, true]);
  assert.deepEqual([e.data.before.company_id, e.data.after.company_id], [null, co.id]);
  const over = await api(srv, 'POST', `/api/v1/companies/${co.id}/contacts`, { tok: admin, json: { user_id: b.id } });
  assert.equal(over.status, 409);
  assert.equal(over.body.error.field, 'max_contacts');
  assert.match(over.body.error.message, /1 de 1 contactos/);
  const inCo = await get(`/api/v1/users?company=${co.id}`);
  assert.deepEqual(inCo.body.users.map((u) => u.id), [a.id]);
  assert.equal((await api(srv, 'DELETE', `/api/v1/companies/${co.id}/contacts/${a.id}`, { tok: admin })).status, 200);
  const w = (await audit('company.contact_removed'))[0];
  assert.deepEqual([w.data.before.support_contact, w.data.after.support_contact], [true, false]);
});

async function request(email, company) {
  const tok = token(dir, email);
  const r = await api(srv, 'POST', '/api/v1/sla-inclusion', {
    tok, json: { kind: 'commercial', full_name: 'Paula Pide', position: 'Gerente', company_name: company, consultant: 'Álvaro' },
  });
  assert.equal(r.status, 201);
  return r.body.number;
}

test('the inclusion requests waiting for a decision are listed, oldest first, with the company they name', async () => {
  const n1 = await request('pide@nueva.pe', 'ACME Perú sac');
  const n2 = await request('otra@nueva.pe', 'Empresa que no existe');
  const list = await get('/api/v1/sla-inclusion', agent);
  assert.equal(list.status, 200);
  const mine = list.body.requests.filter((x) => [n1, n2].includes(x.number));
  assert.deepEqual(mine.map((x) => x.number), [n1, n2]);
  assert.equal(mine[0].requester.email, 'pide@nueva.pe');
  assert.equal(mine[0].consultant, 'Álvaro');
  assert.equal(mine[0].suggested_company?.name, 'Acme Perú SAC');
  assert.equal(mine[1].suggested_company, null);
  assert.equal((await get('/api/v1/sla-inclusion', maria)).status, 404);
  assert.equal((await get('/api/v1/sla-inclusion?state=maybe')).status, 422);

  // Rejected with a reason: it leaves the list, and the reason is mailed.
  const rej = await api(srv, 'POST', `/api/v1/tickets/${n2}/inclusion/reject`, {
    tok: admin, json: { reason: 'No encontramos una licencia a ese nombre.' },
  });
  assert.equal(rej.status, 200);
  const after_ = (await get('/api/v1/sla-inclusion')).body.requests.map((x) => x.number);
  assert.ok(!after_.includes(n2) && after_.includes(n1));
  assert.ok((await get('/api/v1/sla-inclusion?state=rejected')).body.requests.some((x) => x.number === n2));
  const decided = (await audit('admin.inclusion_decided'))[0];
  assert.equal(decided.data.ticket, n2);
  assert.deepEqual([decided.data.before.state, decided.data.after.state], ['pending', 'rejected']);
  assert.equal(decided.data.after.reason, 'No encontramos una licencia a ese nombre.');
  const mail = outbox(dir, 'sla_inclusion_rejected', 'otra@nueva.pe');
  assert.ok(mail, 'the rejection is mailed to the requester');
  assert.equal(mail.payload.reason, 'No encontramos una licencia a ese nombre.');
  // The decision's mail is the only one: no "status changed" notice too.
  const kinds = sql(dir, `SELECT kind FROM outbox WHERE ticket_id = ${mail.ticket_id} ORDER BY id`).map((x) => x.kind);
  assert.deepEqual(kinds.filter((k) => k !== 'ticket_received'), ['sla_inclusion_rejected']);
});
