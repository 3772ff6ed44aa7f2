// `ayuda doctor` finds each mistake an administrator makes, made here on
// purpose one at a time on an installation that is otherwise right, and
// says what to do; it exits 0 only when all is well and never prints a
// secret. The Postfix checks run in tests/postfix/postfix_test.sh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync, chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, PG, newDataDir, cleanup } from './helpers.mjs';
import { startSmtp, startDovecot, freePort } from './mailservers.mjs';

const root = process.getuid() === 0;
const asRoot = { skip: !root && 'needs root' };
let work, smtp, imap, noPostfix;
const dirs = [];

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'ayuda-doctor-'));
  chmodSync(work, 0o755);
  smtp = await startSmtp(join(work, 'smtp'));
  imap = await startDovecot(join(work, 'imap'));
  noPostfix = join(work, 'no-postfix'); // MAIL_CONFIG with no main.cf
  mkdirSync(noPostfix);
});

after(async () => {
  await smtp?.stop();
  await imap?.stop();
  dirs.forEach(cleanup);
  rmSync(work, { recursive: true, force: true });
});

function conf({ server = '', mail = '' } = {}) {
  return `[server]
listen = 0.0.0.0:8080
base_url = https://ayuda.example.com
${server}
[mail]
support_address = soporte@ayuda.test
domain = ayuda.test
smtp_url = smtp://127.0.0.1:${smtp.port}
imap_url = imap://127.0.0.1:${imap.port}/INBOX
imap_user = test
imap_password = secret
${mail}
`;
}

// An installation done right: its own user (nobody, when we are root),
// private modes, a real address, a relay that answers, a mailbox.
function good(opts) {
  const dir = newDataDir({ demo: false });
  dirs.push(dir);
  writeFileSync(join(dir, 'ayuda.conf'), conf(opts));
  chmodSync(join(dir, 'ayuda.conf'), 0o640);
  if (root) execFileSync('chown', ['-R', 'nobody:nogroup', dir]);
  return dir;
}

// Change the configuration of dir: from -> to.
function edit(dir, from, to) {
  const f = join(dir, 'ayuda.conf');
  writeFileSync(f, readFileSync(f, 'utf8').replace(from, to));
}

function doctor(dir, args = [], env = {}) {
  const r = spawnSync(BIN, ['doctor', '--data', dir, ...args],
    { encoding: 'utf8', env: { ...process.env, LANG: '', LC_ALL: '', MAIL_CONFIG: noPostfix, ...env } });
  const lines = r.stdout.split('\n').filter((l) => /^(ok|--|FALLA|FAIL) /.test(l));
  const failed = lines.filter((l) => /^FA/.test(l));
  return { code: r.status, out: r.stdout, failed };
}

// Exactly one check fails, the expected one, and says what to do.
function onlyFails(r, key, fix) {
  assert.equal(r.code, 1, r.out);
  assert.equal(r.failed.length, 1, r.out);
  assert.ok(r.failed[0].startsWith(`FALLA  ${key}: `), r.out);
  assert.match(r.failed[0], fix);
}

test('a right installation is all ok and exits 0', () => {
  const r = doctor(good());
  assert.equal(r.code, 0, r.out);
  assert.deepEqual(r.failed, []);
  assert.match(r.out, /^ok +smtp: .*acepta correo de y para soporte@ayuda\.test/m);
  assert.match(r.out, /^ok +imap: /m);
  assert.match(r.out, /Todo en orden\./);
  // Nothing was sent while checking the relay.
  assert.equal(smtp.messages().length, 0);
});

