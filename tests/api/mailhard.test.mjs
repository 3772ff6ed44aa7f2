// Mail hardening (issue 8, items 8 and 12-19, 21): what hostile or broken
// mail, names and files must not do. Real SMTP server (aiosmtpd); mail
// comes in through `ayuda mail-in` as an MTA would deliver it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ayuda, PG, newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';
import { mailInto, sqlIn, header, mailConf, dsn } from './mailtools.mjs';
import { startSmtp, waitFor } from './mailservers.mjs';

let dir, srv, smtp, agent, admin, work;

const mailIn = (raw, args = []) => mailInto(dir, raw, args);
const sql = (q) => sqlIn(dir, q);

function mail({ from, to = 'soporte@ayuda.test', subject, body = 'Hola', id, extra = [] }) {
  return [
    `From: ${from}`, `To: ${to}`, `Subject: ${subject}`,
    'Date: Wed, 25 Nov 2026 10:00:00 -0500',
    id ? `Message-ID: <${id}>` : null,
    ...extra,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', body, '',
  ].filter((l) => l !== null).join('\r\n');
}

// Mails the SMTP server received for addr (envelope), at least count.
function sentTo(addr, count = 1, what = `mail to ${addr}`) {
  return waitFor(() => {
    const got = smtp.messages().filter((m) => m.env.split('\n').slice(1).includes(addr));
    return got.length >= count ? got : null;
  }, 15000, what);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'ayuda-mailhard-'));
  smtp = await startSmtp(join(work, 'smtp'));
  dir = newDataDir();
  writeFileSync(join(dir, 'ayuda.conf'), mailConf(smtp.port));
  agent = token(dir, 'agente@ayuda.localhost');
  admin = token(dir, 'admin@ayuda.localhost');
  srv = await serve(dir);
});

after(async () => {
  await stop(srv);
  await smtp.stop();
  cleanup(dir);
  cleanup(work);
});

test('item 13: CR and LF in a subject or a name become spaces, from the API and from encoded words', async () => {
  const maria = token(dir, 'maria@acme.pe');
  const r = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Hola\r\nBcc: victima@example.org', body: 'x' } });
  assert.equal(r.status, 201);
  assert.equal(r.body.subject, 'Hola Bcc: victima@example.org');
  const m = mailIn(mail({ from: '=?utf-8?q?Eva=0D=0AX-Evil=3A_1?= <eva@example.org>', subject: '=?utf-8?q?Factura=0D=0ABcc=3A_otro=40example=2Eorg?=', id: 'crlf1@example.org' }));
  assert.equal(m.code, 0, m.stderr);
  assert.equal(sql(`SELECT subject FROM tickets WHERE number = ${m.json.ticket}`), 'Factura Bcc: otro@example.org');
  assert.equal(sql(`SELECT name FROM users WHERE email = 'eva@example.org'`), 'Eva X-Evil: 1');
  // The acknowledgement went out, with a one-line subject.
  const [ack] = await sentTo('eva@example.org');
  assert.match(header(ack.raw, 'Subject'), /Factura/);
  assert.equal(header(ack.raw, 'Bcc'), null);
});

test('item 13: a subject stored with a line break does not stop the later mail of its ticket', async () => {
  const r = mailIn(mail({ from: 'rosa@example.org', subject: 'Impresora', id: 'poison1@example.org' }));
  const n = r.json.ticket;
  await sentTo('rosa@example.org', 1);
  // As a ticket created before subjects were normalised would be.
  const crlf = PG ? 'chr(13) || chr(10)' : 'char(13, 10)';
  sql(`UPDATE tickets SET subject = 'Impresora' || ${crlf} || 'Bcc: x@example.org' WHERE number = ${n}`);
  const rep = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { body: 'Reinicie la cola de impresión.' } });
  assert.equal(rep.status, 201);
  const mails = await sentTo('rosa@example.org', 2, 'the answer despite the stored subject');
  assert.match(header(mails[1].raw, 'Subject'), /Impresora Bcc: x@example\.org/);
  assert.equal(sql(`SELECT COUNT(*) FROM outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = ${n} AND o.state = 'failed'`), '0');
});

test('item 13: a malformed Message-ID from a sender does not stop the mail of its ticket', async () => {
  const r = mailIn(mail({ from: 'sin-arroba@example.org', subject: 'Identificador raro', id: 'id sin arroba' }));
  assert.equal(r.code, 0, r.stderr);
  const [ack] = await sentTo('sin-arroba@example.org', 1, 'the acknowledgement');
  assert.equal(header(ack.raw, 'In-Reply-To'), null);
});

