// The data directory belongs to one user (the service's): every verb refuses
// to write into it as anyone else, and says which command fixes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { readdirSync, rmSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { BIN, PG, newDataDir, cleanup, token, serve, stop, sql } from './helpers.mjs';
import { waitFor } from './mailservers.mjs';

const root = process.getuid() === 0;
const opts = { skip: !root && 'needs root to give the directory to another user' };
let dir;

before(() => {
  if (!root) return;
  dir = newDataDir({ demo: false });
  execFileSync('chown', ['-R', 'nobody:nogroup', dir]);
});
after(() => dir && cleanup(dir));

const run = (args, input) => spawnSync(BIN, args, { input, encoding: 'utf8' });
const files = () => readdirSync(dir).sort().join(' ');

test('root is told to run as the owner, and nothing is written', opts, () => {
  const before = files();
  const verbs = [
    ['user', 'add', '--data', dir, '--email', 'ana@acme.pe', '--name', 'Ana María', '--role', 'admin'],
    ['token', 'create', '--data', dir, '--user', 'ana@acme.pe'],
    ['company', 'add', '--data', dir, '--name', 'Acme'],
    ['send-mail', '--once', '--data', dir],
    ['init', '--data', dir],
    ['calendar', 'show', '--data', dir],
  ];
  for (const args of verbs) {
    const r = run(args);
    assert.equal(r.status, 77, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`pertenece a 'nobody'`));
    // The same command, as the owner, ready to paste.
    assert.ok(r.stderr.includes(`runuser -u nobody -- ${BIN} ${args[0]}`), r.stderr);
    assert.ok(r.stderr.includes(`chown -R root: ${dir}`), r.stderr);
  }
  assert.ok(run(verbs[0]).stderr.includes("--name 'Ana María'"));
  assert.equal(files(), before);
});

// PostgreSQL keeps no database file in the directory.
const dbFile = { skip: opts.skip || (PG && 'no database file on PostgreSQL') };
test('a database that root made in the owner\'s directory is named, with the chown that fixes it', dbFile, () => {
  execFileSync('chown', ['root', join(dir, 'ayuda.db')]);
  try {
    const r = spawnSync('runuser', ['-u', 'nobody', '--', BIN, 'token', 'create', '--data', dir, '--user', 'x@y.pe'], { encoding: 'utf8' });
    assert.equal(r.status, 77, r.stderr);
    assert.match(r.stderr, /ayuda\.db' pertenece a 'root', no a 'nobody'/);
    assert.ok(r.stderr.includes(`chown -R nobody:nogroup ${dir}`), r.stderr);
    // Under an MTA, mail-in asks for a retry with one human line.
    const m = spawnSync('runuser', ['-u', 'nobody', '--', BIN, 'mail-in', '--data', dir],
      { input: 'From: a@b.pe\r\n\r\nx\r\n', encoding: 'utf8' });
    assert.equal(m.status, 75);
    assert.equal(m.stderr.trim(), 'ayuda mail-in: no se pudo guardar el mensaje ahora; se reintentará (temporary failure, will retry)');
  } finally {
    execFileSync('chown', ['nobody', join(dir, 'ayuda.db')]);
  }
});

test('the owner works as always', opts, () => {
  const r = spawnSync('runuser', ['-u', 'nobody', '--', BIN, 'company', 'add', '--data', dir, '--name', 'Acme'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /"name":"Acme"/);
});

// What happens when a file in the data directory cannot be read anyway
// (another user's, or not a file): a 500, and the reason in the log.
// PostgreSQL keeps every file in the database.
test('a stored file the server cannot read: 500, with the path and the reason in the log', { skip: PG && 'no stored files on PostgreSQL' }, async () => {
  const d = newDataDir();
  const png = '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082';
  const raw = ['From: maria@acme.pe', 'To: soporte@ayuda.localhost', 'Subject: Captura', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Type: text/plain', '', 'Adjunto.', '--b',
    'Content-Type: image/png; name=c.png', 'Content-Transfer-Encoding: base64', '',
    // Over 256 KiB, so that it is a file (smaller ones are rows).
    Buffer.concat([Buffer.from(png, 'hex'), randomBytes(300 * 1024)]).toString('base64'), '--b--', ''].join('\r\n');
  const r = spawnSync(BIN, ['mail-in', '--data', d], { input: raw, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const n = JSON.parse(r.stdout).ticket;
  const [id, sha] = sql(d, 'SELECT id, sha256 FROM attachments').split('|');
  const file = join(d, 'attachments', sha);
  rmSync(file);
  mkdirSync(file); // unreadable as a file, even for root
  const agent = token(d, 'agente@ayuda.localhost');
  const srv = await serve(d);
  try {
    const res = await fetch(`${srv.url}/api/v1/tickets/${n}/attachments/${id}`, { headers: { Authorization: `Bearer ${agent}` } });
    assert.equal(res.status, 500);
    const line = new RegExp(`cannot read a stored file" path="${file}" error="[^"]+"`);
    await waitFor(() => line.test(srv.log()), 5000, 'the log line');
  } finally {
    await stop(srv);
    cleanup(d);
  }
});
