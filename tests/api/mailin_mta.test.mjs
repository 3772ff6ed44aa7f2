// What `ayuda mail-in` writes on stderr reaches the sender: an MTA puts a
// pipe command's output into the deferral notice and the bounce. It must be
// one short human line, never our log lines or internals.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, newDataDir, cleanup } from './helpers.mjs';

const dirs = [];
after(() => dirs.forEach((d) => { try { chmodSync(join(d, 'ayuda.db'), 0o644); } catch { /* gone */ } cleanup(d); }));

const msg = 'From: ana@acme.pe\r\nTo: soporte@ayuda.test\r\nSubject: Hola\r\n\r\nTexto.\r\n';

// Run mail-in as an unprivileged user, as an MTA's pipe does (root would
// write into a read-only file anyway).
function mailInAsUser(dir) {
  const asRoot = process.getuid() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'nobody:nogroup', dir]);
  const argv = asRoot ? ['runuser', '-u', 'nobody', '--', BIN] : [BIN];
  return spawnSync(argv[0], [...argv.slice(1), 'mail-in', '--data', dir], { input: msg, encoding: 'utf8' });
}

test('a store that cannot be written defers with one human line and no internals', () => {
  const dir = newDataDir({ demo: false });
  dirs.push(dir);
  chmodSync(join(dir, 'ayuda.db'), 0o444);
  const r = mailInAsUser(dir);
  assert.equal(r.status, 75, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^ayuda mail-in: no se pudo guardar el mensaje ahora; se reintentará/);
  for (const leak of ['level=', 'sql', 'err=', 'readonly', 'statement', dir])
    assert.ok(!r.stderr.includes(leak), `stderr shows "${leak}": ${r.stderr}`);
});

test('a data directory that does not exist defers without naming it', () => {
  const r = spawnSync(BIN, ['mail-in', '--data', '/nonexistent/ayuda-data'], { input: msg, encoding: 'utf8' });
  assert.equal(r.status, 75);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(!r.stderr.includes('/nonexistent'), r.stderr);
});
