// Many deliveries at once: parallel `mail-in` processes (as an MTA runs
// them) while the server takes API writes; every message is stored once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, newDataDir, token, serve, stop, cleanup, api, sql as sqlRun } from './helpers.mjs';

function mailIn(dir, i) {
  return new Promise((resolve) => {
    const p = spawn(BIN, ['mail-in', '--data', dir], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => resolve({ code, err }));
    p.stdin.end(`From: cliente${i}@paralelo.pe\r\nTo: soporte@ayuda.localhost\r\nSubject: paralelo ${i}\r\nMessage-ID: <par${i}@paralelo.pe>\r\n\r\nmensaje ${i}\r\n`);
  });
}

test('parallel mail-in processes and API writes all commit', async () => {
  const dir = newDataDir();
  const tok = token(dir, 'agente@ayuda.localhost');
  const srv = await serve(dir);
  try {
    const mails = Array.from({ length: 24 }, (_, i) => mailIn(dir, i));
    const creates = Array.from({ length: 24 }, (_, i) => api(srv, 'POST', '/api/v1/tickets', {
      tok, json: { subject: `api ${i}`, body: 'x', requester_id: 4 },
    }));
    const [m, c] = await Promise.all([Promise.all(mails), Promise.all(creates)]);
    assert.deepEqual(m.filter((r) => r.code !== 0), [], 'every mail-in exits 0');
    assert.ok(c.every((r) => r.status === 201));
    // The same messages again: stored once.
    const again = await Promise.all(Array.from({ length: 24 }, (_, i) => mailIn(dir, i)));
    assert.ok(again.every((r) => r.code === 0));
    const n = sqlRun(dir, "SELECT COUNT(*) FROM messages WHERE mail_message_id LIKE 'par%@paralelo.pe'");
    assert.equal(n, '24');
    // Numbers unique and gapless: a refused attempt takes its increment with it.
    const numbers = sqlRun(dir, 'SELECT COUNT(DISTINCT number), COUNT(*), MIN(number), MAX(number) FROM tickets');
    const [distinct, count, min, max] = numbers.split('|').map(Number);
    assert.deepEqual([distinct, min, max], [count, 1, count], numbers);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});

// Three servers on one database (PostgreSQL: their writers' batches race
// for the ticket counter and take turns after a refusal, docs/postgresql.md)
// and parallel mail-in processes, all creating at once: every create is
// acknowledged, is stored under the number it was answered with, and the
// numbers run 1..N with no gap and no repeat.
test('three servers and parallel mail-in processes create at once: all acknowledged, numbers gapless', async () => {
  const dir = newDataDir();
  const tok = token(dir, 'agente@ayuda.localhost');
  const srvs = await Promise.all([0, 1, 2].map(() => serve(dir)));
  try {
    const creates = Array.from({ length: 60 }, (_, i) => api(srvs[i % 3], 'POST', '/api/v1/tickets', {
      tok, json: { subject: `tres ${i}`, body: 'x', requester_id: 4 },
    }));
    const mails = Array.from({ length: 12 }, (_, i) => mailIn(dir, 100 + i));
    const [c, m] = await Promise.all([Promise.all(creates), Promise.all(mails)]);
    assert.deepEqual(c.filter((r) => r.status !== 201).map((r) => r.body), [], 'every create is acknowledged');
    assert.deepEqual(m.filter((r) => r.code !== 0), [], 'every mail-in exits 0');
    const stored = Object.fromEntries(sqlRun(dir, "SELECT number, subject FROM tickets WHERE subject LIKE 'tres %'")
      .split('\n').map((l) => l.split('|')).map(([n, s]) => [s, Number(n)]));
    for (const [i, r] of c.entries()) assert.equal(stored[`tres ${i}`], r.body.number, `tres ${i}`);
    const numbers = sqlRun(dir, 'SELECT number FROM tickets ORDER BY number').split('\n').map(Number);
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => i + 1));
  } finally {
    await Promise.all(srvs.map(stop));
    cleanup(dir);
  }
});
