// `ayuda backup DEST` while the server takes writes: the copy is one
// commit's database (nothing half-written, every ticket acknowledged before
// it began), with the raw mail and attachments its rows name; a server
// started on it (with the keys put back) answers every API call as the
// original did. On PostgreSQL the copy is pg_dump's, restored as the README
// says (pg_restore into a new database), the files inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, statSync, existsSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, PG, newDataDir, token, serve, stop, cleanup, api, mailIn, pgSchema } from './helpers.mjs';
import { snapshot } from './snapshot.mjs';
import { waitFor } from './mailservers.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
const NOW = String(Math.floor(Date.parse('2026-03-04T10:00:00-05:00') / 1000));

function run(args, env = {}) {
  return new Promise((resolve) => {
    const c = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '';
    let err = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { err += d; });
    c.on('exit', (code) => resolve({ code, out, err }));
  });
}

const psql = (url, q) => execFileSync('psql', [url, '-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', q], { encoding: 'utf8' }).trim();

// Restore the dump into a new database of the test's PostgreSQL, as the
// README says; returns its name and the URL of dir's schema in it.
function pgRestore(dir, dump) {
  const name = `ayuda_restore_${process.pid}`;
  psql(process.env.AYUDA_STORE_URL, `CREATE DATABASE ${name}`);
  const url = new URL(process.env.AYUDA_STORE_URL);
  url.pathname = `/${name}`;
  execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '-d', url.href, dump], { stdio: 'pipe' });
  url.searchParams.set('options', `-csearch_path=${pgSchema(dir)}`);
  return { name, url: url.href };
}

test('a backup taken under writes is one commit\'s copy, and a server on it answers as the original', { timeout: 120000 }, async () => {
  const dir = newDataDir({ env: { ...process.env, AYUDA_FAKE_NOW: NOW } });
  const work = mkdtempSync(join(tmpdir(), 'ayuda-backup-'));
  const dest = join(work, 'copia');
  const toks = { admin: token(dir, 'admin@ayuda.localhost'), agent: token(dir, 'agente@ayuda.localhost'), customers: [token(dir, 'maria@acme.pe')] };
  let srv = await serve(dir, { AYUDA_FAKE_NOW: NOW });
  let copy, restored;
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
    assert.match(b.err, /restaurarla/);
    assert.ok(!existsSync(join(dest, 'vault.key')), 'the keys stay apart');
    let numbers, env = {};
    if (PG) {
      assert.equal(summary.engine, 'postgresql');
      assert.equal(summary.database, 'ayuda.pgdump');
      assert.equal(summary.files, 1, JSON.stringify(summary)); // ayuda.conf: the raw mail and images are rows
      assert.ok(!existsSync(join(dest, 'raw')) && !existsSync(join(dest, 'attachments')));
      assert.equal(statSync(join(dest, 'ayuda.pgdump')).mode & 0o777, 0o600);
      restored = pgRestore(dir, join(dest, 'ayuda.pgdump'));
      numbers = psql(restored.url, 'SELECT number FROM tickets');
      // The copy's server reads the restored database, not the original.
      env = { AYUDA_STORE_URL: restored.url, AYUDA_TEST_PG_SCHEMA_PER_DIR: '' };
    } else {
      assert.equal(summary.engine, 'sqlite');
      assert.ok(summary.files >= 2, JSON.stringify(summary)); // the upload's image, ayuda.conf (the mail's raw text and image, small, are rows)
      assert.equal(statSync(join(dest, 'ayuda.db')).mode & 0o777, 0o600);
      assert.equal(execFileSync('sqlite3', [join(dest, 'ayuda.db'), 'PRAGMA integrity_check'], { encoding: 'utf8' }).trim(), 'ok');
      numbers = execFileSync('sqlite3', [join(dest, 'ayuda.db'), 'SELECT number FROM tickets'], { encoding: 'utf8' }).trim();
    }
    // Every ticket acknowledged before the backup began is in it.
    const inCopy = new Set(numbers.split('\n').map(Number));
    for (const t of acked.filter((t) => t.at < started)) assert.ok(inCopy.has(t.number), `Ticket#${t.number}`);
    // A second backup into the same place is refused: nothing overwritten.
    const again = await run(['backup', dest, '--data', dir]);
    assert.equal(again.code, 73);

    // Every answer of the copy is the original's, but for what the
    // writes after the copy changed (their tickets, the lists and counts
    // that hold them).
    copyFileSync(join(dir, 'vault.key'), join(dest, 'vault.key'));
    copy = await serve(dest, { AYUDA_FAKE_NOW: NOW, ...env });
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
    if (restored) psql(process.env.AYUDA_STORE_URL, `DROP DATABASE ${restored.name} WITH (FORCE)`);
    cleanup(dir);
    cleanup(work);
  }
});

test('on PostgreSQL the backup needs pg_dump: missing or failing, it says so and leaves nothing', { skip: !PG && 'PostgreSQL only' }, async () => {
  const dir = newDataDir();
  const work = mkdtempSync(join(tmpdir(), 'ayuda-backup-'));
  try {
    const missing = await run(['backup', join(work, 'a'), '--data', dir], { PATH: '/nonexistent' });
    assert.equal(missing.code, 69, missing.err);
    assert.match(missing.err, /pg_dump, which copies it, is not installed/);
    assert.match(missing.err, /postgresql-client/);
    assert.ok(!existsSync(join(work, 'a')), 'no half copy');
    // A pg_dump that fails: its message is shown and nothing kept. The
    // URL's password goes to it in the environment, never in its arguments
    // (which every user of the machine can read).
    mkdirSync(join(work, 'bin'));
    writeFileSync(join(work, 'bin', 'pg_dump'), `#!/bin/sh\nprintf '%s\\n' "$@" > ${work}/args\n` +
      `printf '%s' "$PGPASSWORD" > ${work}/pw\necho 'pg_dump: error: sin servidor de prueba' >&2\nexit 1\n`, { mode: 0o755 });
    const url = new URL(process.env.AYUDA_STORE_URL);
    url.password = 'clave-secreta';
    const failed = await run(['backup', join(work, 'b'), '--data', dir], { PATH: `${work}/bin:${process.env.PATH}`, AYUDA_STORE_URL: url.href });
    assert.equal(failed.code, 1, failed.err);
    assert.match(failed.err, /sin servidor de prueba/);
    assert.match(failed.err, /backup of the database failed/);
    assert.ok(!existsSync(join(work, 'b')), 'no half copy');
    const args = readFileSync(join(work, 'args'), 'utf8');
    assert.match(args, /--format=custom/);
    assert.doesNotMatch(args, /clave-secreta/);
    assert.equal(readFileSync(join(work, 'pw'), 'utf8'), 'clave-secreta');
  } finally {
    cleanup(dir);
    cleanup(work);
  }
});
