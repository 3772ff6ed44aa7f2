// The knowledge base's API (issue 12): articles with es/en texts, every
// save a revision and the diff between two, states and who sees what
// (published: anyone; internal: staff; drafts: staff), agents write
// drafts and supervisors publish, the search, feedback and the report.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api } from './helpers.mjs';

let srv, agent, sup, maria;

withDemoServer({ agent: 'agente@ayuda.localhost', sup: 'supervisora@ayuda.localhost', maria: 'maria@acme.pe' },
  (d) => ({ srv, agent, sup, maria } = d));

const create = async (tok, json) => api(srv, 'POST', '/api/v1/kb/articles', { tok, json });

test('an agent writes a draft; only a supervisor publishes it', async () => {
  const c = await create(agent, { es: { title: 'Cómo cambiar el idioma del portal', body: 'Abra **Cuenta** y elija el idioma.' }, tags: ['idioma', 'cuenta'] });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  assert.equal(c.body.state, 'draft');
  assert.equal(c.body.texts.es.url, `/kb/${c.body.id}-como-cambiar-el-idioma-del-portal`);
  assert.equal(c.body.texts.es.html, '<p>Abra <strong>Cuenta</strong> y elija el idioma.</p>\n');
  assert.deepEqual(c.body.tags, ['idioma', 'cuenta']);
  const id = c.body.id;
  // Not published: nobody outside the team sees it, not even by number.
  assert.equal((await api(srv, 'GET', `/api/v1/kb/articles/${id}`)).status, 404);
  assert.equal((await api(srv, 'GET', `/api/v1/kb/articles/${id}`, { tok: maria })).status, 404);
  const p = await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: agent, json: { state: 'published' } });
  assert.equal(p.status, 403);
  assert.match(p.body.error.message, /supervisores/);
  const ok = await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: sup, json: { state: 'published' } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.state, 'published');
  const pub = await api(srv, 'GET', `/api/v1/kb/articles/${id}`);
  assert.equal(pub.status, 200);
  assert.equal(pub.body.author, undefined, 'the author is for staff');
  // Once published, an agent's change is refused: a supervisor changes it.
  const late = await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: agent, json: { es: { title: 'x', body: 'y' } } });
  assert.equal(late.status, 403);
});

test('internal articles: staff only, in reading and in search', async () => {
  const c = await create(sup, { state: 'internal', es: { title: 'Procedimiento interno de reembolsos', body: 'Solo para el equipo: reembolsos.' } });
  assert.equal(c.status, 201);
  const id = c.body.id;
  assert.equal((await api(srv, 'GET', `/api/v1/kb/articles/${id}`)).status, 404);
  assert.equal((await api(srv, 'GET', `/api/v1/kb/articles/${id}`, { tok: maria })).status, 404);
  assert.equal((await api(srv, 'GET', `/api/v1/kb/articles/${id}`, { tok: agent })).status, 200);
  const s = async (tok) => (await api(srv, 'GET', '/api/v1/kb/search?q=reembolsos', { tok })).body.results.map((r) => r.id);
  assert.deepEqual(await s(undefined), []);
  assert.deepEqual(await s(maria), []);
  assert.deepEqual(await s(agent), [id]);
  const list = await api(srv, 'GET', '/api/v1/kb/articles', { tok: maria });
  assert.ok(!list.body.articles.some((a) => a.id === id));
  const staff = await api(srv, 'GET', '/api/v1/kb/articles?state=internal', { tok: agent });
  assert.ok(staff.body.articles.some((a) => a.id === id));
  // The public page does not exist for a stranger.
  const page = await api(srv, 'GET', c.body.texts.es.url);
  assert.equal(page.status, 404);
});

test('every save is a revision; the diff between two shows the lines', async () => {
  const c = await create(sup, { state: 'published', es: { title: 'Adjuntar capturas', body: 'Use PNG.\nNo use BMP.\nFin.' }, en: { title: 'Attaching diagrams', body: 'Use PNG.' } });
  const id = c.body.id;
  const p = await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: sup, json: { es: { title: 'Adjuntar capturas de pantalla', body: 'Use PNG o JPG.\nNo use BMP.\nFin.' } } });
  assert.equal(p.status, 200);
  // A save that changes nothing writes no revision.
  await api(srv, 'PATCH', `/api/v1/kb/articles/${id}`, { tok: sup, json: { es: { title: 'Adjuntar capturas de pantalla', body: 'Use PNG o JPG.\nNo use BMP.\nFin.' } } });
  const revs = await api(srv, 'GET', `/api/v1/kb/articles/${id}/revisions`, { tok: agent });
  assert.equal(revs.status, 200);
  const es = revs.body.revisions.filter((r) => r.lang === 'es');
  assert.equal(es.length, 2);
  assert.equal(revs.body.revisions.filter((r) => r.lang === 'en').length, 1);
  const [newer, older] = es;
  const d = await api(srv, 'GET', `/api/v1/kb/articles/${id}/diff?from=${older.id}&to=${newer.id}`, { tok: agent });
  assert.equal(d.status, 200);
  assert.deepEqual(d.body.title, { from: 'Adjuntar capturas', to: 'Adjuntar capturas de pantalla' });
  assert.deepEqual(d.body.lines, [
    { op: '-', text: 'Use PNG.' },
    { op: '+', text: 'Use PNG o JPG.' },
    { op: ' ', text: 'No use BMP.' },
    { op: ' ', text: 'Fin.' },
  ]);
  // Revisions are the team's.
  assert.equal((await api(srv, 'GET', `/api/v1/kb/articles/${id}/revisions`, { tok: maria })).status, 404);
  // Both languages, each at its own address.
  const art = await api(srv, 'GET', `/api/v1/kb/articles/${id}`);
  assert.equal(art.body.texts.en.url, `/kb/${id}-attaching-diagrams`);
  const s = await api(srv, 'GET', '/api/v1/kb/search?q=diagram&lang=en');
  assert.deepEqual(s.body.results.map((r) => r.id), [id]);
});

