// `ayuda backup DEST` while the server takes writes: the copy is one
// commit's database (nothing half-written, every ticket acknowledged before
// it began), with the raw mail and attachments its rows name; a server
// started on it (with the keys put back) answers every API call as the
// original did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, statSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, newDataDir, token, serve, stop, cleanup, api, mailIn } from './helpers.mjs';
import { snapshot } from './snapshot.mjs';
import { waitFor } from './mailservers.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
const NOW = String(Math.floor(Date.parse('2026-03-04T10:00:00-05:00') / 1000));

function run(args) {
  return new Promise((resolve) => {
    const c = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    c.on('exit', (code) => resolve({ code, out, err }));
  });
}

test('a backup taken under writes is one commit\'s copy, and a server on it answers as the original', { timeout: 120000 }, async () => {
  const dir = newDataDir({ env: { ...process.env, AYUDA_FAKE_NOW: NOW } });
  const work = mkdtempSync(join(tmpdir(), 'ayuda-backup-'));
  const dest = join(work, 'copia');
  const toks = { admin: token(dir, 'admin@ayuda.localhost'), agent: token(dir, 'agente@ayuda.localhost'), customers: [token(dir, 'maria@acme.pe')] };
  let srv = await serve(dir, { AYUDA_FAKE_NOW: NOW });
  let copy;
  try {
    // A file by upload, and a mail with its raw text and a file.
    const up = await fetch(`${srv.url}/api/v1/uploads?filename=captura.png`, { method: 'POST', headers: { Authorization: `Bearer ${toks.customers[0]}` }, body: PNG });
    const upId = (await up.json()).id;
    assert.equal((await api(srv, 'POST', '/api/v1/tickets', { tok: toks.customers[0], json: { subject: 'Con captura', body: 'Adjunto la pantalla.', attachments: [upId] } })).status, 201);
    const m = mailIn(dir, { from: 'maria@acme.pe', subject: 'Por correo', body: 'Va el archivo.', id: 'bk1@acme.pe', files: [{ name: 'pantalla.png', type: 'image/png', content: PNG }] });
    assert.equal(m.code, 0, m.stderr);
    // Writes go on while the backup runs.
    const acked = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        const r = await api(srv, 'POST', '/api/v1/tickets', { tok: toks.customers[0], json: { subject: `Durante la copia ${i}`, body: 'x' } });
        assert.equal(r.status, 201);
        acked.push({ number: r.body.number, at: Date.now() });
      }
    })();
    await waitFor(() => acked.length >= 3, 10000, 'writes under way');
    const started = Date.now();
    const b = await run(['backup', dest, '--data', dir]);
    writing = false;
    await writer;
    assert.equal(b.code, 0, b.err);
    const summary = JSON.parse(b.out);
    assert.equal(summary.engine, 'sqlite');
    assert.ok(summary.files >= 2, JSON.stringify(summary)); // the upload's image, ayuda.conf (the mail's raw text and image, small, are rows)
    assert.match(b.err, /restaurarla/);
    assert.equal(statSync(join(dest, 'ayuda.db')).mode & 0o777, 0o600);
    assert.ok(!existsSync(join(dest, 'vault.key')), 'the keys stay apart');
    assert.equal(execFileSync('sqlite3', [join(dest, 'ayuda.db'), 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok');
    // Every ticket acknowledged before the backup began is in it.
    const inCopy = new Set(execFileSync('sqlite3', [join(dest, 'ayuda.db'), 'SELECT number FROM tickets'], { encoding: 'utf8' }).trim().split('\n').map(Number));
    for (const t of acked.filter((t) => t.at < started)) assert.ok(inCopy.has(t.number), `Ticket#${t.number}`);
    // A second backup into the same place is refused: nothing overwritten.
    const again = await run(['backup', dest, '--data', dir]);
    assert.equal(again.code, 73);

    // Every answer of the copy is the original's, but for what the
    // writes after the copy changed (their tickets, the lists and counts
    // that hold them).
    copyFileSync(join(dir, 'vault.key'), join(dest, 'vault.key'));
    copy = await serve(dest, { AYUDA_FAKE_NOW: NOW });
    const a = await snapshot(srv, toks);
    const c = await snapshot(copy, toks);
    const last = Math.max(...inCopy);
    const later = (k) => Number((k.match(/(?:tickets\/|attachment |raw )(\d+)/) || [])[1] || 0) > last ||
      /Durante la copia/.test(JSON.stringify(a[k])) || k.startsWith('/api/v1/reports/summary');
    const keys = Object.keys(a).filter((k) => !later(k));
    assert.ok(keys.some((k) => k.startsWith('attachment ')), 'attachments compared');
    assert.ok(keys.some((k) => k.startsWith('raw ')), 'raw mail compared');
    assert.ok(keys.length > 50, `${keys.length} answers compared`);
    for (const k of keys) assert.deepEqual(c[k], a[k], k);
  } finally {
    await stop(srv);
    await stop(copy);
    cleanup(dir);
    cleanup(work);
  }
});
