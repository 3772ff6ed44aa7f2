// Stored files in the database ([store] blobs = database on SQLite; always
// so on PostgreSQL): raw mail and attachments go into the blobs table,
// once per content, and come back byte for byte; nothing is written under
// the data directory. `ayuda blobs gc` removes what no row names any more,
// sparing what was stored, or stored again, within its grace period (a
// file stored for a row not yet committed), on files and rows alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, PG, newDataDir, token, serve, stop, cleanup, api, mailIn, sql } from './helpers.mjs';
import { waitFor } from './mailservers.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
// Another valid PNG: the same image with a text chunk.
const png = (tag) => Buffer.concat([PNG.subarray(0, 33), textChunk(tag), PNG.subarray(33)]);
const DAY = 86400;
const T0 = Math.floor(Date.parse('2026-03-02T10:00:00-05:00') / 1000);

function textChunk(s) {
  const data = Buffer.from(`c\0${s}`);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const type = Buffer.from('tEXt');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([type, data])));
  return Buffer.concat([len, type, data, crc]);
}

function crc32(b) {
  let c = ~0;
  for (const x of b) {
    c ^= x;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

async function upload(srv, tok, name, data) {
  const r = await fetch(`${srv.url}/api/v1/uploads?filename=${name}`, { method: 'POST', headers: { Authorization: `Bearer ${tok}` }, body: data });
  assert.equal(r.status, 201, await r.clone().text());
  return (await r.json()).id;
}

async function bytes(srv, tok, path) {
  const r = await fetch(srv.url + path, { headers: { Authorization: `Bearer ${tok}` } });
  assert.equal(r.status, 200, path);
  return Buffer.from(await r.arrayBuffer());
}

// Run fn(srv) on a server whose clock reads t, once its jobs (which
// expire uploads a day old) have run.
async function at(dir, t, fn) {
  const srv = await serve(dir, { AYUDA_FAKE_NOW: String(t) });
  try {
    await waitFor(() => /scheduler=sla run=1/.test(srv.log()), 10000, 'the first jobs run');
    return await fn(srv);
  } finally {
    await stop(srv);
  }
}

function gc(dir, t, grace) {
  return JSON.parse(execFileSync(BIN, ['blobs', 'gc', '--data', dir, '--grace-hours', String(grace)],
    { encoding: 'utf8', env: { ...process.env, ...(t ? { AYUDA_FAKE_NOW: String(t) } : {}) } }));
}

const files = (dir, sub) => (existsSync(join(dir, sub)) ? readdirSync(join(dir, sub)) : []);

test('in the database: mail and files stored once, back byte for byte, none on disk; gc spares the grace period', { timeout: 120000 }, async () => {
  const dir = newDataDir({ env: { ...process.env, AYUDA_FAKE_NOW: String(T0) } });
  writeFileSync(join(dir, 'ayuda.conf'), '[store]\nblobs = database\n[sla]\njobs_interval = 3600\n');
  const q = (s) => sql(dir, s);
  const maria = token(dir, 'maria@acme.pe');
  const agent = token(dir, 'agente@ayuda.localhost');
  try {
    const kept = png('kept');
    const orphanOld = png('old');
    const orphanNew = png('new');
    let n, mailN;
    await at(dir, T0, async (srv) => {
      const id = await upload(srv, maria, 'captura.png', kept);
      const t = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Con captura', body: 'Adjunto.', attachments: [id] } });
      assert.equal(t.status, 201);
      n = t.body.number;
      await upload(srv, maria, 'otra-vez.png', kept); // the same bytes again
      await upload(srv, maria, 'vieja.png', orphanOld); // never attached
      const m = mailIn(dir, { from: 'maria@acme.pe', subject: 'Por correo', body: 'Va el archivo.', id: 'blob1@acme.pe', files: [{ name: 'pantalla.png', type: 'image/png', content: kept }] });
      assert.equal(m.code, 0, m.stderr);
      mailN = m.json.ticket;
      // Byte for byte back, from the table; nothing on disk.
      const g = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: maria });
      const [att] = g.body.messages[0].attachments;
      assert.deepEqual(await bytes(srv, maria, `/api/v1/tickets/${n}/attachments/${att.id}`), kept);
      const gm = await api(srv, 'GET', `/api/v1/tickets/${mailN}`, { tok: agent });
      const msg = gm.body.messages[0];
      assert.deepEqual(await bytes(srv, agent, `/api/v1/tickets/${mailN}/attachments/${msg.attachments[0].id}`), kept);
      assert.match((await bytes(srv, agent, `/api/v1/tickets/${mailN}/messages/${msg.id}/raw`)).toString(), /Message-ID: <blob1@acme\.pe>/);
    });
    assert.deepEqual([...files(dir, 'attachments'), ...files(dir, 'raw')], []);
    // One row per content: the image (stored three times), the old orphan, the raw mail.
    assert.equal(q('SELECT COUNT(*) FROM blobs'), '3');
    // A day and a half later the orphan is stored again (a row about to
    // name it): its time is renewed. Another orphan, new.
    await at(dir, T0 + 1.5 * DAY, async (srv) => {
      await upload(srv, maria, 'vieja-otra-vez.png', orphanOld);
      await upload(srv, maria, 'nueva.png', orphanNew);
    });
    // At T0 + 3 days every upload row has expired (a day); with 2 days of
    // grace nothing named only by uploads goes yet: the re-stored orphan
    // and the new one are within it.
    await at(dir, T0 + 3 * DAY, async () => {});
    assert.equal(q('SELECT COUNT(*) FROM uploads'), '0');
    let r = gc(dir, T0 + 3 * DAY, 48);
    assert.equal(r.removed, 0, JSON.stringify(r));
    // With a day of grace both orphans go; what tickets name stays.
    r = gc(dir, T0 + 3 * DAY, 24);
    assert.equal(r.removed, 2, JSON.stringify(r));
    assert.ok(r.bytes > 0);
    assert.equal(q('SELECT COUNT(*) FROM blobs'), '2');
    await at(dir, T0 + 3 * DAY, async (srv) => {
      const g = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: maria });
      assert.deepEqual(await bytes(srv, maria, `/api/v1/tickets/${n}/attachments/${g.body.messages[0].attachments[0].id}`), kept);
    });
  } finally {
    cleanup(dir);
  }
});

