// The request log escapes what clients send: a %0A in a URL cannot forge a
// log line (issue 8, item 3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, serve, stop, cleanup, api } from './helpers.mjs';

async function waitFor(fn, what, ms = 5000) {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('a request path cannot forge or break a log line', async () => {
  const dir = newDataDir({ demo: false });
  const srv = await serve(dir);
  try {
    const forged = 'ts=2026-01-01T00:00:00.000Z level=error msg="forged"';
    const path = `/nada%0A${encodeURIComponent(forged)}%0D%1B[2J"%20x=%22y`;
    assert.equal((await api(srv, 'GET', path)).status, 404);
    const line = await waitFor(
      () => srv.log().split('\n').find((l) => l.includes('msg="request"') && l.includes('/nada')),
      'the request log line');
    assert.ok(!srv.log().split('\n').some((l) => l.startsWith(forged)), srv.log());
    assert.ok(line.includes('path="/nada\\nts=2026-01-01T00:00:00.000Z level=error msg=\\"forged\\"\\r\\x1b[2J\\" x=\\"y"'), line);
    assert.match(line, /status=404/);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});

test('request lines are written in batches, and a clean stop writes every one still waiting', async () => {
  const dir = newDataDir({ demo: false });
  const srv = await serve(dir);
  try {
    const paths = Array.from({ length: 40 }, (_, i) => `/nada-${i}`);
    for (const p of paths) assert.equal((await api(srv, 'GET', p)).status, 404);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
  // Stopped at once after the last answer: each line is there, whole.
  const lines = srv.log().split('\n');
  for (let i = 0; i < 40; i++) {
    const mine = lines.filter((l) => l.includes(`path="/nada-${i}"`));
    assert.equal(mine.length, 1, `/nada-${i}`);
    assert.match(mine[0], /^ts=\S+ level=info msg="request" method=GET path="\/nada-\d+" status=404 /);
  }
  assert.match(srv.log(), /msg="stopping"/);
});