// `ayuda backup` runs pg_dump on a PostgreSQL store: the doctor looks for
// it on the PATH and compares its major version with the server's.
test('PostgreSQL: pg_dump for ayuda backup, missing or older than the server', { skip: !PG && 'PostgreSQL only' }, () => {
  const dir = good();
  assert.match(doctor(dir).out, /^ok +pg_dump: pg_dump (\d+) para un servidor PostgreSQL (\d+)$/m);
  const bin = mkdtempSync(join(work, 'bin-'));
  chmodSync(bin, 0o755);
  onlyFails(doctor(dir, [], { PATH: bin }), 'pg_dump',
    /no se encuentra pg_dump, que «ayuda backup» necesita con PostgreSQL; instálelo con: apt-get install postgresql-client-1\d$/);
  writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 11.22"\n', { mode: 0o755 });
  onlyFails(doctor(dir, [], { PATH: bin }), 'pg_dump',
    /pg_dump es de PostgreSQL 11, más antiguo que el servidor \(1\d\), y no puede copiarlo: instale postgresql-client-1\d/);
  assert.match(doctor(dir, ['--lang', 'en'], { PATH: bin }).out,
    /^FAIL +pg_dump: pg_dump is PostgreSQL 11's, older than the server \(1\d\)/m);
  onlyFails(doctor(dir, [], { AYUDA_STORE_URL: 'postgresql://postgres@127.0.0.1:1/ayuda?connect_timeout=2' }), 'pg_dump',
    /no se puede conectar con PostgreSQL \(\[store\] url\) para comparar su versión con la de pg_dump/);
});

test('SQLite: nothing about pg_dump', { skip: PG && 'SQLite only' }, () => {
  const r = doctor(good(), [], { PATH: '/nonexistent' });
  assert.doesNotMatch(r.out, /pg_dump/);
});

test('in English on request, or from the locale', () => {
  const dir = good();
  chmodSync(join(dir, 'vault.key'), 0o644);
  for (const r of [doctor(dir, ['--lang', 'en']), doctor(dir, [], { LANG: 'en_GB.UTF-8' })]) {
    assert.equal(r.code, 1);
    assert.match(r.out, /^FAIL +vault\.key: .* has mode 0644; fix it with: chmod 0600 /m);
    assert.match(r.out, /1 checks failed\./);
  }
});

test('data directory owned by root', asRoot, () => {
  const dir = good();
  execFileSync('chown', ['-R', 'root:root', dir]);
  onlyFails(doctor(dir), 'data', /pertenece a root.*useradd --system .*chown -R ayuda:ayuda/);
});

test('a file that root left in the data directory', asRoot, () => {
  const dir = good();
  const f = join(dir, 'attachments', 'f00');
  writeFileSync(f, 'x');
  chownSync(f, 0, 0);
  onlyFails(doctor(dir), 'files', new RegExp(`1 archivos no son de nobody \\(p\\. ej\\. ${f}\\).*chown -R nobody:nogroup ${dir}`));
});

// Each a mistake of its own: the path, its wrong mode, the mode to set.
for (const [what, file, bad, fix] of [
  ['data directory readable by everyone', '', 0o755, '0750'],
  ['vault.key readable by others', 'vault.key', 0o640, '0600'],
  ['ayuda.conf, which holds passwords, readable by everyone', 'ayuda.conf', 0o644, '0640'],
]) {
  test(what, () => {
    const dir = good();
    const path = file ? join(dir, file) : dir;
    chmodSync(path, bad);
    onlyFails(doctor(dir), file || 'data', new RegExp(`modo 0${bad.toString(8)}; arréglelo con: chmod ${fix} ${path}$`));
  });
}

test('vault.key missing', () => {
  const dir = good();
  rmSync(join(dir, 'vault.key'));
  onlyFails(doctor(dir), 'vault.key', /falta .*vault\.key.*copia aparte/);
});

test('a typo in ayuda.conf', () => {
  const dir = good({ mail: 'smtp_pasword = x' });
  const r = doctor(dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /^FALLA  ayuda\.conf: .*ayuda\.conf:\d+: unknown key/m);
});

test('the example support address left in place', () => {
  const dir = good();
  edit(dir, 'soporte@ayuda.test', 'soporte@ayuda.localhost');
  edit(dir, 'domain = ayuda.test', 'domain = ayuda.localhost');
  const r = doctor(dir);
  assert.match(r.out, /^FALLA  support_address: soporte@ayuda\.localhost es la dirección de ejemplo/m);
});

test('base_url left at this machine, or without https', () => {
  for (const [url, why] of [['http://127.0.0.1:8080', /solo se abre en este equipo/], ['http://ayuda.example.com', /no usa https/]]) {
    const dir = good();
    edit(dir, 'base_url = https://ayuda.example.com', `base_url = ${url}`);
    onlyFails(doctor(dir), 'base_url', why);
  }
});

test('behind a reverse proxy without trusting its X-Forwarded-For, or a proxy that does not answer', () => {
  const dir = good({ server: 'listen = 127.0.0.1:8080' });
  onlyFails(doctor(dir), 'proxy', /trusted_proxies = 127\.0\.0\.1, ::1/);
  const dir2 = good({ server: 'listen = 127.0.0.1:8080\ntrusted_proxies = 127.0.0.1' });
  onlyFails(doctor(dir2), 'proxy', /https:\/\/ayuda\.example\.com\/healthz no responde/);
});

test('a nearly full disk', asRoot, (t) => {
  const mnt = join(work, 'small');
  mkdirSync(mnt);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16m', 'tmpfs', mnt]);
  if (m.status !== 0) return t.skip('cannot mount a tmpfs here');
  try {
    const dir = join(mnt, 'data');
    execFileSync(BIN, ['init', '--data', dir], { stdio: 'ignore' });
    writeFileSync(join(dir, 'ayuda.conf'), conf());
    chmodSync(join(dir, 'ayuda.conf'), 0o640);
    execFileSync('chown', ['-R', 'nobody:nogroup', dir]);
    onlyFails(doctor(dir), 'disk', /quedan 1\d MiB libres en .*libere espacio/);
  } finally {
    execFileSync('umount', [mnt]);
  }
});

test('an SMTP relay that does not answer, and secrets stay secret', async () => {
  const port = await freePort();
  const dir = good({ mail: 'smtp_user = soporte\nsmtp_password = Cl4ve-Secreta' });
  edit(dir, `smtp://127.0.0.1:${smtp.port}`, `smtp://soporte:Cl4ve-Secreta@127.0.0.1:${port}`);
  const r = doctor(dir);
  onlyFails(r, 'smtp', /no responde .*revise \[mail\] smtp_url/);
  assert.ok(!r.out.includes('Cl4ve-Secreta'), r.out);
  assert.ok(!r.out.includes('secret'), r.out); // the IMAP password
});

test('an SMTP relay that refuses the support address', () => {
  // The test server refuses recipients whose address starts with "reject".
  const dir = good();
  edit(dir, 'support_address = soporte@ayuda.test', 'support_address = reject@ayuda.test');
  onlyFails(doctor(dir), 'smtp', /rechaza reject@ayuda\.test \(smtp 550.*relay_recipient_maps/);
});

test('an IMAP password that does not log in', () => {
  const dir = good();
  edit(dir, 'imap_password = secret', 'imap_password = equivocada');
  const r = doctor(dir);
  onlyFails(r, 'imap', /no se pudo entrar en imap:\/\/127\.0\.0\.1:\d+\/INBOX como test/);
  assert.ok(!r.out.includes('equivocada'), r.out);
});

test('no way for mail to come in: no IMAP and no Postfix pipe', () => {
  const dir = good();
  edit(dir, /^imap_.*$/gm, '');
  onlyFails(doctor(dir), 'postfix', /Postfix no está instalado o configurado aquí/);
});

test('a data directory that does not exist', () => {
  const r = doctor(join(work, 'nada'));
  onlyFails(r, 'data', /no existe; créelo con: install -d -o ayuda/);
});
