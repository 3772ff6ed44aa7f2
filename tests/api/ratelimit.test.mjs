// Per-client rate limit: over the configured rate, 429 with the usual
// error shape; other clients' limits are their own business.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';

// The bucket holds BURST requests and refills RATE a second. What a client
// gets depends on the time its requests take, so the test measures it: the
// first BURST always pass, and no more than BURST + RATE × elapsed (+1 for
// the request in flight) ever do, however loaded the machine or the store.
const RATE = 1;
const BURST = 10;

test('a client over the rate limit gets 429 and recovers', async () => {
  const dir = newDataDir();
  writeFileSync(join(dir, 'ayuda.conf'), `[server]\nrate_limit = ${RATE}\nrate_burst = ${BURST}\n`);
  const tok = token(dir, 'agente@ayuda.localhost');
  const srv = await serve(dir);
  try {
    const passed = [];
    let limited = null;
    const t0 = performance.now();
    while (!limited && passed.length < 100) {
      const r = await api(srv, 'GET', '/api/v1/tickets/1', { tok });
      if (r.status === 429) limited = r;
      else passed.push(r.status);
    }
    const secs = (performance.now() - t0) / 1000;
    const seen = `${passed.length} passed in ${secs.toFixed(2)} s`;
    assert.ok(limited, `no 429: ${seen}`);
    assert.ok(passed.every((c) => c === 200), passed.join(','));
    assert.ok(passed.length >= BURST, `the burst is allowed: ${seen}`);
    assert.ok(passed.length <= BURST + Math.ceil(RATE * secs) + 1, `no more than the rate allows: ${seen}`);
    assert.equal(limited.body.error.code, 'too_many_requests');
    // One refill later the client is served again.
    await new Promise((r) => setTimeout(r, 1000 / RATE + 200));
    assert.equal((await api(srv, 'GET', '/api/v1/tickets/1', { tok })).status, 200);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});
