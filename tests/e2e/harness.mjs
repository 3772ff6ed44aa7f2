// The e2e harness: each Playwright worker starts its own `ayuda serve` on a
// free loopback port, with a temporary data dir (demo data) and an SMTP
// sink (tests/mail/smtpd.py) that keeps every mail the server sends.
//
//   import { test, expect, newCustomer, login, checkA11y, shot } from './harness.mjs';
//   test('…', async ({ page, server }) => { await page.goto('/entrar'); … });
//
// `baseURL` is the worker's server, so page.goto('/tickets') works.
import { test as base, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor, startSmtp } from '../api/mailservers.mjs';

export { waitFor };

const ROOT = new URL('../..', import.meta.url).pathname;
export const BIN = process.env.AYUDA_BIN || join(ROOT, 'build/ayuda');
export const SHOTS = process.env.AY_E2E_SHOTS || join(ROOT, 'build/e2e-shots');
export const DEMO_PASSWORD = 'demo1234';

// Decode an RFC 2047 header ("=?UTF-8?Q?Confirme_su_direcci=C3=B3n?=").
export function decodeHeader(v) {
  return v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([QB])\?([^?]*)\?=/gi, (m, cs, enc, text) => {
    const bytes = enc.toUpperCase() === 'B' ? Buffer.from(text, 'base64')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (x, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    return bytes.toString('utf8');
  });
}

// Decode the text/plain part of a raw mail (quoted-printable or base64, in
// its charset).
export function mailText(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  let body = rest.join('\n\n');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(head);
  let partHead = head;
  if (boundary) {
    const parts = body.split(`--${boundary[1]}`);
    const plain = parts.find((p) => /content-type:\s*text\/plain/i.test(p)) || parts[1] || '';
    const [ph, ...pb] = plain.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    partHead = ph;
    body = pb.join('\n\n');
  }
  // Its charset: the server writes Latin-1 when the text fits in it.
  const cs = /charset="?(iso-8859-1|windows-1252)/i.test(partHead) ? 'latin1' : 'utf8';
  if (/content-transfer-encoding:\s*base64/i.test(partHead)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString(cs);
  if (/content-transfer-encoding:\s*quoted-printable/i.test(partHead)) {
    const bytes = body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString(cs);
  }
  return body;
}

async function startServer(workerIndex) {
  const work = mkdtempSync(join(tmpdir(), 'ayuda-e2e-'));
  const smtp = await startSmtp(join(work, 'smtp'));
  const dir = join(work, 'data');
  execFileSync(BIN, ['init', '--demo', '--data', dir], { stdio: 'ignore' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(join(dir, 'ayuda.conf'), `[server]
listen = 127.0.0.1:${port}
base_url = ${url}
trusted_proxies = 127.0.0.1
[mail]
support_address = soporte@ayuda.test
domain = ayuda.test
smtp_url = smtp://127.0.0.1:${smtp.port}
`);
  const args = ['serve', '--data', dir];
  if (process.env.AY_E2E_WEB_DIR) args.push('--web-dir', process.env.AY_E2E_WEB_DIR);
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => { log = (log + d).slice(-200_000); });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes('http://')) resolve(); });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${log}`)));
  });
  let n = 0;
  const server = {
    url, dir, work, workerIndex, log: () => log,
    // Run the CLI on this server's data: server.ayuda(['user', 'add', …]).
    ayuda(cliArgs, input) {
      return execFileSync(BIN, [...cliArgs, '--data', dir], { encoding: 'utf8', input });
    },
    // Every mail the sink received, oldest first: { raw, to: [..], text, subject }.
    mails() {
      return smtp.messages().map(({ raw, env }) => ({
        raw,
        to: env.trim().split('\n').slice(1),
        text: mailText(raw),
        subject: decodeHeader(((/^Subject:\s*(.*(?:\r?\n[ \t].*)*)/mi.exec(raw) || [])[1] || '').replace(/\r?\n[ \t]/g, ' ')),
      }));
    },
    // The newest mail to `to` that passes `pred`, waiting for the outbox.
    async mailTo(to, pred = () => true, ms = 15_000) {
      return waitFor(() => server.mails().reverse().find((m) => m.to.includes(to) && pred(m)), ms, `mail to ${to}`);
    },
    uniqueEmail(tag = 'u') {
      n += 1;
      return `${tag}${n}-w${workerIndex}-${Date.now() % 100000}@example.com`;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const done = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await done;
      }
      await smtp.stop();
      rmSync(work, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
  return server;
}

let clients = 0;

export const test = base.extend({
  server: [async ({}, use, workerInfo) => {
    const s = await startServer(workerInfo.workerIndex);
    await use(s);
    await s.stop();
  }, { scope: 'worker' }],
  baseURL: async ({ server }, use) => use(server.url),
  // Each test is its own client (X-Forwarded-For through the trusted
  // loopback proxy), so the per-client limits on log-in failures and on
  // link mails count one test's requests, as they would one person's.
  extraHTTPHeaders: async ({ server }, use) => {
    clients += 1;
    await use({ 'X-Forwarded-For': `10.${server.workerIndex % 250}.${(clients >> 8) & 255}.${clients & 255}` });
  },
});
export { expect };

// A verified customer with a password, made with the CLI:
// { email, password, name, lang }.
export function newCustomer(server, { lang = 'es', name = 'Ana Pérez', company } = {}) {
  const email = server.uniqueEmail('cliente');
  const password = 'clave-segura-123';
  const args = ['user', 'add', '--email', email, '--name', name, '--role', 'customer', '--lang', lang, '--password-stdin'];
  if (company) args.push('--company', company);
  server.ayuda(args, `${password}\n`);
  return { email, password, name, lang };
}

// Log in through the API on the page's context (shares its cookies); the
// next page.goto() is signed in.
export async function login(page, user) {
  const res = await page.request.post('/api/v1/auth/login', { data: { email: user.email, password: user.password } });
  expect(res.status(), await res.text()).toBe(200);
}

// axe-core on the page as it is now: fails on any WCAG 2.0-2.2 A/AA violation.
export async function checkA11y(page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const msg = r.violations.map((v) => `${v.id}: ${v.help}\n  ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  expect(r.violations, msg).toEqual([]);
}

// A full-page screenshot under build/e2e-shots/NAME-PROJECT.png.
export async function shot(page, name, testInfo) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}-${testInfo.project.name}.png`), fullPage: true });
}

// axe-core and a screenshot (shot()) of the page as it is now, in light
// mode (NAME) and in dark mode (NAME-oscuro); the page is left light.
export async function checkBothSchemes(page, name, testInfo) {
  for (const [scheme, suffix] of [['light', ''], ['dark', '-oscuro']]) {
    await page.emulateMedia({ colorScheme: scheme });
    await checkA11y(page);
    await shot(page, `${name}${suffix}`, testInfo);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

// Wait until the page has rendered its heading (the app has started).
export async function ready(page, heading) {
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}
