// ayuda-mail-in (issue 16, item 6): with `ayuda serve` running, the
// message goes over DATA/mail-in.sock and the server delivers it, once;
// without a server (none started, or one killed that left its socket
// behind) the client delivers it itself. Output and exit statuses are
// those of `ayuda mail-in`.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BIN, newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';

const CLIENT = join(dirname(BIN), 'ayuda-mail-in');
const dirs = [];
after(() => dirs.forEach(cleanup));

function message(id, subject) {
  return `From: maria@acme.pe\r\nTo: soporte@ayuda.test\r\nMessage-ID: <${id}@acme.pe>\r\n` +
    `Subject: ${subject}\r\n\r\nNo carga el módulo de facturación.\r\n`;
}

function client(dir, raw) {
  const r = spawnSync(CLIENT, ['--data', dir], { input: raw, encoding: 'utf8' });
  if (r.status === null) throw new Error(`ayuda-mail-in died: ${r.signal} ${r.error} ${r.stderr}`);
  return r;
}

async function waitFor(fn, what) {
  const t0 = Date.now();
  while (!fn()) {
    if (Date.now() - t0 > 10000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function ticketsWith(srv, tok, subject) {
  const list = await api(srv, 'GET', '/api/v1/tickets?view=all&limit=200', { tok });
  assert.equal(list.status, 200, JSON.stringify(list.body));
  return (list.body.tickets || list.body.items || []).filter((t) => t.subject === subject);
}

test('with a server running, the message is handed over the socket and delivered once', async () => {
  const dir = newDataDir();
  dirs.push(dir);
  const tok = token(dir, 'agente@ayuda.localhost');
  const srv = await serve(dir);
  try {
    await waitFor(() => existsSync(join(dir, 'mail-in.sock')), 'the socket');
    const r = client(dir, message('sock-1', 'Facturación por el socket'));
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.action, 'created');
    assert.ok(out.ticket > 0);
    await waitFor(() => /msg="mail-in delivered" via=socket/.test(srv.log()), 'the server to say it delivered');
    assert.equal((await ticketsWith(srv, tok, 'Facturación por el socket')).length, 1);

    // The same message again: recognised, answered as `ayuda mail-in` does.
    const again = client(dir, message('sock-1', 'Facturación por el socket'));
    assert.equal(again.status, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).action, 'ignored');
    assert.equal((await ticketsWith(srv, tok, 'Facturación por el socket')).length, 1);

    // A message it can never accept: 65 and the reason, as the CLI.
    const bad = client(dir, 'garbage');
    const cli = spawnSync(BIN, ['mail-in', '--data', dir], { input: 'garbage', encoding: 'utf8' });
    assert.equal(bad.status, 65);
    assert.equal(bad.stderr, cli.stderr);
    assert.equal(bad.stdout, '');
  } finally {
    await stop(srv);
  }
  assert.ok(!existsSync(join(dir, 'mail-in.sock')), 'a stopped server removes its socket');
});

test('without a server, or with a dead one\'s socket left behind, the client delivers by itself', async () => {
  const dir = newDataDir();
  dirs.push(dir);
  const tok = token(dir, 'agente@ayuda.localhost');
  const none = client(dir, message('local-1', 'Sin servidor'));
  assert.equal(none.status, 0, none.stderr);
  assert.equal(JSON.parse(none.stdout).action, 'created');

  const srv = await serve(dir);
  await waitFor(() => existsSync(join(dir, 'mail-in.sock')), 'the socket');
  srv.child.kill('SIGKILL');
  await new Promise((r) => srv.child.once('exit', r));
  assert.ok(existsSync(join(dir, 'mail-in.sock')), 'the killed server left its socket');
  const stale = client(dir, message('local-2', 'Servidor caído'));
  assert.equal(stale.status, 0, stale.stderr);
  assert.equal(JSON.parse(stale.stdout).action, 'created');

  const again = await serve(dir);
  try {
    assert.equal((await ticketsWith(again, tok, 'Sin servidor')).length, 1);
    assert.equal((await ticketsWith(again, tok, 'Servidor caído')).length, 1);
    assert.ok(!/via=socket/.test(again.log()));
  } finally {
    await stop(again);
  }
});
