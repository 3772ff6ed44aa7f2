// What the mail tests share: deliver a message as an MTA would, read the
// database, read a header of a mail we sent.
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, newDataDir, serve, stop, cleanup, sql } from './helpers.mjs';
import { startSmtp } from './mailservers.mjs';

// `ayuda mail-in --data dir` with raw on stdin: { code, json, stderr }.
export function mailInto(dir, raw, args = []) {
  const r = spawnSync(BIN, ['mail-in', '--data', dir, ...args], { input: raw, encoding: 'utf8' });
  let json = null;
  try { json = JSON.parse(r.stdout.trim().split('\n').pop()); } catch { /* none */ }
  if (r.status === null) throw new Error(`mail-in died: ${r.signal} ${r.error} ${r.stderr}`);
  return { code: r.status, json, stderr: r.stderr };
}

// One query on dir's SQLite database, its output trimmed; it waits for a
// server writing at the same moment instead of failing with "locked".
export function sqlIn(dir, q) {
  return sql(dir, q);
}

// The unfolded value of the first header name of raw, or null.
export function header(raw, name) {
  const unfolded = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const m = unfolded.match(new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi'));
  return m ? m[1].trim() : null;
}

// ayuda.conf for the support address soporte@ayuda.test, sending through
// the SMTP server on port smtpPort; extra lines follow.
export function mailConf(smtpPort, extra = '') {
  return `[mail]
support_address = soporte@ayuda.test
domain = ayuda.test
smtp_url = smtp://127.0.0.1:${smtpPort}
${extra}`;
}

// A server on demo data whose mail goes to its own SMTP sink:
// { dir, srv, smtp, stop() }; extra: more lines of ayuda.conf.
export async function serveWithMail(extra = '') {
  const work = mkdtempSync(join(tmpdir(), 'ayuda-mail-'));
  const smtp = await startSmtp(join(work, 'smtp'));
  const dir = newDataDir();
  writeFileSync(join(dir, 'ayuda.conf'), mailConf(smtp.port, extra));
  const srv = await serve(dir);
  return {
    dir, srv, smtp,
    async stop() {
      await stop(srv);
      await smtp.stop();
      cleanup(dir);
      cleanup(work);
    },
  };
}

// A delivery status notification (RFC 3464) for our mail ourId (with its
// <>), sent to rcpt; extra headers first.
export function dsn(ourId, rcpt, subject, id = 'dsn1@mx.socioandino.com', extra = []) {
  return [
    ...extra,
    'From: MAILER-DAEMON@mx.socioandino.com', `To: ${rcpt}`,
    'Subject: Undelivered Mail Returned to Sender', `Message-ID: <${id}>`,
    'Auto-Submitted: auto-replied', 'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
    '--B', 'Content-Type: text/plain', '', 'The mail system: mailbox full', '',
    '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.socioandino.com', '',
    'Final-Recipient: rfc822; lucia@socioandino.com', 'Action: failed', 'Status: 5.2.2', '',
    '--B', 'Content-Type: text/rfc822-headers', '', `Message-ID: ${ourId}`, 'To: lucia@socioandino.com', `Subject: ${subject}`, '',
    '--B--', '',
  ].join('\r\n');
}

// The text of a mail with quoted-printable soft breaks and escapes undone.
export function decoded(raw) {
  const bytes = [];
  const s = raw.replace(/=\r?\n/g, '');
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-F]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(s[i]));
    }
  }
  const latin1 = /charset="?(iso-8859-1|windows-1252)/i.test(raw);
  return Buffer.from(bytes).toString(latin1 ? 'latin1' : 'utf8');
}
