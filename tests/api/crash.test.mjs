// Crash test: SIGKILL the server during a burst of concurrent creates,
// restart it, and check that every ticket that got a 201 is there, that
// the numbers are gapless, and that the store is whole: on SQLite its
// integrity and foreign-key checks, on PostgreSQL every foreign key of
// the schema checked row by row (tests/pg/run-api.sh runs this file there
// too: api-pg/crash).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api, sql, PG } from './helpers.mjs';

// What is wrong with dir's store after a crash, as lines ([] when
// nothing): SQLite's own checks, or on PostgreSQL the rows whose foreign
// key names no row (the engine enforces them; a bug that wrote around
// them, or a copy made with the checks off, would show here).
function integrity(dir) {
  if (!PG) {
    const out = sql(dir, 'PRAGMA integrity_check; PRAGMA foreign_key_check;');
    return out === 'ok' ? [] : out.split('\n');
  }
  const fks = sql(dir, "SELECT c.conrelid::regclass, a.attname, c.confrelid::regclass, f.attname FROM pg_constraint c"
    + ' JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]'
    + ' JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1]'
    + " WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace ORDER BY 1, 2")
    .split('\n').filter(Boolean).map((l) => l.split('|'));
  assert.ok(fks.length > 20, `the schema has its foreign keys: ${fks.length}`);
  const counts = sql(dir, fks.map(([t, c, rt, rc]) => `SELECT '${t}.${c}', COUNT(*) FROM ${t} x`
    + ` WHERE x.${c} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${rt} y WHERE y.${rc} = x.${c})`).join(' UNION ALL '));
  return counts.split('\n').filter((l) => !l.endsWith('|0')).map((l) => l.replace('|', ': ') + ' rows name no row');
}

// Ticket numbers run 1..N, each once; every ticket has its history.
function numbersGapless(dir) {
  const [count, distinct, max] = sql(dir, 'SELECT COUNT(*), COUNT(DISTINCT number), MAX(number) FROM tickets').split('|').map(Number);
  assert.equal(distinct, count, 'no number twice');
  assert.equal(max, count, `numbers 1..${max} without a gap`);
  assert.equal(sql(dir, 'SELECT COUNT(*) FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = t.id)'), '0',
    'every ticket has its history');
}

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
  numbersGapless(dir);
  assert.deepEqual(integrity(dir), []);
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
  numbersGapless(dir);
  assert.deepEqual(integrity(dir), []);
  cleanup(dir);
});
