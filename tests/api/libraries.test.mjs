// What a server loads: libpq (and the OpenSSL, Kerberos and LDAP libraries
// it brings, 2.7 MB of resident pages) only when its store is PostgreSQL,
// so that a SQLite server's idle memory stays small (issue 16, item 7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { newDataDir, serve, stop, cleanup, PG } from './helpers.mjs';

test('libpq is loaded only when the store is PostgreSQL', async () => {
  const dir = newDataDir();
  const srv = await serve(dir);
  try {
    const maps = readFileSync(`/proc/${srv.child.pid}/maps`, 'utf8');
    assert.equal(/\/libpq\.so/.test(maps), PG, PG ? 'libpq not loaded on PostgreSQL' : 'libpq loaded on SQLite');
    if (!PG) assert.doesNotMatch(maps, /\/libssl\.so|\/libkrb5\.so|\/libldap/);
  } finally {
    await stop(srv);
  }
  cleanup(dir);
});