test('item 14: mail with a null Return-Path gets no automatic answer', () => {
  const r = mailIn(mail({ from: 'alerta@example.org', subject: 'Aviso', id: 'null1@example.org', extra: ['Return-Path: <>'] }));
  assert.equal(r.code, 0);
  assert.equal(r.json.action, 'created');
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE recipient = 'alerta@example.org'`), '0');
  // The same mail with a real return path is answered.
  mailIn(mail({ from: 'alerta@example.org', subject: 'Aviso 2', id: 'null2@example.org', extra: ['Return-Path: <alerta@example.org>'] }));
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE recipient = 'alerta@example.org'`), '1');
});

test('item 15: a mail without Message-ID delivered twice is stored once', () => {
  const raw = mail({ from: 'pedro@bodegalibre.pe', subject: 'Sin identificador', body: 'Reintento del MTA' });
  const a = mailIn(raw);
  const b = mailIn(raw);
  assert.equal(a.code, 0);
  assert.equal(b.code, 0);
  assert.equal(a.json.action, 'created');
  assert.equal(b.json.action, 'ignored');
  assert.equal(b.json.ticket, a.json.ticket);
  assert.equal(sql(`SELECT COUNT(*) FROM tickets WHERE subject = 'Sin identificador'`), '1');
});

test('item 16: one mail adds at most 50 participants; the rest are noted for the staff', async () => {
  const cc = Array.from({ length: 300 }, (_, i) => `p${i}@lista.example`).join(', ');
  const r = mailIn(mail({ from: 'jefa@lista.example', subject: 'Para todos', id: 'cc1@lista.example', extra: [`Cc: ${cc}`] }));
  assert.equal(r.code, 0);
  const n = r.json.ticket;
  assert.equal(sql(`SELECT COUNT(*) FROM mail_participants p JOIN tickets t ON t.id = p.ticket_id WHERE t.number = ${n}`), '50');
  const msgs = await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: agent });
  const note = msgs.body.messages.find((m) => m.kind === 'note' && /251 direcciones/.test(m.body));
  assert.ok(note, JSON.stringify(msgs.body.messages.map((m) => m.body.slice(0, 80))));
  assert.match(note.body, /p49@lista\.example/);
  // Someone past the cap cannot write on the ticket by mail.
  const late = mailIn(mail({ from: 'p299@lista.example', subject: `Re: [Ticket#${n}] Para todos`, id: 'cc2@lista.example' }));
  assert.notEqual(late.json.ticket, n);
});

test('item 19: mail from a disabled account is refused for good (65), not retried (75)', async () => {
  const jorge = Number(sql(`SELECT id FROM users WHERE email = 'jorge@acme.pe'`));
  const off = await api(srv, 'PATCH', `/api/v1/users/${jorge}`, { tok: admin, json: { disabled: true } });
  assert.equal(off.status, 200);
  const r = mailIn(mail({ from: 'jorge@acme.pe', subject: 'Sigo aquí', id: 'off1@acme.pe' }));
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /disabled/);
});

test('item 18: file names lose control and bidi characters and path separators, in uploads and in mail', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
  const maria = token(dir, 'maria@acme.pe');
  const up = async (name) => {
    const res = await fetch(`${srv.url}/api/v1/uploads?filename=${encodeURIComponent(name)}`, { method: 'POST', headers: { Authorization: `Bearer ${maria}` }, body: png });
    return { status: res.status, body: await res.json() };
  };
  const rlo = await up('factura\u202Egnp.exe');
  assert.equal(rlo.status, 201);
  assert.equal(rlo.body.filename, 'facturagnp.exe');
  const nul = await fetch(`${srv.url}/api/v1/uploads?filename=informe.exe%00.png`, { method: 'POST', headers: { Authorization: `Bearer ${maria}` }, body: png });
  assert.equal(nul.status, 400); // never a name cut short at the NUL
  const sep = await up('../../etc/pass\twd');
  assert.equal(sep.status, 201);
  assert.equal(sep.body.filename, '_.._etc_passwd');
  const raw = [
    'From: maria@acme.pe', 'To: soporte@ayuda.test', 'Subject: Nombres raros', 'Message-ID: <names1@acme.pe>', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="X"', '',
    '--X', 'Content-Type: text/plain; charset=utf-8', '', 'Adjunto.', '',
    '--X', 'Content-Type: image/png', "Content-Disposition: attachment; filename*=utf-8''..%2Fcaptura%E2%80%AEgnp.exe%0D%0A.png", 'Content-Transfer-Encoding: base64', '', png.toString('base64'), '',
    '--X--', '',
  ].join('\r\n');
  const r = mailIn(raw);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(sql(`SELECT filename FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = ${r.json.ticket}`), '_capturagnp.exe.png');
});