test('unknown fields, bad states and hostile Markdown', async () => {
  const u = await create(sup, { es: { title: 'a', body: 'b' }, autor: 'x' });
  assert.equal(u.status, 422);
  const b = await create(sup, { state: 'visible', es: { title: 'a', body: 'b' } });
  assert.equal(b.status, 422);
  assert.equal(b.body.error.field, 'state');
  assert.equal((await create(maria, { es: { title: 'a', body: 'b' } })).status, 404);
  const h = await create(sup, { state: 'published', es: { title: 'Hostil', body: '<script>alert(1)</script> [x](javascript:alert(1)) ![i](data:image/png;base64,AAAA)' } });
  assert.equal(h.status, 201);
  assert.doesNotMatch(h.body.texts.es.html, /<script|javascript:|data:/i);
});

test('feedback counts; searches that found nothing reach the report', async () => {
  const c = await create(sup, { state: 'published', es: { title: 'Registrarse en el portal', body: 'Abra /registro.' } });
  const id = c.body.id;
  for (const helpful of [true, true, false]) {
    const f = await api(srv, 'POST', `/api/v1/kb/articles/${id}/feedback`, { json: { helpful } });
    assert.equal(f.status, 200);
  }
  const nothing = await api(srv, 'GET', '/api/v1/kb/search?q=n%C3%B3mina%20quincenal');
  assert.deepEqual(nothing.body.results, []);
  // The search is recorded after the answer: wait for it in the report.
  let rep;
  for (let i = 0; i < 100; i++) {
    rep = await api(srv, 'GET', '/api/v1/reports/kb', { tok: sup });
    if (rep.body.no_result.some((x) => x.q === 'nómina quincenal')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(rep.status, 200);
  assert.deepEqual(rep.body.no_result.find((x) => x.q === 'nómina quincenal'), { q: 'nómina quincenal', count: 1 });
  assert.deepEqual(rep.body.helpful, { yes: 2, no: 1 });
  const art = await api(srv, 'GET', `/api/v1/kb/articles/${id}`);
  assert.deepEqual(art.body.helpful, { yes: 2, no: 1 });
  assert.equal((await api(srv, 'GET', '/api/v1/reports/kb', { tok: agent })).status, 404);
});

test('an image goes through the upload path into an article, and anyone sees it', async () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
  const up = await fetch(`${srv.url}/api/v1/uploads?filename=${encodeURIComponent('menú [exportar].png')}`, {
    method: 'POST', body: PNG, headers: { Authorization: `Bearer ${agent}`, 'Content-Type': 'application/octet-stream' },
  });
  assert.equal(up.status, 201);
  const upload = (await up.json()).id;
  // A customer cannot turn an upload into an article's file.
  assert.equal((await api(srv, 'POST', '/api/v1/kb/files', { tok: maria, json: { upload } })).status, 404);
  const f = await api(srv, 'POST', '/api/v1/kb/files', { tok: agent, json: { upload } });
  assert.equal(f.status, 201, JSON.stringify(f.body));
  assert.match(f.body.url, /^\/kb\/archivos\/\d+$/);
  assert.equal(f.body.markdown, `![menú exportar.png](${f.body.url})`);
  // Once taken, the upload is not there to take again.
  assert.equal((await api(srv, 'POST', '/api/v1/kb/files', { tok: agent, json: { upload } })).status, 404);
  const c = await create(sup, { state: 'published', es: { title: 'Menú de exportación', body: `Así se ve:\n\n${f.body.markdown}` } });
  assert.match(c.body.texts.es.html, new RegExp(`<img src="${f.body.url}" loading="lazy" alt="menú exportar.png">`));
  const img = await fetch(srv.url + f.body.url);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.equal(img.headers.get('content-disposition'), null, 'an image is shown, not downloaded');
  assert.deepEqual(Buffer.from(await img.arrayBuffer()), PNG);
  assert.equal((await fetch(`${srv.url}/kb/archivos/999999`)).status, 404);
});
