// What a ticket carries (policy 7.4): the description, the steps to
// reproduce, the URL where the problem occurs, the product, its edition and
// the version are fields of the ticket; the products and editions offered
// are choices an admin edits; nothing a client sends is silently dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api } from './helpers.mjs';

let srv, admin, agent, jorge, pedro;

withDemoServer({ admin: 'admin@ayuda.localhost', agent: 'agente@ayuda.localhost', jorge: 'jorge@acme.pe', pedro: 'pedro@bodegalibre.pe' },
  (d) => ({ srv, admin, agent, jorge, pedro } = d));

const report = {
  subject: 'El embudo de ventas no guarda',
  description: 'Al mover un negocio a "Ganado" vuelve a la etapa anterior.',
  steps: '1. Abrir CRM > Negocios\n2. Arrastrar un negocio a "Ganado"\n3. Recargar la página',
  url: 'acme.bitrix24.es/crm/deal/kanban/',
  product: 'bitrix24_cloud',
  edition: 'standard',
  version: '24.100.0',
};

test('a customer reports a problem with every field the policy asks for and reads them back', async () => {
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: report });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  const g = await api(srv, 'GET', `/api/v1/tickets/${c.body.number}`, { tok: jorge });
  assert.equal(g.status, 200);
  assert.equal(g.body.description, report.description);
  assert.equal(g.body.steps, report.steps);
  assert.equal(g.body.url, 'https://acme.bitrix24.es/crm/deal/kanban/'); // a bare host gets https://
  assert.equal(g.body.product, 'bitrix24_cloud');
  assert.equal(g.body.edition, 'standard');
  assert.equal(g.body.version, '24.100.0');
  assert.equal(g.body.messages[0].body, report.description);
  // The agent sees the same fields in the queue.
  const list = await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: agent });
  const row = list.body.tickets.find((t) => t.number === c.body.number);
  assert.equal(row.version, '24.100.0');
  // A ticket without them answers null for each.
  const plain = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'Hola', body: 'Una duda' } });
  for (const f of ['steps', 'url', 'product', 'edition', 'version']) assert.equal(plain.body[f], null, f);
});

test('a misspelt field is refused with its name, and no ticket is created', async () => {
  const before = await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: jorge });
  const r = await api(srv, 'POST', '/api/v1/tickets', {
    tok: jorge, json: { subject: 'Con error', body: 'x', version: '1.0', verison: '1.0' },
  });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'verison');
  assert.match(r.body.error.message, /desconocido/);
  const after = await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: jorge });
  assert.equal(after.body.tickets.length, before.body.tickets.length);
  // The same holds for a change and for a message.
  const n = after.body.tickets.at(-1).number;
  const p = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { status: 'open', priority: 'alta' } });
  assert.equal(p.status, 422);
  assert.equal(p.body.error.field, 'priority');
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent })).body.status, 'new');
  const m = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: jorge, json: { body: 'más datos', adjunto: 'x' } });
  assert.equal(m.status, 422);
  assert.equal(m.body.error.field, 'adjunto');
});

test('the product, edition and URL must be real choices', async () => {
  const bad = async (extra, field) => {
    const r = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: 's', body: 'b', ...extra } });
    assert.equal(r.status, 422, JSON.stringify(extra));
    assert.equal(r.body.error.field, field);
  };
  await bad({ product: 'windows' }, 'product');
  await bad({ product: 'bitrix_site_manager', edition: 'professional' }, 'edition'); // a cloud plan
  await bad({ edition: 'standard' }, 'edition'); // which product?
  await bad({ url: 'ftp://acme.example' }, 'url');
  await bad({ url: 'https:// espacios no' }, 'url');
  await bad({ version: 42 }, 'version');
  await bad({ body: 'uno', description: 'otro' }, 'description');
});

test('the agent completes the fields later; each change is in the history', async () => {
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'No sé la versión', body: 'b' } });
  const n = c.body.number;
  const p = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, {
    tok: agent, json: { product: 'bitrix24_self_hosted', edition: 'business', version: '23.0.5' },
  });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.equal(p.body.edition, 'business');
  // Changing the product alone would leave an edition of another product.
  const mismatch = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { product: 'bitrix24_cloud' } });
  assert.equal(mismatch.status, 422);
  assert.equal(mismatch.body.error.field, 'edition');
  // The customer corrects the version of their own ticket and clears it.
  const own = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: jorge, json: { version: '23.0.6', url: null } });
  assert.equal(own.status, 200);
  assert.equal(own.body.version, '23.0.6');
  const ev = await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent });
  const changes = ev.body.events.filter((e) => e.kind === 'ticket.fields');
  assert.equal(changes.length, 2);
  assert.deepEqual(changes[1].data.version, { from: '23.0.5', to: '23.0.6' });
  // Another customer cannot touch it.
  assert.equal((await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: pedro, json: { version: '1' } })).status, 404);
});

