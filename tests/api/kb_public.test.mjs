// What the knowledge base shows the public, and how it counts them
// (issue 12): a file of a draft or internal article is the team's until an
// article that shows it is published; the report over any period.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';

let srv, agent, sup, maria;

withDemoServer({ agent: 'agente@ayuda.localhost', sup: 'supervisora@ayuda.localhost', maria: 'maria@acme.pe' },
  (d) => ({ srv, agent, sup, maria } = d));

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');

async function kbFile(name) {
  const up = await fetch(`${srv.url}/api/v1/uploads?filename=${name}`, {
    method: 'POST', body: PNG, headers: { Authorization: `Bearer ${agent}`, 'Content-Type': 'application/octet-stream' },
  });
  assert.equal(up.status, 201);
  const f = await api(srv, 'POST', '/api/v1/kb/files', { tok: agent, json: { upload: (await up.json()).id } });
  assert.equal(f.status, 201);
  return f.body;
}

const get = (url, tok) => fetch(srv.url + url, { headers: tok ? { Authorization: `Bearer ${tok}` } : {} });

test('a file of a draft or internal article is the team\'s until an article showing it is published', async () => {
  const f = await kbFile('borrador.png');
  const other = await kbFile('otro.png');
  // Not used anywhere yet: staff only.
  assert.equal((await get(f.url)).status, 404);
  assert.equal((await get(f.url, maria)).status, 404);
  const staff = await get(f.url, agent);
  assert.equal(staff.status, 200);
  assert.equal(staff.headers.get('cache-control'), 'private, no-cache', 'no shared cache keeps a private file');
  // In a draft, then an internal article: still the team's.
  const c = await api(srv, 'POST', '/api/v1/kb/articles', { tok: agent, json: { es: { title: 'Con captura', body: `Mire:\n\n${f.markdown}` } } });
  assert.equal(c.status, 201);
  assert.equal((await get(f.url)).status, 404);
  await api(srv, 'PATCH', `/api/v1/kb/articles/${c.body.id}`, { tok: sup, json: { state: 'internal' } });
  assert.equal((await get(f.url)).status, 404);
  assert.equal((await get(f.url, maria)).status, 404);
  // Published: anyone; another file, in no article, stays private.
  await api(srv, 'PATCH', `/api/v1/kb/articles/${c.body.id}`, { tok: sup, json: { state: 'published' } });
  const pub = await get(f.url);
  assert.equal(pub.status, 200);
  assert.equal(pub.headers.get('cache-control'), 'public, max-age=86400');
  assert.deepEqual(Buffer.from(await pub.arrayBuffer()), PNG);
  assert.equal((await get(other.url)).status, 404);
  // Back to a draft: private again.
  await api(srv, 'PATCH', `/api/v1/kb/articles/${c.body.id}`, { tok: sup, json: { state: 'draft' } });
  assert.equal((await get(f.url)).status, 404);
  assert.equal((await get(f.url, agent)).status, 200);
});

test('the report counts what happened in the period asked, and only then', async () => {
  const c = await api(srv, 'POST', '/api/v1/kb/articles', { tok: sup, json: { state: 'published', es: { title: 'Periodo del informe', body: 'Texto.' } } });
  for (const helpful of [true, false, false]) await api(srv, 'POST', `/api/v1/kb/articles/${c.body.id}/feedback`, { json: { helpful } });
  const day = (d) => new Date(d).toISOString().slice(0, 10);
  const now = Date.now();
  const rep = async (q) => (await api(srv, 'GET', `/api/v1/reports/kb?${q}`, { tok: sup })).body;
  const today = await rep(`from=${new Date(now - 3600e3).toISOString()}&to=${new Date(now + 3600e3).toISOString()}`);
  assert.deepEqual(today.helpful, { yes: 1, no: 2 });
  assert.deepEqual((await rep('days=30')).helpful, today.helpful);
  const past = await rep(`from=${day(now - 40 * 86400e3)}&to=${day(now - 20 * 86400e3)}`);
  assert.deepEqual(past.helpful, { yes: 0, no: 0 });
  assert.equal(past.days, 20);
  assert.match(past.from, /^\d{4}-\d{2}-\d{2}T/);
  const bad = await api(srv, 'GET', `/api/v1/reports/kb?from=${day(now)}&to=${day(now - 86400e3)}`, { tok: sup });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'from');
});