test('item 8: reset and survey tokens leave the outbox once mailed', async () => {
  const reset = await api(srv, 'POST', '/api/v1/auth/password-reset', { json: { email: 'pedro@bodegalibre.pe' } });
  assert.equal(reset.status, 202);
  const maria = token(dir, 'maria@acme.pe');
  const t = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Para encuesta', body: 'x' } });
  assert.equal((await api(srv, 'PATCH', `/api/v1/tickets/${t.body.number}`, { tok: agent, json: { status: 'closed' } })).status, 200);
  await waitFor(() => smtp.messages().some((m) => m.env.includes('pedro@bodegalibre.pe') && /account\/reset/.test(m.raw)), 15000, 'the reset mail');
  const rows = () => sql(`SELECT state || ' ' || payload FROM outbox WHERE kind IN ('password_reset', 'survey') ORDER BY id`).split('\n');
  await waitFor(() => rows().length === 2 && rows().every((r) => r.startsWith('sent ')), 15000, 'both sent');
  for (const r of rows()) {
    assert.doesNotMatch(r, /token|"link"/, r);
  }
});

test('item 8: the database, its -wal and -shm, raw/ and attachments/ are for their owner only', () => {
  // Small mail is kept in the database; a larger one makes files.
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
  const big = Buffer.concat([png, randomBytes(300 * 1024)]).toString('base64').replace(/.{76}/g, '$&\r\n');
  const r = mailIn([
    'From: maria@acme.pe', 'To: soporte@ayuda.test', 'Subject: Una captura grande', 'Message-ID: <item8-big@acme.pe>', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="B"', '', '--B', 'Content-Type: text/plain', '', 'Va la captura.', '--B',
    'Content-Type: image/png; name="c.png"', 'Content-Disposition: attachment; filename="c.png"', 'Content-Transfer-Encoding: base64', '', big, '--B--', '',
  ].join('\r\n'));
  assert.equal(r.code, 0, r.stderr);
  if (PG) {
    // PostgreSQL keeps the database and every file of the mail, large
    // ones too (several servers share nothing else): no mail on disk, and
    // what directories there are stay the owner's.
    for (const f of ['raw', 'attachments'].filter((x) => readdirSync(dir).includes(x))) {
      assert.equal(statSync(join(dir, f)).mode & 0o077, 0, f);
      assert.deepEqual(readdirSync(join(dir, f)), [], f);
    }
    assert.equal(sql(`SELECT COUNT(*) FROM blobs b JOIN messages m ON m.raw_sha256 = b.sha256 WHERE m.mail_message_id = 'item8-big@acme.pe'`), '1');
    return;
  }
  for (const f of ['ayuda.db', 'ayuda.db-wal', 'ayuda.db-shm', 'raw', 'attachments']) {
    const mode = statSync(join(dir, f)).mode & 0o777;
    assert.equal(mode & 0o077, 0, `${f} is ${mode.toString(8)}`);
  }
  const blob = readdirSync(join(dir, 'raw'))[0];
  assert.equal(statSync(join(dir, 'raw', blob)).mode & 0o077, 0);
});

test('item 17: a mail whose inline images pass 16 MiB still shows, without the images that do not fit', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
  const imgs = Array.from({ length: 7 }, () => Buffer.concat([png, randomBytes(1900 * 1024)]));
  const raw = [
    'From: maria@acme.pe', 'To: soporte@ayuda.test', 'Subject: Muchas capturas', 'Message-ID: <big-inline@acme.pe>', 'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="R"', '',
    '--R', 'Content-Type: text/html; charset=utf-8', '',
    imgs.map((_, i) => `<p>Paso ${i}</p><img src="cid:paso${i}@acme.pe" alt="paso ${i}">`).join(''), '',
    ...imgs.flatMap((b, i) => ['--R', 'Content-Type: image/png', `Content-ID: <paso${i}@acme.pe>`, `Content-Disposition: inline; filename="paso${i}.png"`,
      'Content-Transfer-Encoding: base64', '', b.toString('base64').replace(/.{76}/g, '$&\r\n'), '']),
    '--R--', '',
  ].join('\r\n');
  const r = mailIn(raw);
  assert.equal(r.code, 0, r.stderr);
  const msgs = await api(srv, 'GET', `/api/v1/tickets/${r.json.ticket}/messages`, { tok: agent });
  const m = msgs.body.messages[0];
  assert.equal(m.attachments.filter((a) => a.inline).length, 7);
  const res = await fetch(`${srv.url}/api/v1/tickets/${r.json.ticket}/messages/${m.id}/html`, { headers: { Authorization: `Bearer ${agent}` } });
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.length <= 16 * 1024 * 1024);
  assert.match(html, /Paso 6/);
  const shown = (html.match(/data:image\/png;base64,/g) || []).length;
  assert.ok(shown >= 1 && shown < 7, `${shown} images inline`);
});