test('the form offers the seeded products and editions; an admin edits them', async () => {
  const f = await api(srv, 'GET', '/api/v1/ticket-fields', { tok: pedro });
  assert.equal(f.status, 200);
  assert.deepEqual(f.body.product.map((p) => p.name_es), ['Bitrix24 Cloud', 'Bitrix24 Self-Hosted', 'Bitrix Site Manager']);
  const cloud = f.body.edition.filter((e) => e.product === 'bitrix24_cloud').map((e) => e.code);
  assert.ok(cloud.includes('free') && cloud.includes('professional'), cloud.join());
  assert.ok(f.body.edition.some((e) => e.product === 'bitrix_site_manager' && e.code === 'small_business'));
  // Each choice also carries its name in the reader's language.
  assert.equal(f.body.edition.find((e) => e.code === 'free').name, 'Gratis');
  await api(srv, 'PATCH', '/api/v1/me', { tok: agent, json: { lang: 'en' } });
  const en = await api(srv, 'GET', '/api/v1/ticket-fields', { tok: agent });
  assert.equal(en.body.edition.find((e) => e.code === 'free').name, 'Free');
  await api(srv, 'PATCH', '/api/v1/me', { tok: agent, json: { lang: 'es' } });

  // A customer cannot change them.
  const no = await api(srv, 'PUT', '/api/v1/ticket-fields/product', { tok: pedro, json: { choices: [] } });
  assert.equal(no.status, 403);

  // A ticket filed under Site Manager keeps it after the admin withdraws it.
  const old = await api(srv, 'POST', '/api/v1/tickets', {
    tok: pedro, json: { subject: 'Tienda', body: 'b', product: 'bitrix_site_manager', edition: 'business' },
  });
  assert.equal(old.status, 201);
  const products = [
    { code: 'bitrix24_cloud', name_es: 'Bitrix24 Nube', name_en: 'Bitrix24 Cloud' },
    { code: 'bitrix24_self_hosted', name_es: 'Bitrix24 Self-Hosted', name_en: 'Bitrix24 Self-Hosted' },
    { code: 'bitrix24_app', name_es: 'Aplicación de escritorio', name_en: 'Desktop app' },
  ];
  const put = await api(srv, 'PUT', '/api/v1/ticket-fields/product', { tok: admin, json: { choices: products } });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const now = await api(srv, 'GET', '/api/v1/ticket-fields', { tok: pedro });
  assert.deepEqual(now.body.product.map((p) => p.name_es), ['Bitrix24 Nube', 'Bitrix24 Self-Hosted', 'Aplicación de escritorio']);
  assert.ok(!now.body.edition.some((e) => e.product === 'bitrix_site_manager'));
  const gone = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: 's', body: 'b', product: 'bitrix_site_manager' } });
  assert.equal(gone.status, 422);
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${old.body.number}`, { tok: pedro })).body.product, 'bitrix_site_manager');
  const app = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: 's', body: 'b', product: 'bitrix24_app' } });
  assert.equal(app.status, 201);

  // Editions: each names its product; an unknown member is refused.
  const ed = await api(srv, 'PUT', '/api/v1/ticket-fields/edition', {
    tok: admin, json: { choices: [{ code: 'windows', product: 'bitrix24_app', name_es: 'Windows', name_en: 'Windows', color: 'x' }] },
  });
  assert.equal(ed.status, 422);
  const ed2 = await api(srv, 'PUT', '/api/v1/ticket-fields/edition', {
    tok: admin, json: { choices: [{ code: 'windows', product: 'bitrix24_app', name_es: 'Windows', name_en: 'Windows' }] },
  });
  assert.equal(ed2.status, 200);
  const w = await api(srv, 'POST', '/api/v1/tickets', {
    tok: pedro, json: { subject: 's', body: 'b', product: 'bitrix24_app', edition: 'windows' },
  });
  assert.equal(w.status, 201);
  // The admin sees withdrawn choices too; the change is audited.
  const all = await api(srv, 'GET', '/api/v1/ticket-fields', { tok: admin });
  assert.ok(all.body.product.some((p) => p.code === 'bitrix_site_manager' && p.active === false));
  const audit = await api(srv, 'GET', '/api/v1/audit?kind=admin.ticket_choices', { tok: admin });
  assert.equal(audit.status, 200);
  assert.ok(JSON.stringify(audit.body).includes('bitrix24_app'));
});
