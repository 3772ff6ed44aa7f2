// Per-client rate limit: over the configured rate, 429 with the usual
// error shape; other clients' limits are their own business.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';

test('a client over the rate limit gets 429 and recovers', async () => {
  const dir = newDataDir();
  writeFileSync(join(dir, 'ayuda.conf'), '[server]\nrate_limit = 5\nrate_burst = 10\n');
  const tok = token(dir, 'agente@ayuda.localhost');
  const srv = await serve(dir);
  try {
    const codes = [];
    for (let i = 0; i < 30; i++) codes.push((await api(srv, 'GET', '/api/v1/tickets/1', { tok })).status);
    assert.ok(codes.slice(0, 10).every((c) => c === 200), codes.join(','));
    const limited = await api(srv, 'GET', '/api/v1/tickets/1', { tok });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, 'too_many_requests');
    await new Promise((r) => setTimeout(r, 1200));
    assert.equal((await api(srv, 'GET', '/api/v1/tickets/1', { tok })).status, 200);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});