test('item 21: claims expire: one failed record of a sent mail leaves no other row claimed, and its own comes back', () => {
  const d = newDataDir({ demo: false, conf: mailConf(smtp.port) });
  try {
    for (const who of ['boom', 'ana', 'eva'])
      assert.equal(mailInto(d, mail({ from: `${who}@lease.example`, subject: `Hola de ${who}`, id: `${who}@lease.example` })).code, 0);
    const states = () => sqlIn(d, "SELECT recipient || ' ' || state FROM outbox ORDER BY id").split('\n');
    // Recording boom's mail as sent fails (as a full disk would).
    sqlIn(d, PG
      ? "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;"
        + " CREATE TRIGGER boom BEFORE UPDATE OF state ON outbox FOR EACH ROW WHEN (NEW.state = 'sent' AND OLD.recipient = 'boom@lease.example') EXECUTE FUNCTION boom()"
      : "CREATE TRIGGER boom BEFORE UPDATE OF state ON outbox WHEN NEW.state = 'sent' AND OLD.recipient = 'boom@lease.example' BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    spawnSend(d);
    assert.deepEqual(states(), ['boom@lease.example sending', 'ana@lease.example pending', 'eva@lease.example pending']);
    sqlIn(d, PG ? 'DROP TRIGGER boom ON outbox' : 'DROP TRIGGER boom');
    // The next run sends the others; boom's claim holds until its lease ends.
    spawnSend(d);
    assert.deepEqual(states(), ['boom@lease.example sending', 'ana@lease.example sent', 'eva@lease.example sent']);
    spawnSend(d, { AYUDA_FAKE_NOW: String(Math.floor(Date.now() / 1000) + 16 * 60) });
    assert.deepEqual(states(), ['boom@lease.example sent', 'ana@lease.example sent', 'eva@lease.example sent']);
  } finally {
    cleanup(d);
  }
});

function spawnSend(d, env = {}) {
  try {
    ayuda(['send-mail', '--once', '--data', d], { env: { ...process.env, ...env } });
  } catch { /* a failed record is an error exit; the states tell */ }
}

test('item 12: a bounce counts only for a mail we sent and at its own return path; bounce notes are for the staff', async () => {
  const r = mailIn(mail({ from: 'lucia@socioandino.com', subject: 'Rebotes', id: 'verp1@socioandino.com' }));
  const n = r.json.ticket;
  const ack = await waitFor(() => smtp.messages().find((m) => m.env.includes('lucia@socioandino.com') && (header(m.raw, 'Subject') || '').includes(`[Ticket#${n}]`)), 15000, 'the acknowledgement');
  const ourId = header(ack.raw, 'Message-ID');
  const returnPath = ack.env.split('\n')[0];
  assert.match(returnPath, /^soporte\+bounce-[0-9a-f]{20}@ayuda\.test$/);
  const count = () => sql(`SELECT COUNT(*) FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.number = ${n}`);
  const before = count();
  // Forged: our Message-ID, but not at its return path.
  for (const [i, to] of ['soporte@ayuda.test', 'soporte+bounce-0123456789abcdef0123@ayuda.test'].entries()) {
    const f = mailIn(dsn(ourId, to, 'x', `forged${i}@mx.example`));
    assert.equal(f.code, 0);
    assert.equal(f.json.action, 'ignored');
  }
  // Forged: plain text from a mailer-daemon anywhere, quoting our Message-ID.
  const plain = mailIn(mail({ from: 'MAILER-DAEMON@evil.example', subject: 'Undelivered Mail', id: 'forged9@evil.example', body: `Su mensaje no llegó.\r\n\r\nMessage-ID: ${ourId}\r\n` }));
  assert.equal(plain.json.action, 'ignored');
  // Forged: a Message-ID we received, not one we sent.
  const notOurs = mailIn(dsn('<verp1@socioandino.com>', returnPath, 'x', 'forged8@mx.example'));
  assert.equal(notOurs.json.action, 'ignored');
  assert.equal(count(), before);
  // The real one, its recipient recorded by the MTA in Delivered-To.
  const real = mailIn(dsn(ourId, 'soporte@ayuda.test', 'x', 'real1@mx.socioandino.com', [`Delivered-To: ${returnPath}`]));
  assert.equal(real.json.action, 'appended');
  assert.equal(real.json.ticket, n);
  const staff = await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: agent });
  assert.ok(staff.body.messages.some((m) => m.kind === 'note' && /Rebote/.test(m.body)));
  const own = await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: token(dir, 'lucia@socioandino.com') });
  assert.equal(own.status, 200);
  assert.ok(!own.body.messages.some((m) => /Rebote/.test(m.body)));
  assert.ok(statSync(join(dir, 'mail.key')).mode % 0o100 === 0);
});
