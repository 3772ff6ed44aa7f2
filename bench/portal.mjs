// The portal's first load in a real browser (issue 10, item 15): bytes
// transferred and navigation timing of the landing page, and of a ticket
// page with 200 messages, cold (empty cache) and warm (a reload).
// node bench/portal.mjs [build/ayuda]   (Debian's chromium; the e2e packages)
import { chromium } from '../tests/e2e/node_modules/playwright-core/index.mjs';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = process.argv[2] || 'build/ayuda';
const MESSAGES = 200;

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

const dir = mkdtempSync(join(tmpdir(), 'ayuda-bench-portal-'));
const data = join(dir, 'data');
execFileSync(BIN, ['init', '--demo', '--data', data], { stdio: 'ignore' });
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
appendFileSync(join(data, 'ayuda.conf'), `\n[server]\nlisten = 127.0.0.1:${port}\nbase_url = ${url}\n`);
const srv = spawn(BIN, ['serve', '--data', data], { stdio: ['ignore', 'pipe', 'ignore'] });
await new Promise((resolve) => srv.stdout.on('data', (d) => { if (String(d).includes('http://')) resolve(); }));

const token = (email) => execFileSync(BIN, ['token', 'create', '--user', email, '--data', data], { encoding: 'utf8' }).trim();
const call = async (tok, method, path, body) => {
  const res = await fetch(url + path, { method, headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

let browser;
try {
  // A ticket with 200 messages, the customer's and the agent's in turn.
  const maria = token('maria@acme.pe');
  const agent = token('agente@ayuda.localhost');
  const tk = await call(maria, 'POST', '/api/v1/tickets', { subject: 'Hilo largo', body: 'Primer mensaje del hilo.' });
  for (let i = 2; i <= MESSAGES; i++) {
    const text = `Mensaje ${i}: ${'el detalle de lo que pasó, con una línea de registro copiada. '.repeat(4)}`;
    if (i % 2) await call(maria, 'POST', `/api/v1/tickets/${tk.number}/messages`, { body: text });
    else await call(agent, 'POST', `/api/v1/tickets/${tk.number}/messages`, { kind: 'reply', body: text });
  }

  browser = await chromium.launch({ executablePath: process.env.AY_CHROMIUM || '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const measure = async (ctx, path, done) => {
    const page = await ctx.newPage();
    let bytes = 0;
    let requests = 0;
    page.on('requestfinished', async (req) => {
      const s = await req.sizes();
      bytes += s.responseBodySize + s.responseHeadersSize;
      requests += 1;
    });
    await page.goto(url + path, { waitUntil: 'load' });
    await page.waitForFunction(done, MESSAGES, { timeout: 30_000 });
    const ready = await page.evaluate(() => performance.now());
    await page.waitForLoadState('networkidle');
    const nav = await page.evaluate(() => JSON.parse(JSON.stringify(performance.getEntriesByType('navigation')[0])));
    const out = { path, requests, kb: (bytes / 1024).toFixed(1), ttfb: nav.responseStart.toFixed(0), dcl: nav.domContentLoadedEventEnd.toFixed(0), load: nav.loadEventEnd.toFixed(0), ready: ready.toFixed(0) };
    await page.close();
    return out;
  };
  const rows = [];
  const landing = () => !!document.querySelector('h1') && document.querySelectorAll('.level-card').length > 0;
  let ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'es-PE' });
  rows.push({ what: 'landing, cold', ...await measure(ctx, '/', landing) });
  rows.push({ what: 'landing, warm', ...await measure(ctx, '/', landing) });
  await ctx.close();
  ctx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'es-PE' });
  const login = await ctx.request.post(`${url}/api/v1/auth/login`, { data: { email: 'maria@acme.pe', password: 'demo1234' } });
  if (!login.ok()) throw new Error(`login: ${login.status()}`);
  const done = (n) => document.querySelectorAll('.msg').length >= n;
  rows.push({ what: `ticket of ${MESSAGES} messages, cold`, ...await measure(ctx, `/tickets/${tk.number}`, done) });
  rows.push({ what: `ticket of ${MESSAGES} messages, warm`, ...await measure(ctx, `/tickets/${tk.number}`, done) });
  await ctx.close();
  console.log('page | requests | KB transferred | TTFB ms | DOMContentLoaded ms | load ms | rendered ms');
  for (const r of rows) console.log(`${r.what} | ${r.requests} | ${r.kb} | ${r.ttfb} | ${r.dcl} | ${r.load} | ${r.ready}`);
} finally {
  if (browser) await browser.close();
  srv.kill('SIGTERM');
  await new Promise((r) => srv.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