test('as files: gc removes the files no row names and keeps the rest', { timeout: 120000, skip: PG && 'PostgreSQL keeps them in the database' }, async () => {
  const dir = newDataDir();
  const maria = token(dir, 'maria@acme.pe');
  try {
    const kept = png('kept');
    let n;
    const now = Math.floor(Date.now() / 1000);
    await at(dir, now, async (srv) => {
      const id = await upload(srv, maria, 'captura.png', kept);
      n = (await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Con captura', body: 'Adjunto.', attachments: [id] } })).body.number;
      await upload(srv, maria, 'suelta.png', png('orphan'));
    });
    assert.equal(files(dir, 'attachments').length, 2);
    // Named by an upload row: kept, whatever the grace.
    assert.equal(gc(dir, 0, 0).removed, 0);
    // As if stored two days ago; the upload rows expire.
    const old = (Date.now() - 2 * DAY * 1000) / 1000;
    for (const f of files(dir, 'attachments')) utimesSync(join(dir, 'attachments', f), old, old);
    await at(dir, now + 2 * DAY, async () => {});
    const r = gc(dir, 0, 24);
    assert.equal(r.removed, 1, JSON.stringify(r));
    assert.equal(files(dir, 'attachments').length, 1);
    await at(dir, now + 2 * DAY, async (srv) => {
      const g = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: maria });
      assert.deepEqual(await bytes(srv, maria, `/api/v1/tickets/${n}/attachments/${g.body.messages[0].attachments[0].id}`), kept);
    });
  } finally {
    cleanup(dir);
  }
});
