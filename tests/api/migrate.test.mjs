// `ayuda migrate --to postgresql://...` (issue 14): the demo install on
// SQLite, with attachments and a mail, moves into an empty PostgreSQL
// database; a server on PostgreSQL then answers every API call as the
// SQLite one did (tests/api/snapshot.mjs), new tickets continue the
// numbers, and a second migrate into the same database is refused. Runs
// when the suite has a PostgreSQL (AYUDA_STORE_URL, tests/pg/run-api.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, newDataDir, token, serve, stop, cleanup, api, mailIn } from './helpers.mjs';
import { snapshot } from './snapshot.mjs';

const URL = process.env.AYUDA_STORE_URL;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
const NOW = String(Math.floor(Date.parse('2026-03-04T10:00:00-05:00') / 1000));

// [id, score] of the knowledge base's answers to a few searches.
const kbAnswers = (srv) => Promise.all(['exportar contactos', 'contrasena', 'licensia'].map(async (q) =>
  (await api(srv, 'GET', `/api/v1/kb/search?q=${encodeURIComponent(q)}`)).body.results.map((r) => [r.id, r.score])));

test('the demo install moves to PostgreSQL with its files, and answers the same', { timeout: 180000, skip: !URL && 'no PostgreSQL (tests/pg/run-api.sh)' }, async () => {
  // The SQLite side: no URL in its environment.
  const lite = { ...process.env, AYUDA_FAKE_NOW: NOW };
  delete lite.AYUDA_STORE_URL;
  const saved = process.env.AYUDA_STORE_URL;
  delete process.env.AYUDA_STORE_URL;
  let dir, srv;
  try {
    dir = newDataDir({ env: lite });
    const toks = { admin: token(dir, 'admin@ayuda.localhost'), agent: token(dir, 'agente@ayuda.localhost'), customers: [token(dir, 'maria@acme.pe'), token(dir, 'jorge@acme.pe')] };
    srv = await serve(dir, { AYUDA_FAKE_NOW: NOW });
    const up = await fetch(`${srv.url}/api/v1/uploads?filename=captura.png`, { method: 'POST', headers: { Authorization: `Bearer ${toks.customers[0]}` }, body: PNG });
    const t = await api(srv, 'POST', '/api/v1/tickets', { tok: toks.customers[0], json: { subject: 'Con captura', body: 'Adjunto la pantalla.', attachments: [(await up.json()).id] } });
    assert.equal(t.status, 201);
    const m = mailIn(dir, { from: 'maria@acme.pe', subject: 'Por correo', body: 'Va el archivo.', id: 'mig1@acme.pe', files: [{ name: 'pantalla.png', type: 'image/png', content: PNG }] });
    assert.equal(m.code, 0, m.stderr);
    assert.equal((await api(srv, 'POST', `/api/v1/tickets/${t.body.number}/messages`, { tok: toks.agent, json: { body: 'Gracias, lo revisamos.' } })).status, 201);
    const before = await snapshot(srv, toks);
    const kbBefore = await kbAnswers(srv);
    await stop(srv);
    srv = null;

    process.env.AYUDA_STORE_URL = saved;
    const r = spawnSync(BIN, ['migrate', '--to', saved, '--data', dir], { encoding: 'utf8', env: { ...process.env } });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.counts_match, true);
    // Files on disk: the upload's image (the mail's raw text and image, small, are rows already).
    assert.ok(out.tables > 20 && out.rows > 100 && out.files >= 1, r.stdout);
    assert.match(r.stderr, /\[store\]\n {2}url = /);
    // Again into the same (no longer empty) database: refused.
    const again = spawnSync(BIN, ['migrate', '--to', saved, '--data', dir], { encoding: 'utf8', env: { ...process.env } });
    assert.equal(again.status, 2, again.stderr);
    assert.match(again.stderr, /not empty/);

    srv = await serve(dir, { AYUDA_FAKE_NOW: NOW });
    const after = await snapshot(srv, toks);
    assert.ok(Object.keys(before).some((k) => k.startsWith('attachment ')), 'attachments compared');
    assert.ok(Object.keys(before).some((k) => k.startsWith('raw ')), 'raw mail compared');
    assert.deepEqual(Object.keys(after).sort(), Object.keys(before).sort());
    // Search answers the same tickets; its snippets and ranks are each
    // engine's own (FTS5, PostgreSQL's text search).
    const found = (v) => v.body.results.map((x) => x.number).sort((a, b) => a - b);
    for (const k of Object.keys(before)) {
      if (k.startsWith('/api/v1/search')) assert.deepEqual(found(after[k]), found(before[k]), k);
      else assert.deepEqual(after[k], before[k], k);
    }
    // The knowledge base's search finds the same articles, same scores.
    const kbAfter = await kbAnswers(srv);
    assert.deepEqual(kbAfter.map((r) => r.map((x) => x[0])), kbBefore.map((r) => r.map((x) => x[0])));
    kbAfter.forEach((r, i) => r.forEach((x, k) => assert.ok(Math.abs(x[1] - kbBefore[i][k][1]) < 0.01, JSON.stringify([x, kbBefore[i][k]]))));
    assert.ok(kbBefore.every((r) => r.length > 0), 'every query finds articles');
    // New rows continue the numbers and ids.
    const last = Math.max(...before['/api/v1/tickets?limit=200&after=0 ' + toks.agent.slice(0, 6)].body.tickets.map((x) => x.number));
    const n = await api(srv, 'POST', '/api/v1/tickets', { tok: toks.customers[0], json: { subject: 'Ya en PostgreSQL', body: 'x' } });
    assert.equal(n.status, 201, JSON.stringify(n.body));
    assert.equal(n.body.number, last + 1);
  } finally {
    process.env.AYUDA_STORE_URL = saved;
    await stop(srv);
    if (dir) cleanup(dir);
  }
});
