// Start a real `ayuda serve` on a free loopback port with a temporary data
// dir, and talk to it over HTTP.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, after } from 'node:test';

export const BIN = process.env.AYUDA_BIN || new URL('../../build/ayuda', import.meta.url).pathname;

// Whether the store is PostgreSQL (tests/pg/run-api.sh), not SQLite.
export const PG = !!process.env.AYUDA_STORE_URL;

// The schema of data dir dir on PostgreSQL (AYUDA_TEST_PG_SCHEMA_PER_DIR):
// its prefix ("d" for 1; tests/pg/run-api.sh gives each file its own) and
// the FNV-1a hash of its real path, as src/store/store.c names it.
export function pgSchema(dir) {
  const per = process.env.AYUDA_TEST_PG_SCHEMA_PER_DIR;
  let h = 1469598103934665603n;
  for (const b of Buffer.from(realpathSync(dir))) {
    h ^= BigInt(b);
    h = (h * 1099511628211n) & 0xffffffffffffffffn;
  }
  return (per && per !== '1' ? per : 'd') + h.toString(16).padStart(16, '0');
}

// Run SQL on the data dir's database, whichever the engine: the sqlite3
// shell or psql; rows one a line, columns split by separator.
export function sql(dir, query, { separator = '|' } = {}) {
  if (!PG) {
    return execFileSync('sqlite3', ['-cmd', '.timeout 10000', '-separator', separator, join(dir, 'ayuda.db'), query],
      { encoding: 'utf8' }).trim();
  }
  return execFileSync('psql', [process.env.AYUDA_STORE_URL, '-X', '-q', '-A', '-t', '-F', separator,
    '-v', 'ON_ERROR_STOP=1', '-c', `SET search_path = ${pgSchema(dir)}`, '-c', query],
  { encoding: 'utf8' }).trim();
}

export function ayuda(args, opts = {}) {
  return execFileSync(BIN, args, { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...opts });
}

// env: the environment of `ayuda init` (e.g. AYUDA_FAKE_NOW for the demo data).
export function newDataDir({ demo = true, conf = '', env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'ayuda-api-'));
  ayuda(['init', '--data', dir, ...(demo ? ['--demo'] : [])], env ? { env } : {});
  if (conf) writeFileSync(join(dir, 'ayuda.conf'), conf);
  return dir;
}

export function token(dir, email) {
  return ayuda(['token', 'create', '--user', email, '--data', dir]).trim();
}

// Start the server; resolves when it prints its address.
export function serve(dir, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--data', dir, '--listen', '127.0.0.1:0'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => { err += d; if (err.length > 1e6) err = err.slice(-1e5); });
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/([\d.]+):(\d+)\//);
      if (m) resolve({ child, url: `http://${m[1]}:${m[2]}`, log: () => err });
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error('serve did not start: ' + err)), 10000).unref();
  });
}

// Stop the server; with a sanitizer build, anything it reported (a leak at
// exit, a runtime error) fails the test that started it.
export async function stop(srv) {
  if (!srv) return;
  if (srv.child.exitCode === null && srv.child.signalCode === null) {
    const done = new Promise((r) => srv.child.once('exit', r));
    srv.child.kill('SIGTERM');
    await done;
  }
  const m = srv.log().match(/(==\d+==ERROR: \w+Sanitizer.*|runtime error:.*)/);
  if (m) throw new Error(`sanitizer report from ayuda serve: ${m[1]}\n${srv.log().slice(-4000)}`);
}

// Run fn(srv) against a server whose clock (AYUDA_FAKE_NOW) reads the ISO
// 8601 instant iso, then stop it.
export async function serveAt(dir, iso, fn) {
  const srv = await serve(dir, { AYUDA_FAKE_NOW: String(Date.parse(iso) / 1000) });
  try {
    return await fn(srv);
  } finally {
    await stop(srv);
  }
}

export function cleanup(dir) {
  // Retries: a server that just stopped may still be writing below dir.
  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
}

// One demo data dir and its server for a whole test file: before() makes
// them and a token for each of users ({ name: email }), then gives
// use({ dir, srv, ...tokens }) (awaited: it may prepare data through the
// API); after() stops and removes them. setup(dir), awaited before the
// tokens and the server, adds what the file needs (ayuda.conf, people made
// with the CLI); env: the server's. Node 20 runs a file's top-level
// before() hooks at once, not in turn: what must come before or after the
// server belongs in setup or use.
//   let srv, agent;
//   withDemoServer({ agent: 'agente@ayuda.localhost' }, (d) => ({ srv, agent } = d));
export function withDemoServer(users, use, { setup, env } = {}) {
  const d = {};
  before(async () => {
    d.dir = newDataDir();
    if (setup) await setup(d.dir);
    for (const [name, email] of Object.entries(users)) d[name] = token(d.dir, email);
    d.srv = await serve(d.dir, env);
    await use(d);
  });
  after(async () => {
    if (d.srv) await stop(d.srv);
    if (d.dir) cleanup(d.dir);
  });
}

// A small client: returns { status, body (parsed JSON or text), headers }.
export async function api(srv, method, path, { tok, json, raw, headers = {} } = {}) {
  const h = { ...headers };
  if (tok) h.Authorization = `Bearer ${tok}`;
  let body;
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (raw !== undefined) {
    body = raw;
  }
  const res = await fetch(srv.url + path, { method, headers: h, body });
  const text = await res.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, body: parsed, headers: res.headers };
}

// Deliver one mail to `ayuda mail-in` as the MTA would: plain text, or
// multipart/mixed with files ([{ name, type, content }], base64); returns
// { code, json (its one-line answer), stderr }.
export function mailIn(dir, { from, subject, body, id, to = 'soporte@ayuda.test', headers = [], files = [] }) {
  const text = ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body];
  const parts = files.length === 0 ? text : [
    'Content-Type: multipart/mixed; boundary="=-ayuda-test"', '', '--=-ayuda-test', ...text,
    ...files.flatMap((f) => [
      '--=-ayuda-test', `Content-Type: ${f.type}; name="${f.name}"`,
      `Content-Disposition: attachment; filename="${f.name}"`, 'Content-Transfer-Encoding: base64', '',
      Buffer.from(f.content).toString('base64').replace(/.{76}/g, '$&\r\n'),
    ]),
    '--=-ayuda-test--',
  ];
  const raw = [
    `From: ${from}`, `To: ${to}`, `Subject: ${subject}`,
    'Date: Tue, 01 Dec 2026 10:00:00 -0500', `Message-ID: <${id}>`, ...headers,
    'MIME-Version: 1.0', ...parts, '',
  ].join('\r\n');
  const r = spawnSync(BIN, ['mail-in', '--data', dir], { input: raw, encoding: 'utf8' });
  let json = null;
  try { json = JSON.parse(r.stdout.trim().split('\n').pop()); } catch { /* none */ }
  return { code: r.status, json, stderr: r.stderr };
}
