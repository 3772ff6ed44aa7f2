// A full disk: writes and uploads answer 503 with Retry-After and say why,
// /healthz reports the store degraded, reads go on, and nothing that was
// acknowledged is lost (issue 8, item 4). Two ways to fill it: a real
// 4 MiB tmpfs under the data dir (as root, as on CI), and the database's
// size cap ([store] max_size_mb), which fails the same way (SQLITE_FULL)
// and needs no privileges. On PostgreSQL the disk that fills up is the
// database's: the data dir's tables and indexes (attachments and raw mail
// among them) are moved to a tablespace on the tmpfs; the size cap is
// SQLite's only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PG, ayuda, newDataDir, token, serve, stop, cleanup, api, sql, pgSchema } from './helpers.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');

function upload(srv, tok, bytes) {
  return fetch(`${srv.url}/api/v1/uploads?filename=captura.png`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/octet-stream' },
    body: Buffer.concat([PNG, bytes]),
  });
}

// Create tickets until the store refuses one; return the numbers it
// acknowledged and the refusal.
async function fill(srv, tok) {
  const acked = [];
  for (let i = 0; i < 2000; i++) {
    const body = `Relleno ${i}: ${randomBytes(12000).toString('base64')}`;
    const r = await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject: `Relleno ${i}`, body } });
    if (r.status !== 201) return { acked, refused: r };
    acked.push({ number: r.body.number, subject: `Relleno ${i}` });
  }
  throw new Error('the store never filled up');
}

function assertRefused(r, what) {
  assert.equal(r.status, 503, `${what}: ${JSON.stringify(r.body)}`);
  assert.ok(Number(r.headers.get('retry-after')) > 0, `${what}: Retry-After`);
  assert.equal(r.body.error.code, 'storage_full', what);
  assert.match(r.body.error.message, /espacio en disco/, what);
}

async function assertKept(srv, tok, acked, { refusedAbsent = true } = {}) {
  for (const t of acked) {
    const g = await api(srv, 'GET', `/api/v1/tickets/${t.number}`, { tok });
    assert.equal(g.status, 200, `Ticket#${t.number} was acknowledged`);
    assert.equal(g.body.subject, t.subject);
  }
  if (!refusedAbsent) return;
  const next = acked[acked.length - 1].number + 1;
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${next}`, { tok })).status, 404,
    'the refused ticket must not exist');
}

// Everything the user sees while the store is full, then after space is
// freed by free(); returns the server still running. With the size cap the
// disk has room for an upload's file, and its small row may still fit.
async function scenario(dir, free, { diskFull }) {
  const tok = token(dir, 'agente@ayuda.localhost');
  let srv = await serve(dir);
  try {
    assert.equal((await api(srv, 'GET', '/healthz')).body.status, 'ok');
    const { acked, refused } = await fill(srv, tok);
    assert.ok(acked.length > 0);
    assertRefused(refused, 'a new ticket');
    const h = await api(srv, 'GET', '/healthz');
    assert.equal(h.status, 200);
    assert.equal(h.body.status, 'degraded');
    assert.equal(h.body.store.state, 'full');
    assert.match(h.body.store.message, /espacio/);
    const m = await api(srv, 'GET', '/metrics');
    assert.match(m.body, /^ayuda_store_full 1$/m);
    // An upload of 256 KiB and a reply are refused the same way.
    if (diskFull) {
      const u = await upload(srv, tok, randomBytes(256 * 1024));
      assertRefused({ status: u.status, headers: u.headers, body: await u.json() }, 'an upload');
    }
    const reply = await api(srv, 'POST', `/api/v1/tickets/${acked[0].number}/messages`,
      { tok, json: { body: randomBytes(40000).toString('base64') } });
    assertRefused(reply, 'a reply');
    // Reads go on; what was acknowledged is there, the refused is not.
    await assertKept(srv, tok, acked);
    srv = await free(srv);
    const c = await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject: 'Ya hay sitio', body: 'Hola.' } });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    assert.equal((await api(srv, 'GET', '/healthz')).body.status, 'ok');
    await assertKept(srv, tok, acked, { refusedAbsent: false });
    return srv;
  } catch (e) {
    await stop(srv);
    e.message += `\nserver log:\n${srv.log().split('\n').filter((l) => !l.includes('msg="request"')).slice(-20).join('\n')}`;
    throw e;
  }
}

test('the database size cap: 503 with Retry-After, healthz degraded, nothing lost',
  { skip: PG && '[store] max_size_mb is SQLite\'s (PostgreSQL ignores it)' }, async () => {
  const dir = newDataDir();
  writeFileSync(join(dir, 'ayuda.conf'), '[store]\nmax_size_mb = 1\n');
  try {
    const srv = await scenario(dir, async (old) => {
      await stop(old);
      writeFileSync(join(dir, 'ayuda.conf'), '[store]\nmax_size_mb = 64\n');
      return serve(dir);
    }, { diskFull: false });
    await stop(srv);
  } finally {
    cleanup(dir);
  }
});

const root = process.getuid && process.getuid() === 0;

// Put the tables and indexes of dir's schema on PostgreSQL into a new
// tablespace at mnt (owned by the server's user); returns its name.
function pgMoveTo(dir, mnt) {
  const ts = `ayuda_full_${process.pid}`;
  execFileSync('chown', ['postgres:', mnt]);
  sql(dir, `CREATE TABLESPACE ${ts} LOCATION '${mnt}'`);
  sql(dir, `DO $$ DECLARE r record; BEGIN
    FOR r IN SELECT c.oid::regclass AS n, c.relkind FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'i') LOOP
      EXECUTE format('ALTER %s %s SET TABLESPACE ${ts}', CASE r.relkind WHEN 'i' THEN 'INDEX' ELSE 'TABLE' END, r.n);
    END LOOP; END $$`);
  return ts;
}

test('a full disk (4 MiB tmpfs): 503 with Retry-After, healthz degraded, nothing lost',
  { skip: !root && 'mounting a tmpfs needs root' }, async (t) => {
    const mnt = mkdtempSync(join(tmpdir(), 'ayuda-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', mnt], { stdio: 'pipe' });
    } catch (e) {
      rmSync(mnt, { recursive: true, force: true });
      t.skip(`cannot mount a tmpfs here: ${String(e.stderr || e).trim()}`);
      return;
    }
    const dir = PG ? mkdtempSync(join(tmpdir(), 'ayuda-api-')) : join(mnt, 'data');
    let ts = null;
    try {
      ayuda(['init', '--demo', '--data', dir]);
      if (PG) ts = pgMoveTo(dir, mnt);
      const srv = await scenario(dir, async (s) => {
        execFileSync('mount', ['-o', 'remount,size=64m', mnt]);
        return s;
      }, { diskFull: true });
      await stop(srv);
    } finally {
      if (ts) {
        sql(dir, `DROP SCHEMA ${pgSchema(dir)} CASCADE`);
        sql(dir, `DROP TABLESPACE ${ts}`);
      }
      if (PG) cleanup(dir);
      execFileSync('umount', ['-l', mnt]);
      rmSync(mnt, { recursive: true, force: true });
    }
  });
