// Requests framed ambiguously or too large, sent over raw sockets as an
// attacker (or a confused proxy) would: each gets its answer at once and
// the connection is closed, so nothing hides in what follows (RFC 9112
// section 6.3). Issue 8, items 1 and 2.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { newDataDir, serve, stop, cleanup } from './helpers.mjs';

let dir;
let srv;

before(async () => {
  dir = newDataDir({ demo: false });
  srv = await serve(dir);
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

// Send raw bytes; resolve with what came back and whether the server closed
// the connection within `within` ms (the server's own timeout is 30 s).
function raw(bytes, within = 3000) {
  const { port } = new URL(srv.url);
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const sock = net.connect({ host: '127.0.0.1', port: Number(port) });
    let got = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ text: got.toString('latin1'), closed: false, ms: Date.now() - t0 });
    }, within);
    sock.on('connect', () => sock.write(bytes));
    sock.on('data', (d) => { got = Buffer.concat([got, d]); });
    sock.on('error', (e) => { if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') reject(e); });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve({ text: got.toString('latin1'), closed: true, ms: Date.now() - t0 });
    });
  });
}

function statusOf(text) {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return m ? Number(m[1]) : 0;
}

// Expect one answer with this status, and the connection closed by the server.
async function refused(bytes, status) {
  const r = await raw(bytes);
  assert.equal(statusOf(r.text), status, `answer: ${r.text.slice(0, 200)}`);
  assert.ok(r.closed, 'the server must close the connection at once');
  assert.equal(r.text.match(/HTTP\/1\.1 \d{3} /g).length, 1, 'exactly one answer');
  return r;
}

const login = 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
// What a front proxy framing by Content-Length sees as the body hides a
// second request if the server frames by chunked (or the other way round).
const smuggled = 'GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n';

test('Content-Length with Transfer-Encoding: 400 and close', async () => {
  const body = `0\r\n\r\n${smuggled}`;
  const r = await refused(`${login}Content-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n${body}`, 400);
  assert.match(r.text, /Transfer-Encoding/);
});

test('two different Content-Length headers: 400 and close', async () => {
  const body = `{}${smuggled}`;
  await refused(`${login}Content-Length: 2\r\nContent-Length: ${body.length}\r\n\r\n${body}`, 400);
});

test('an unknown transfer coding: 400 and close, not a hang', async () => {
  await refused(`${login}Transfer-Encoding: gzip\r\n\r\n{}`, 400);
  await refused(`${login}Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, 400);
});

test('about 1,000 query parameters: 414 at once, on any route', async () => {
  const q = Array.from({ length: 1000 }, (_, i) => `p${i}=v${i}`).join('&');
  for (const path of ['/healthz', '/api/v1/tickets', '/no/such/route']) {
    const r = await refused(`GET ${path}?${q} HTTP/1.1\r\nHost: x\r\n\r\n`, 414);
    assert.ok(r.ms < 2000, `answered after ${r.ms} ms`);
  }
});

test('a header block that is too large: 431 at once', async () => {
  const fields = Array.from({ length: 2000 }, (_, i) => `X-F${i}: ${'a'.repeat(40)}\r\n`).join('');
  await refused(`GET /healthz HTTP/1.1\r\nHost: x\r\n${fields}\r\n`, 431);
});

test('a NUL byte in the path, a header or a parameter: 400', async () => {
  await refused(Buffer.from('GET /healthz\0/x HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'), 400);
  await refused('GET /healthz%00.json HTTP/1.1\r\nHost: x\r\n\r\n', 400);
  await refused('GET /healthz?a=b%00c HTTP/1.1\r\nHost: x\r\n\r\n', 400);
  await refused(Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n', 'latin1'), 400);
  await refused(Buffer.from('GET /healthz HTTP/1.1\r\nX-A: a\0b\r\nHost: x\r\n\r\n', 'latin1'), 400);
});

test('well-framed requests still share one connection', async () => {
  const get = 'GET /healthz?a=1&b=2 HTTP/1.1\r\nHost: x\r\nAccept:  */*  \r\n\r\n';
  const post = `${login}Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{}\r\n0\r\n\r\n`;
  const r = await raw(get + get + post);
  const codes = [...r.text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1]));
  assert.deepEqual(codes.slice(0, 2), [200, 200], r.text.slice(0, 300));
  assert.equal(codes.length, 3);
  assert.notEqual(codes[2], 400);
  assert.ok(r.closed);
});
