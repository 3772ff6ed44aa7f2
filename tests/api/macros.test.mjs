// Canned answers (issue 11 item 6, docs/api-agent.md section 6): agents
// list, search and render them; supervisors and admins create, edit and
// delete them, each change in the audit log; customers never see them.
// The clock stands at Monday 2026-12-07 17:00 in Lima, so Lucía's gold
// ticket (demo ticket 2, 720 business minutes; Tuesday and Wednesday are
// holidays) is due Thursday 2026-12-10 18:30.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';

const NOW = String(Date.parse('2026-12-07T17:00:00-05:00') / 1000);
let dir, srv, agent, sup, admin, maria;

before(async () => {
  dir = newDataDir({ env: { ...process.env, AYUDA_FAKE_NOW: NOW } });
  agent = token(dir, 'agente@ayuda.localhost');
  sup = token(dir, 'supervisora@ayuda.localhost');
  admin = token(dir, 'admin@ayuda.localhost');
  maria = token(dir, 'maria@acme.pe');
  srv = await serve(dir, { AYUDA_FAKE_NOW: NOW });
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

const names = (r) => r.body.macros.map((m) => m.name);

test('agents find the demo macros by a few letters, accents and case aside; customers do not see them', async () => {
  const all = await api(srv, 'GET', '/api/v1/macros', { tok: agent });
  assert.equal(all.status, 200, JSON.stringify(all.body));
  assert.ok(all.body.macros.length >= 8);
  assert.ok(names(all).includes('Pedir el correo de la licencia'));
  const out = await api(srv, 'GET', '/api/v1/macros?q=FUERA%20de', { tok: agent });
  assert.deepEqual(names(out), ['Fuera de alcance: desarrollo a medida', 'Fuera de alcance: servidor y software de terceros']);
  assert.equal(out.body.macros[0].category, 'out_of_scope');
  assert.equal(out.body.macros[0].status, 'closed');
  // A name that matches comes before a text that matches; "modulos" finds "módulos".
  assert.deepEqual(names(await api(srv, 'GET', '/api/v1/macros?q=correo&lang=es', { tok: agent })),
    ['Pedir el correo de la licencia', 'Acceso a su Bitrix24 (invitación a partners)']);
  assert.deepEqual(names(await api(srv, 'GET', '/api/v1/macros?q=MODULOS&lang=es', { tok: agent })), ['Fuera de alcance: desarrollo a medida']);
  const en = await api(srv, 'GET', '/api/v1/macros?lang=en', { tok: agent });
  assert.deepEqual(names(en), ['Licence email needed', 'Out of scope: custom development']);
  assert.equal((await api(srv, 'GET', '/api/v1/macros?lang=fr', { tok: agent })).status, 422);
  assert.equal((await api(srv, 'GET', `/api/v1/macros?q=${'a'.repeat(101)}`, { tok: agent })).status, 422);
  const one = await api(srv, 'GET', `/api/v1/macros/${en.body.macros[0].id}`, { tok: agent });
  assert.equal(one.body.lang, 'en');
  assert.match(one.body.body, /\{customer\}/);
  for (const path of ['/api/v1/macros', `/api/v1/macros/${one.body.id}`, `/api/v1/macros/${one.body.id}/render?ticket=1`]) {
    assert.equal((await api(srv, 'GET', path, { tok: maria })).status, 404, path);
  }
  assert.equal((await api(srv, 'GET', '/api/v1/macros/99999', { tok: agent })).status, 404);
});

test('render fills every placeholder by its Spanish and its English name, and lists the unknown ones', async () => {
  const es = await api(srv, 'POST', '/api/v1/macros', {
    tok: sup,
    json: { name: 'Todos los campos', lang: 'es', body: '{cliente}|{empresa}|{ticket}|{asunto}|{nivel}|{vencimiento}|{agente}|{teléfono}|{ticket}|{teléfono}|{ no }', status: 'pending_customer' },
  });
  assert.equal(es.status, 201, JSON.stringify(es.body));
  const r = await api(srv, 'GET', `/api/v1/macros/${es.body.id}/render?ticket=2`, { tok: agent });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.body, 'Lucía Torres|Socio Andino|Ticket#2|Consulta sobre el API REST: crm.deal.list|Partner Oro|'
    + 'jueves, 10 de diciembre de 2026, 18:30 (America/Lima)|Álvaro Agente|{teléfono}|Ticket#2|{teléfono}|{ no }');
  assert.deepEqual(r.body.unknown, ['{teléfono}']);
  assert.equal(r.body.status, 'pending_customer');
  assert.equal(r.body.category, null);

  const en = await api(srv, 'POST', '/api/v1/macros', {
    tok: admin,
    json: { name: 'All fields', lang: 'en', body: '{customer}|{company}|{ticket}|{subject}|{level}|{due}|{agent}|{Cliente}' },
  });
  assert.equal(en.status, 201, JSON.stringify(en.body));
  const e = await api(srv, 'GET', `/api/v1/macros/${en.body.id}/render?ticket=2`, { tok: sup });
  const [customer, company, tk, subject, level, due, who, mixed] = e.body.body.split('|');
  assert.deepEqual([customer, company, tk, subject, who, mixed],
    ['Lucía Torres', 'Socio Andino', 'Ticket#2', 'Consulta sobre el API REST: crm.deal.list', 'Sofía Supervisora', 'Lucía Torres']);
  assert.equal(level, 'Gold partner');
  assert.match(due, /^Thursday, December 10, 2026,? (at )?6:30\sPM \(America\/Lima\)$/);
  assert.deepEqual(e.body.unknown, []);
  // No company: empty; the ticket is not changed by rendering.
  const p = await api(srv, 'GET', `/api/v1/macros/${en.body.id}/render?ticket=1`, { tok: agent });
  assert.equal(p.body.body.split('|')[1], 'Acme Perú SAC');
  const t2 = await api(srv, 'GET', '/api/v1/tickets/2', { tok: agent });
  assert.equal(t2.body.status, 'new');
  assert.equal((await api(srv, 'GET', `/api/v1/macros/${en.body.id}/render?ticket=99999`, { tok: agent })).status, 404);
  const noTicket = await api(srv, 'GET', `/api/v1/macros/${en.body.id}/render`, { tok: agent });
  assert.equal(noTicket.status, 422);
  assert.equal(noTicket.body.error.field, 'ticket');
});

test('only supervisors and admins create, edit and delete macros, and each change is audited', async () => {
  const json = { name: 'Solución enviada', body: 'Hola {cliente}, le enviamos la solución.', status: 'resolved' };
  const byAgent = await api(srv, 'POST', '/api/v1/macros', { tok: agent, json });
  assert.equal(byAgent.status, 403);
  assert.equal(byAgent.body.error.code, 'forbidden');
  assert.equal((await api(srv, 'POST', '/api/v1/macros', { tok: maria, json })).status, 404);
  const c = await api(srv, 'POST', '/api/v1/macros', { tok: sup, json });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.lang, 'es');
  assert.equal(c.body.category, null);
  const id = c.body.id;
  assert.equal((await api(srv, 'PATCH', `/api/v1/macros/${id}`, { tok: agent, json: { name: 'x' } })).status, 403);
  assert.equal((await api(srv, 'DELETE', `/api/v1/macros/${id}`, { tok: agent })).status, 403);
  assert.equal((await api(srv, 'DELETE', `/api/v1/macros/${id}`, { tok: maria })).status, 404);
  const e = await api(srv, 'PATCH', `/api/v1/macros/${id}`, { tok: admin, json: { name: '  Solución enviada (cierre) ', category: 'support' } });
  assert.equal(e.status, 200, JSON.stringify(e.body));
  assert.equal(e.body.name, 'Solución enviada (cierre)');
  assert.equal(e.body.body, json.body);
  assert.equal(e.body.status, 'resolved');
  assert.equal(e.body.category, 'support');
  const cleared = await api(srv, 'PATCH', `/api/v1/macros/${id}`, { tok: sup, json: { status: null } });
  assert.equal(cleared.body.status, null);
  assert.equal((await api(srv, 'DELETE', `/api/v1/macros/${id}`, { tok: sup })).status, 204);
  assert.equal((await api(srv, 'GET', `/api/v1/macros/${id}`, { tok: agent })).status, 404);
  assert.equal((await api(srv, 'DELETE', `/api/v1/macros/${id}`, { tok: sup })).status, 404);
  assert.ok(!names(await api(srv, 'GET', '/api/v1/macros?q=solucion', { tok: agent })).includes('Solución enviada (cierre)'));

  const audit = async (kind) => (await api(srv, 'GET', `/api/v1/audit?kind=${kind}`, { tok: admin })).body.events;
  const created = (await audit('macro.created')).find((ev) => ev.data.after && ev.data.after.id === id);
  assert.equal(created.data.macro, 'Solución enviada');
  assert.equal(created.data.before, null);
  const changed = (await audit('macro.changed')).filter((ev) => ev.data.after.id === id);
  assert.equal(changed.length, 2);
  const rename = changed.find((ev) => ev.data.before.name === 'Solución enviada');
  assert.equal(rename.data.after.name, 'Solución enviada (cierre)');
  assert.equal(rename.data.before.category, null);
  assert.equal(rename.data.after.category, 'support');
  const deleted = (await audit('macro.deleted')).find((ev) => ev.data.before.id === id);
  assert.equal(deleted.data.after, null);
  assert.equal(deleted.data.macro, 'Solución enviada (cierre)');
});

