// Authentication from memory (issue 16, item 4): a token is looked up in
// the database once, then answered from memory; a revocation through this
// server holds for the very next request, and one made by another process
// (here the sqlite3 shell or psql) within about a second.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api, sql } from './helpers.mjs';

let dir, srv, admin;

withDemoServer({
  admin: 'admin@ayuda.localhost',
}, (d) => ({ dir, srv, admin } = d));

async function lookups() {
  const text = (await api(srv, 'GET', '/metrics')).body;
  const get = (source) => Number(text.match(new RegExp(`ayuda_auth_lookups_total\\{source="${source}"\\} (\\d+)`))[1]);
  return { cache: get('cache'), database: get('database') };
}

test('a token is read from the database once, then from memory; revoked here, it is refused at once', async () => {
  const issued = await api(srv, 'POST', '/api/v1/users/2/tokens', { tok: admin, json: { name: 'caché' } });
  assert.equal(issued.status, 201);
  const tok = issued.body.token;
  const before = await lookups();
  for (let i = 0; i < 10; i++) assert.equal((await api(srv, 'GET', '/api/v1/me', { tok })).status, 200);
  const afterGets = await lookups();
  assert.equal(afterGets.database - before.database, 1, 'one database lookup for ten requests');
  assert.equal(afterGets.cache - before.cache, 9);

  assert.equal((await api(srv, 'DELETE', `/api/v1/tokens/${issued.body.id}`, { tok: admin })).status, 200);
  assert.equal((await api(srv, 'GET', '/api/v1/me', { tok })).status, 401);
});

test('a token revoked by another process is refused within about a second', async () => {
  const issued = await api(srv, 'POST', '/api/v1/users/2/tokens', { tok: admin, json: { name: 'externo' } });
  const tok = issued.body.token;
  assert.equal((await api(srv, 'GET', '/api/v1/me', { tok })).status, 200);
  const warm = await lookups();
  assert.equal((await api(srv, 'GET', '/api/v1/me', { tok })).status, 200);
  assert.equal((await lookups()).cache - warm.cache, 1, 'answered from memory');

  sql(dir, `UPDATE api_tokens SET revoked_at = ${Math.floor(Date.now() / 1000)} WHERE id = ${issued.body.id}`);
  const t0 = Date.now();
  let status = 200;
  while (status === 200 && Date.now() - t0 < 5000) {
    status = (await api(srv, 'GET', '/api/v1/me', { tok })).status;
    if (status === 200) await new Promise((r) => setTimeout(r, 50));
  }
  assert.equal(status, 401);
  assert.ok(Date.now() - t0 < 2500, `refused after ${Date.now() - t0} ms`);
});
