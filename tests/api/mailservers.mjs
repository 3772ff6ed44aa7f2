// Real mail servers from Debian's packages on loopback, for the tests:
// aiosmtpd (SMTP sink, tests/mail/smtpd.py) and Dovecot (IMAP).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync, readdirSync, readFileSync, chownSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;

export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitFor(fn, ms = 10000, what = 'condition') {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
export { waitFor };

// Stop a server and wait until it has exited.
function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  return done;
}

export async function startSmtp(dir) {
  const port = await freePort();
  mkdirSync(dir, { recursive: true });
  const child = spawn('/usr/bin/python3', [join(ROOT, 'tests/mail/smtpd.py'), dir, String(port)], { stdio: 'ignore' });
  await waitFor(() => existsSync(join(dir, 'ready')), 10000, 'smtpd');
  return {
    port, child, dir,
    // Every received message as { raw, env }, oldest first.
    messages() {
      return readdirSync(dir).filter((f) => /^\d+\.eml$/.test(f))
        .sort((a, b) => parseInt(a) - parseInt(b))
        .map((f) => ({ raw: readFileSync(join(dir, f), 'utf8'), env: readFileSync(join(dir, f.replace('.eml', '.env')), 'utf8') }));
    },
    stop() { return stopChild(child); },
  };
}

export async function startDovecot(dir) {
  const port = await freePort();
  let user = 'mail';
  try { execFileSync('id', [user]); } catch { user = 'nobody'; }
  const uid = parseInt(execFileSync('id', ['-u', user], { encoding: 'utf8' }));
  const gid = parseInt(execFileSync('id', ['-g', user], { encoding: 'utf8' }));
  const box = join(dir, 'mail', 'test');
  for (const d of ['new', 'cur', 'tmp']) mkdirSync(join(box, d), { recursive: true });
  for (const d of ['run', 'state']) mkdirSync(join(dir, d), { recursive: true });
  writeFileSync(join(dir, 'passwd'), 'test:{PLAIN}secret::::::\n');
  writeFileSync(join(dir, 'dovecot.conf'), `instance_name = ay-api-${process.pid}-${port}
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
first_valid_uid = ${uid}
first_valid_gid = ${gid}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`);
  const chown = (p) => { try { chownSync(p, uid, gid); } catch { /* not root */ } };
  chown(join(dir, 'mail')); chown(box);
  for (const d of ['new', 'cur', 'tmp']) chown(join(box, d));
  const child = spawn('dovecot', ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: 'ignore' });
  await waitFor(() => new Promise((r) => {
    import('node:net').then(({ connect }) => {
      const c = connect(port, '127.0.0.1', () => { c.end(); r(true); });
      c.on('error', () => r(false));
    });
  }), 10000, 'dovecot');
  return {
    port, child, box,
    deliver(name, raw) {
      const f = join(box, 'new', name);
      writeFileSync(f, raw);
      chown(f);
    },
    stop() { return stopChild(child); },
  };
}