test('a macro that is not valid is refused with 422 naming the member', async () => {
  const post = (json) => api(srv, 'POST', '/api/v1/macros', { tok: sup, json });
  const ok = { name: 'Válida', body: 'Texto' };
  const cases = [
    [{ body: 'Sin nombre' }, 'name'],
    [{ ...ok, name: '   ' }, 'name'],
    [{ ...ok, name: 'a'.repeat(101) }, 'name'],
    [{ ...ok, name: 'dos\nlíneas' }, 'name'],
    [{ ...ok, name: 5 }, 'name'],
    [{ name: 'Sin texto' }, 'body'],
    [{ ...ok, body: ' \n ' }, 'body'],
    [{ ...ok, body: 'x'.repeat(20001) }, 'body'],
    [{ ...ok, lang: 'fr' }, 'lang'],
    [{ ...ok, status: 'new' }, 'status'],
    [{ ...ok, status: 'dormido' }, 'status'],
    [{ ...ok, category: 'ventas' }, 'category'],
    [{ ...ok, category: 3 }, 'category'],
    [{ ...ok, purpose: 'out_of_scope' }, 'purpose'],
  ];
  for (const [json, field] of cases) {
    const r = await post(json);
    assert.equal(r.status, 422, `${JSON.stringify(json).slice(0, 80)}: ${r.status}`);
    assert.equal(r.body.error.code, 'validation_failed');
    assert.equal(r.body.error.field, field, JSON.stringify(r.body));
    assert.ok(r.body.error.message.length > 5);
  }
  // One name per language.
  assert.equal((await post(ok)).status, 201);
  const twice = await post(ok);
  assert.equal(twice.status, 422);
  assert.equal(twice.body.error.field, 'name');
  assert.match(twice.body.error.message, /ya hay una respuesta con ese nombre/);
  const en = await post({ ...ok, lang: 'en' });
  assert.equal(en.status, 201);
  assert.equal((await api(srv, 'PATCH', `/api/v1/macros/${en.body.id}`, { tok: sup, json: { lang: 'es' } })).status, 422);
  assert.equal((await api(srv, 'PATCH', `/api/v1/macros/${en.body.id}`, { tok: sup, json: {} })).status, 422);
  assert.equal((await api(srv, 'PATCH', `/api/v1/macros/${en.body.id}`, { tok: sup, json: { body: '' } })).status, 422);
  assert.equal((await api(srv, 'PATCH', '/api/v1/macros/99999', { tok: sup, json: { body: 'x' } })).status, 404);
  assert.equal((await api(srv, 'GET', `/api/v1/macros/${en.body.id}`, { tok: agent })).body.lang, 'en');
});

test('the list is in order of name, accents and case aside', async () => {
  const c = await api(srv, 'POST', '/api/v1/macros', { tok: sup, json: { name: 'Álbum de capturas', body: 'Adjunte las capturas, {cliente}.' } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const es = names(await api(srv, 'GET', '/api/v1/macros?lang=es', { tok: agent }));
  assert.deepEqual(es.slice(0, 3), ['Acceso a su Bitrix24 (invitación a partners)', 'Álbum de capturas', 'Aviso de escalado a desarrollo']);
  assert.equal((await api(srv, 'DELETE', `/api/v1/macros/${c.body.id}`, { tok: sup })).status, 204);
});