test('the sitemap lists every published article, past 500, and no other', async () => {
  const made = [];
  for (let i = 0; i < 520; i += 20) {
    const batch = await Promise.all(Array.from({ length: 20 }, (_, k) => api(srv, 'POST', '/api/v1/kb/articles', {
      tok: sup, json: { state: 'published', es: { title: `Pregunta frecuente número ${i + k}`, body: 'Respuesta.' } },
    })));
    for (const b of batch) {
      assert.equal(b.status, 201);
      made.push(b.body);
    }
  }
  const draft = await api(srv, 'POST', '/api/v1/kb/articles', { tok: agent, json: { es: { title: 'Borrador fuera del mapa', body: 'No.' } } });
  const all = (await api(srv, 'GET', '/api/v1/kb/articles?state=published&limit=500', { tok: sup })).body.articles;
  const res = await fetch(`${srv.url}/sitemap.xml`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/xml/);
  const xml = await res.text();
  assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?>\n<urlset /);
  const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  assert.equal(locs[0], '/kb');
  assert.equal(new Set(locs).size, locs.length, 'each address once');
  for (const a of made) assert.ok(locs.includes(a.texts.es.url), a.texts.es.url);
  assert.ok(!locs.some((l) => l.startsWith(`/kb/${draft.body.id}-`)), 'no draft');
  assert.ok(locs.length > 521, `${locs.length} addresses`);
  assert.ok(all.length === 500, 'the list itself stops at 500');
  // One page holds them all: ?parte=1 is the same, there is no second.
  assert.equal(await (await fetch(`${srv.url}/sitemap.xml?parte=1`)).text(), xml);
  assert.equal((await fetch(`${srv.url}/sitemap.xml?parte=2`)).status, 404);
  assert.equal((await fetch(`${srv.url}/sitemap.xml?parte=x`)).status, 404);
});

test('a reader opening an article again within 30 minutes counts once; a signed-in one by account', async () => {
  const d = newDataDir();
  const tok = token(d, 'supervisora@ayuda.localhost');
  // An anonymous reader's hash changes with the day's salt, so the three
  // readings stay within one UTC day: tomorrow at 01:00.
  const T = (Math.floor(Date.now() / 86400000) + 1) * 86400 + 3600;
  let s = await serve(d, { AYUDA_FAKE_NOW: String(T) });
  try {
    const c = await api(s, 'POST', '/api/v1/kb/articles', { tok, json: { state: 'published', es: { title: 'Leído una vez', body: 'Texto.' } } });
    const id = c.body.id;
    const url = c.body.texts.es.url;
    const open = (ua, t) => fetch(s.url + url, { headers: { 'User-Agent': ua, ...(t ? { Authorization: `Bearer ${t}` } : {}) } });
    // The views are written after the answer, in order: a feedback (written
    // before its answer) marks that the views before it are in.
    const views = async () => {
      await api(s, 'POST', `/api/v1/kb/articles/${id}/feedback`, { json: { helpful: true } });
      return (await api(s, 'GET', `/api/v1/kb/articles/${id}`)).body.views;
    };
    for (const ua of ['Lector A', 'Lector A', 'Lector B', 'Lector A']) assert.equal((await open(ua)).status, 200);
    assert.equal(await views(), 2, 'A once, B once');
    await open('Lector C', tok);
    await open('Lector D', tok);
    assert.equal(await views(), 3, 'the same account in another browser is the same reader');
    await stop(s);
    s = await serve(d, { AYUDA_FAKE_NOW: String(T + 1700) });
    await open('Lector A');
    assert.equal(await views(), 3, 'within 30 minutes');
    await stop(s);
    s = await serve(d, { AYUDA_FAKE_NOW: String(T + 1900) });
    await open('Lector A');
    assert.equal(await views(), 4, 'after 30 minutes, again');
  } finally {
    await stop(s);
    cleanup(d);
  }
});
