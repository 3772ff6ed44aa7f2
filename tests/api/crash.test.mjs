// Crash test: SIGKILL the server during a burst of concurrent creates,
// restart it, and check that every ticket that got a 201 is there and that
// SQLite's integrity check passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';

test('every acknowledged create survives a SIGKILL', async () => {
  const dir = newDataDir();
  const tok = token(dir, 'agente@ayuda.localhost');
  const srv = await serve(dir);
  const acked = new Map();
  let failures = 0;
  let dead = false;

  async function worker(w) {
    for (let i = 0; !dead; i++) {
      const subject = `choque ${w}-${i}`;
      try {
        const r = await api(srv, 'POST', '/api/v1/tickets', {
          tok, json: { subject, body: `cuerpo ${w}-${i}`, requester_id: 4 },
        });
        if (r.status === 201) acked.set(r.body.number, subject);
      } catch {
        failures++;
        return; // connection refused or reset: the server is gone
      }
    }
  }
  const workers = Array.from({ length: 16 }, (_, w) => worker(w));
  // Kill in the middle of the burst, once enough creates were answered
  // (not after a fixed time: a loaded machine answers fewer in it).
  for (const end = Date.now() + 60000; acked.size <= 60 && Date.now() < end;)
    await new Promise((r) => setTimeout(r, 20));
  srv.child.kill('SIGKILL');
  dead = true;
  await Promise.all(workers);
  await new Promise((r) => srv.child.exitCode !== null || srv.child.signalCode ? r() : srv.child.once('exit', r));
  assert.ok(acked.size > 50, `only ${acked.size} creates were acknowledged`);

  const again = await serve(dir);
  try {
    for (const [number, subject] of acked) {
      const g = await api(again, 'GET', `/api/v1/tickets/${number}`, { tok });
      assert.equal(g.status, 200, `ticket ${number} lost after the crash`);
      assert.equal(g.body.subject, subject);
      assert.equal(g.body.messages.length, 1);
    }
    // Numbers stay unique and the next one follows the highest.
    const n = await api(again, 'POST', '/api/v1/tickets', { tok, json: { subject: 'después', body: 'x', requester_id: 4 } });
    assert.equal(n.status, 201);
    assert.ok(n.body.number > Math.max(...acked.keys()));
  } finally {
    await stop(again);
  }
  const check = execFileSync('sqlite3', [join(dir, 'ayuda.db'), 'PRAGMA integrity_check; PRAGMA foreign_key_check;'], { encoding: 'utf8' });
  assert.equal(check.trim(), 'ok');
  cleanup(dir);
});

// A stop (SIGTERM) in the middle of a burst of creates: the server finishes
// the writes it took, answers them, and exits 0 (libmicrohttpd aborts the
// process when stopped with connections suspended on the writer).
test('a SIGTERM during a burst of creates ends cleanly and keeps every answered create', async () => {
  const dir = newDataDir();
  const tok = token(dir, 'agente@ayuda.localhost');
  const srv = await serve(dir);
  const acked = new Map();
  let dead = false;

  async function worker(w) {
    for (let i = 0; !dead; i++) {
      const subject = `parada ${w}-${i}`;
      try {
        const r = await api(srv, 'POST', '/api/v1/tickets', {
          tok, json: { subject, body: `cuerpo ${w}-${i}`, requester_id: 4 },
        });
        if (r.status === 201) acked.set(r.body.number, subject);
      } catch {
        return; // refused or reset once the server stops listening
      }
    }
  }
  const exited = new Promise((r) => srv.child.once('exit', (code, signal) => r({ code, signal })));
  const workers = Array.from({ length: 32 }, (_, w) => worker(w));
  for (const end = Date.now() + 60000; acked.size <= 60 && Date.now() < end;)
    await new Promise((r) => setTimeout(r, 20));
  srv.child.kill('SIGTERM');
  const how = await exited;
  dead = true;
  await Promise.all(workers);
  assert.deepEqual(how, { code: 0, signal: null }, 'the server did not end cleanly on SIGTERM');

  const again = await serve(dir);
  try {
    for (const [number, subject] of acked) {
      const g = await api(again, 'GET', `/api/v1/tickets/${number}`, { tok });
      assert.equal(g.status, 200, `ticket ${number} lost after the stop`);
      assert.equal(g.body.subject, subject);
    }
  } finally {
    await stop(again);
  }
  cleanup(dir);
});
