// The web UI's files from `ayuda serve`: the shell on every page path,
// gzip/brotli by Accept-Encoding, strong ETags and 304, cache headers,
// the strict CSP, and --web-dir serving from disk.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { BIN, newDataDir, serve, serveAt, stop, cleanup, token, api } from './helpers.mjs';

let dir;
let srv;

// A GET with exactly these headers (fetch would add Accept-Encoding and
// decompress): { status, headers, body: Buffer }.
function get(base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = request(base + path, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  dir = newDataDir({ demo: false });
  srv = await serve(dir);
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

test('every page path of the application gets the HTML shell', async () => {
  for (const p of ['/', '/entrar', '/registro', '/tickets', '/tickets/nuevo', '/tickets/42', '/sla/comercial',
    '/sla/no-comercial', '/agente', '/agente/tickets/3', '/supervisor', '/admin', '/account/verify', '/cuenta']) {
    const r = await get(srv.url, p);
    assert.equal(r.status, 200, p);
    assert.match(r.headers['content-type'], /^text\/html/, p);
    assert.match(r.body.toString(), /<script type="module" src="\/app\.js\?v=[0-9a-f]+"><\/script>/, p);
    assert.equal(r.headers['cache-control'], 'no-cache', p);
  }
});

test('the CSP stays strict: no inline script, and only connect-src and img-src added', async () => {
  const csp = (await get(srv.url, '/')).headers['content-security-policy'];
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /connect-src 'self';/);
  assert.match(csp, /img-src 'self' data: blob:;/);
  assert.doesNotMatch(csp, /unsafe/);
});

test('brotli, gzip or identity by Accept-Encoding, each with its own strong ETag', async () => {
  const plain = await get(srv.url, '/vendor/preact.js');
  const br = await get(srv.url, '/vendor/preact.js', { 'Accept-Encoding': 'gzip, deflate, br' });
  const gz = await get(srv.url, '/vendor/preact.js', { 'Accept-Encoding': 'gzip' });
  const noBr = await get(srv.url, '/vendor/preact.js', { 'Accept-Encoding': 'br;q=0, gzip' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.equal(br.headers['content-encoding'], 'br');
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.equal(noBr.headers['content-encoding'], 'gzip');
  assert.deepEqual(brotliDecompressSync(br.body), plain.body);
  assert.deepEqual(gunzipSync(gz.body), plain.body);
  assert.ok(br.body.length < plain.body.length / 2, 'brotli pays');
  for (const r of [plain, br, gz]) {
    assert.equal(r.headers.vary, 'Accept-Encoding');
    assert.match(r.headers.etag, /^"[^"]+"$/, 'strong ETag');
    assert.match(r.headers['content-type'], /^text\/javascript/);
  }
  assert.equal(new Set([plain, br, gz].map((r) => r.headers.etag)).size, 3);
});

test('If-None-Match with the current ETag answers 304 without a body', async () => {
  const first = await get(srv.url, '/tickets/7', { 'Accept-Encoding': 'br' });
  const again = await get(srv.url, '/tickets/7', { 'Accept-Encoding': 'br', 'If-None-Match': first.headers.etag });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, first.headers.etag);
  const weak = await get(srv.url, '/tickets/7', { 'Accept-Encoding': 'br', 'If-None-Match': `"x", W/${first.headers.etag}` });
  assert.equal(weak.status, 304);
  const other = await get(srv.url, '/tickets/7', { 'Accept-Encoding': 'br', 'If-None-Match': '"nope"' });
  assert.equal(other.status, 200);
});

test('a file asked for with the build hash is immutable; without it, revalidated', async () => {
  const shell = (await get(srv.url, '/')).body.toString();
  const v = /app\.js\?v=([0-9a-f]+)/.exec(shell)[1];
  const hashed = await get(srv.url, `/app.js?v=${v}`);
  assert.equal(hashed.headers['cache-control'], 'public, max-age=31536000, immutable');
  const bare = await get(srv.url, '/app.js');
  assert.equal(bare.headers['cache-control'], 'no-cache');
  const stale = await get(srv.url, '/app.js?v=000000000000');
  assert.equal(stale.headers['cache-control'], 'no-cache');
  // Every stylesheet and module the shell names carries the hash.
  for (const m of shell.matchAll(/(?:src|href)="(\/[^"]+)"/g)) assert.match(m[1], new RegExp(`\\?v=${v}$`), m[1]);
});

test('every module the application imports is served, with the build hash', async () => {
  const shell = (await get(srv.url, '/')).body.toString();
  const v = /app\.js\?v=([0-9a-f]+)/.exec(shell)[1];
  const seen = new Set();
  const queue = [`/app.js?v=${v}`];
  while (queue.length) {
    const url = queue.shift();
    if (seen.has(url)) continue;
    seen.add(url);
    const r = await get(srv.url, url);
    assert.equal(r.status, 200, url);
    assert.match(r.headers['content-type'], /^text\/javascript/, url);
    for (const m of r.body.toString().matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      assert.match(m[1], new RegExp(`\\?v=${v}$`), `${url} imports ${m[1]}`);
      queue.push(new URL(m[1], `http://x${url}`).pathname + `?v=${v}`);
    }
  }
  assert.ok(seen.size > 10, `modules crawled: ${seen.size}`);
  // The shell preloads the entry's static imports, so the browser need not
  // discover them one level at a time; each one is a module we serve.
  const preloads = [...shell.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
  assert.ok(preloads.includes(`/vendor/preact.js?v=${v}`), preloads.join(' '));
  for (const p of preloads) assert.ok(seen.has(p), `${p} is imported by the application`);
  for (const l of ['es', 'en']) assert.equal((await get(srv.url, `/i18n/${l}.json?v=${v}`)).status, 200);
});

test('the API, health, metrics and the survey link keep their answers', async () => {
  const api404 = await get(srv.url, '/api/v1/nada', { Accept: 'text/html' });
  assert.equal(api404.status, 404);
  assert.match(api404.headers['content-type'], /application\/json/);
  assert.equal((await get(srv.url, '/healthz')).status, 200);
  assert.match((await get(srv.url, '/metrics')).body.toString(), /ayuda_/);
  // The survey's mailed link is a page of the application now.
  assert.match((await get(srv.url, '/encuesta', { Accept: 'text/html' })).body.toString(), /app\.js/);
  const unknown = await get(srv.url, '/no-existe');
  assert.equal(unknown.status, 404);
  assert.match(unknown.headers['content-type'], /application\/json/);
  const browser = await get(srv.url, '/no-existe', { Accept: 'text/html,application/xhtml+xml' });
  assert.equal(browser.status, 404);
  assert.match(browser.body.toString(), /app\.js/);
});

test('--web-dir serves the files from disk, and nothing outside it', async () => {
  const web = mkdtempSync(join(tmpdir(), 'ayuda-web-'));
  mkdirSync(join(web, 'ui'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>dev</title><script type="module" src="/app.js"></script>');
  writeFileSync(join(web, 'ui', 'x.js'), 'export const x = 1;\n');
  writeFileSync(join(web, '.secret.js'), 'no');
  const child = spawn(BIN, ['serve', '--data', dir, '--listen', '127.0.0.1:0', '--web-dir', web], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve) => {
      let out = '';
      child.stdout.on('data', (d) => { out += d; const m = /(http:\/\/[\d.]+:\d+)\//.exec(out); if (m) resolve(m[1]); });
    });
    const page = await get(url, '/tickets/nuevo');
    assert.equal(page.status, 200);
    assert.match(page.body.toString(), /<title>dev<\/title>/);
    const mod = await get(url, '/ui/x.js');
    assert.equal(mod.body.toString(), 'export const x = 1;\n');
    assert.equal(mod.headers['cache-control'], 'no-cache');
    assert.equal((await get(url, '/ui/x.js', { 'If-None-Match': mod.headers.etag })).status, 304);
    writeFileSync(join(web, 'ui', 'x.js'), 'export const x = 2;\n');
    assert.equal((await get(url, '/ui/x.js')).body.toString(), 'export const x = 2;\n');
    assert.equal((await get(url, '/.secret.js')).status, 404);
    assert.equal((await get(url, '/ui/../../etc/passwd')).status, 404);
    assert.equal((await get(url, '/%2e%2e/%2e%2e/etc/hostname')).status, 404);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    cleanup(web);
  }
});

test("the landing page's data is public: SLA levels and a calendar, not the list of calendars", async () => {
  const levels = await get(srv.url, '/api/v1/sla/levels');
  assert.equal(levels.status, 200);
  assert.ok(JSON.parse(levels.body).levels.some((l) => l.code === 'partner_gold' && l.response_minutes === 720));
  const lima = await get(srv.url, '/api/v1/calendars/lima');
  assert.equal(lima.status, 200);
  assert.equal(JSON.parse(lima.body).timezone, 'America/Lima');
  assert.equal((await get(srv.url, '/api/v1/calendars')).status, 401);
});

test('the landing page gets the calendar with its upcoming holidays and closures in one answer, no .ics', async () => {
  const d = newDataDir();
  const admin = token(d, 'admin@ayuda.localhost');
  try {
    await serveAt(d, '2026-12-07T15:00:00Z', async (s) => {
      const closure = { from: '2026-12-10T14:00:00Z', to: '2026-12-10T18:00:00Z', reason: 'Corte de energía' };
      assert.equal((await api(s, 'POST', '/api/v1/calendars/lima/closures', { tok: admin, json: closure })).status, 201);
      const plain = JSON.parse((await get(s.url, '/api/v1/calendars/lima')).body);
      assert.equal(plain.upcoming, undefined, 'only when asked');
      const r = await get(s.url, '/api/v1/calendars/lima?upcoming=1');
      assert.equal(r.status, 200);
      const up = JSON.parse(r.body).upcoming;
      const holidays = up.filter((e) => e.kind === 'holiday');
      assert.deepEqual(holidays.slice(0, 5), [
        { kind: 'holiday', date: '2026-12-08', name: 'Inmaculada Concepción' },
        { kind: 'holiday', date: '2026-12-09', name: 'Batalla de Ayacucho' },
        { kind: 'holiday', date: '2026-12-25', name: 'Navidad' },
        { kind: 'holiday', date: '2027-01-01', name: 'Año Nuevo' },
        { kind: 'holiday', date: '2027-03-25', name: 'Jueves Santo' },
      ]);
      assert.ok(holidays.every((e) => e.date >= '2026-12-07' && e.date < '2028-01-12'), JSON.stringify(holidays));
      assert.deepEqual(up.filter((e) => e.kind === 'closure'),
        [{ kind: 'closure', from: '2026-12-10T14:00:00Z', to: '2026-12-10T18:00:00Z', name: 'Corte de energía' }]);
    });
  } finally {
    cleanup(d);
  }
});
