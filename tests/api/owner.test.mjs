// The data directory belongs to one user (the service's): every verb refuses
// to write into it as anyone else, and says which command fixes it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, newDataDir, cleanup } from './helpers.mjs';

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

test('a database that root made in the owner\'s directory is named, with the chown that fixes it', opts, () => {
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
