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
