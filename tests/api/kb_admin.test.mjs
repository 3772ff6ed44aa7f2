// The knowledge base's administration (issue 12, items 8 and the audit):
// categories created, renamed in both languages, reordered and deleted
// (only when empty, with the reason) by supervisors and admins; agents
// write drafts and nothing more; every change of a category or an article
// is an audit event with who, before and after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api } from './helpers.mjs';

let srv, admin, sup, agent, maria;

withDemoServer({ admin: 'admin@ayuda.localhost', sup: 'supervisora@ayuda.localhost', agent: 'agente@ayuda.localhost', maria: 'maria@acme.pe' },
  (d) => ({ srv, admin, sup, agent, maria } = d));

const cats = async (tok) => (await api(srv, 'GET', '/api/v1/kb/categories', { tok })).body.categories;
const audit = async (kind) => (await api(srv, 'GET', `/api/v1/audit?kind=${kind}`, { tok: admin })).body.events;

test('a supervisor creates, renames and reorders categories; the order is kept', async () => {
  const c = await api(srv, 'POST', '/api/v1/kb/categories', { tok: sup, json: { name_es: 'Facturación electrónica', name_en: 'E-invoicing' } });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.slug, 'facturacion-electronica');
  const all = await cats(sup);
  assert.equal(all.at(-1).id, c.body.id, 'a new category comes last');
  assert.deepEqual(all.map((x) => x.position), all.map((_, i) => i + 1));

  const r = await api(srv, 'PATCH', `/api/v1/kb/categories/${c.body.id}`, { tok: sup, json: { name_es: 'Facturas', name_en: 'Invoices' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.name_es, 'Facturas');
  assert.equal(r.body.slug, 'facturacion-electronica', 'the slug stays: its links keep working');
  const en = (await cats(undefined)).find((x) => x.id === c.body.id);
  assert.equal(en.name_es, 'Facturas');
  assert.equal(en.name_en, 'Invoices');

  const m = await api(srv, 'PATCH', `/api/v1/kb/categories/${c.body.id}`, { tok: admin, json: { position: 1 } });
  assert.equal(m.status, 200);
  const moved = await cats(admin);
  assert.equal(moved[0].id, c.body.id);
  assert.deepEqual(moved.slice(1).map((x) => x.id), all.filter((x) => x.id !== c.body.id).map((x) => x.id), 'the others keep their order');
  // Past the end: last, no gap.
  await api(srv, 'PATCH', `/api/v1/kb/categories/${c.body.id}`, { tok: admin, json: { position: 999 } });
  const last = await cats(admin);
  assert.equal(last.at(-1).id, c.body.id);
  assert.deepEqual(last.map((x) => x.position), last.map((_, i) => i + 1));

  const bad = await api(srv, 'PATCH', `/api/v1/kb/categories/${c.body.id}`, { tok: sup, json: { name_es: '' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'name_es');
  const zero = await api(srv, 'PATCH', `/api/v1/kb/categories/${c.body.id}`, { tok: sup, json: { position: 0 } });
  assert.equal(zero.status, 422);
  assert.equal((await api(srv, 'PATCH', '/api/v1/kb/categories/99999', { tok: sup, json: { name_es: 'x' } })).status, 404);
});

test('agents write drafts only; customers and strangers cannot touch categories', async () => {
  const id = (await cats(sup))[0].id;
  const ag = await api(srv, 'POST', '/api/v1/kb/categories', { tok: agent, json: { name_es: 'Del agente' } });
  assert.equal(ag.status, 403);
  assert.match(ag.body.error.message, /supervisores y administradores/);
  assert.equal((await api(srv, 'PATCH', `/api/v1/kb/categories/${id}`, { tok: agent, json: { name_es: 'x' } })).status, 403);
  assert.equal((await api(srv, 'DELETE', `/api/v1/kb/categories/${id}`, { tok: agent })).status, 403);
  assert.equal((await api(srv, 'PATCH', `/api/v1/kb/categories/${id}`, { tok: maria, json: { name_es: 'x' } })).status, 404);
  assert.equal((await api(srv, 'DELETE', `/api/v1/kb/categories/${id}`)).status, 401);
  // An agent's article is a draft; publishing it is refused.
  const a = await api(srv, 'POST', '/api/v1/kb/articles', { tok: agent, json: { state: 'published', es: { title: 'Publicado por un agente', body: 'No.' } } });
  assert.equal(a.status, 403);
  const d = await api(srv, 'POST', '/api/v1/kb/articles', { tok: agent, json: { es: { title: 'Borrador de un agente', body: 'Sí.' } } });
  assert.equal(d.status, 201);
  assert.equal(d.body.state, 'draft');
});

test('a category with articles is not deleted, and says why; an empty one is', async () => {
  const c = await api(srv, 'POST', '/api/v1/kb/categories', { tok: sup, json: { name_es: 'Temporal' } });
  const art = await api(srv, 'POST', '/api/v1/kb/articles', { tok: agent, json: { category: 'temporal', es: { title: 'Un borrador temporal', body: 'Texto.' } } });
  assert.equal(art.status, 201);
  const no = await api(srv, 'DELETE', `/api/v1/kb/categories/${c.body.id}`, { tok: sup });
  assert.equal(no.status, 409);
  assert.match(no.body.error.message, /tiene 1 artículo/);
  assert.ok((await cats(sup)).some((x) => x.id === c.body.id));
  const moved = await api(srv, 'PATCH', `/api/v1/kb/articles/${art.body.id}`, { tok: sup, json: { category: null } });
  assert.equal(moved.status, 200);
  const yes = await api(srv, 'DELETE', `/api/v1/kb/categories/${c.body.id}`, { tok: sup });
  assert.equal(yes.status, 204);
  const left = await cats(sup);
  assert.ok(!left.some((x) => x.id === c.body.id));
  assert.deepEqual(left.map((x) => x.position), left.map((_, i) => i + 1));
  assert.equal((await api(srv, 'DELETE', `/api/v1/kb/categories/${c.body.id}`, { tok: sup })).status, 404);
});

test('every change of a category is audited with who, before and after', async () => {
  const c = await api(srv, 'POST', '/api/v1/kb/categories', { tok: sup, json: { name_es: 'Auditada', name_en: 'Audited' } });
  await api(srv, 'PATCH', `/api/v1/kb/categories/${c.body.id}`, { tok: admin, json: { name_en: 'Audited twice' } });
  await api(srv, 'DELETE', `/api/v1/kb/categories/${c.body.id}`, { tok: sup });
  const supId = (await api(srv, 'GET', '/api/v1/me', { tok: sup })).body.id;
  assert.ok(supId > 0);
  const made = (await audit('kb.category.created')).find((e) => e.data.category === 'auditada');
  assert.ok(made, 'created');
  assert.equal(made.data.before, null);
  assert.equal(made.data.after.name_en, 'Audited');
  assert.equal(made.actor, supId);
  const ch = (await audit('kb.category.changed')).find((e) => e.data.category === 'auditada');
  assert.equal(ch.data.before.name_en, 'Audited');
  assert.equal(ch.data.after.name_en, 'Audited twice');
  const del = (await audit('kb.category.deleted')).find((e) => e.data.category === 'auditada');
  assert.equal(del.data.before.name_es, 'Auditada');
  assert.equal(del.data.after, null);
});

test('an article is audited when created, edited, moved between states and published', async () => {
  const c = await api(srv, 'POST', '/api/v1/kb/articles', { tok: agent, json: { es: { title: 'Cómo auditar un artículo', body: 'Uno.' } } });
  const id = c.body.id;
  await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: agent, json: { es: { title: 'Cómo auditar un artículo bien', body: 'Dos.' } } });
  await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: sup, json: { state: 'internal' } });
  await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: sup, json: { state: 'published' } });
  // A save that changes nothing the audit shows writes no event.
  await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: sup, json: { state: 'published' } });
  const mine = async (kind) => (await audit(kind)).filter((e) => e.data.after?.id === id);
  const made = await mine('kb.article.created');
  assert.equal(made.length, 1);
  assert.equal(made[0].data.after.state, 'draft');
  assert.equal(made[0].data.article, 'Cómo auditar un artículo');
  const ed = await mine('kb.article.changed');
  assert.equal(ed.length, 1);
  assert.equal(ed[0].data.before.title.es, 'Cómo auditar un artículo');
  assert.equal(ed[0].data.after.title.es, 'Cómo auditar un artículo bien');
  const st = await mine('kb.article.state');
  assert.equal(st.length, 1);
  assert.deepEqual([st[0].data.before.state, st[0].data.after.state], ['draft', 'internal']);
  const pub = await mine('kb.article.published');
  assert.equal(pub.length, 1, 'published once');
  assert.equal(pub[0].data.before.state, 'internal');
  // The audit is the admins'.
  assert.equal((await api(srv, 'GET', '/api/v1/audit?kind=kb.article.created', { tok: sup })).status, 404);
});
