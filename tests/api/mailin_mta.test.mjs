// What `ayuda mail-in` writes on stderr reaches the sender: an MTA puts a
// pipe command's output into the deferral notice and the bounce. It must be
// one short human line, never our log lines or internals.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, PG, newDataDir, cleanup, sql } from './helpers.mjs';

const dirs = [];
after(() => dirs.forEach((d) => { try { if (!PG) chmodSync(join(d, 'ayuda.db'), 0o644); } catch { /* gone */ } cleanup(d); }));

const msg = 'From: ana@acme.pe\r\nTo: soporte@ayuda.test\r\nSubject: Hola\r\n\r\nTexto.\r\n';

// Run mail-in as an unprivileged user, as an MTA's pipe does (root would
// write into a read-only file anyway).
function mailInAsUser(dir, env = process.env) {
  const asRoot = process.getuid() === 0;
  if (asRoot) execFileSync('chown', ['-R', 'nobody:nogroup', dir]);
  const argv = asRoot ? ['runuser', '-u', 'nobody', '--', BIN] : [BIN];
  return spawnSync(argv[0], [...argv.slice(1), 'mail-in', '--data', dir], { input: msg, encoding: 'utf8', env });
}

function assertDeferred(r, dir) {
  assert.equal(r.status, 75, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^ayuda mail-in: no se pudo guardar el mensaje ahora; se reintentará/);
  for (const leak of ['level=', 'sql', 'err=', 'readonly', 'read-only', 'statement', 'postgres', '127.0.0.1', dir])
    assert.ok(!r.stderr.includes(leak), `stderr shows "${leak}": ${r.stderr}`);
}

test('a store that cannot be written defers with one human line and no internals', () => {
  const dir = newDataDir({ demo: false });
  dirs.push(dir);
  if (PG) {
    // PostgreSQL refuses the writes, as a read-only database would.
    sql(dir, "CREATE FUNCTION ro() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
      + " RAISE EXCEPTION 'read-only' USING ERRCODE = 'read_only_sql_transaction'; END $$;"
      + ' CREATE TRIGGER ro BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION ro()');
  } else {
    chmodSync(join(dir, 'ayuda.db'), 0o444);
  }
  assertDeferred(mailInAsUser(dir), dir);
});

test('a PostgreSQL that does not answer defers without naming it', { skip: !PG && 'SQLite' }, () => {
  const dir = newDataDir({ demo: false });
  dirs.push(dir);
  const url = new URL(process.env.AYUDA_STORE_URL);
  url.port = '1'; // nothing listens there
  assertDeferred(mailInAsUser(dir, { ...process.env, AYUDA_STORE_URL: url.href }), dir);
});

test('a data directory that does not exist defers without naming it', () => {
  const r = spawnSync(BIN, ['mail-in', '--data', '/nonexistent/ayuda-data'], { input: msg, encoding: 'utf8' });
  assert.equal(r.status, 75);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(!r.stderr.includes('/nonexistent'), r.stderr);
});
