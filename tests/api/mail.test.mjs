// Mail end to end with real servers: a mail creates a ticket, the
// notification reaches an SMTP server with threading headers, the
// customer's reply built from that mail lands in the same ticket; IMAP
// fetching; loops, bounces, duplicates and attachments.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, PG, newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';
import { mailInto, sqlIn, header, mailConf, dsn, decoded } from './mailtools.mjs';
import { startSmtp, startDovecot, waitFor } from './mailservers.mjs';

let dir, srv, smtp, imap, agent, work;

const mailIn = (raw, args = []) => mailInto(dir, raw, args);
const sql = (q) => sqlIn(dir, q);

function mail({ from, to = 'soporte@ayuda.test', subject, body, id, inReplyTo, references, extra = '' }) {
  return [
    `From: ${from}`, `To: ${to}`, `Subject: ${subject}`,
    `Date: Wed, 25 Nov 2026 10:00:00 -0500`,
    `Message-ID: <${id}>`,
    inReplyTo ? `In-Reply-To: ${inReplyTo}` : null,
    references ? `References: ${references}` : null,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit', extra || null, '', body, '',
  ].filter((l) => l !== null).join('\r\n');
}

// Mails received for addr about ticket n (by its subject tag).
async function sentTo(addr, n, count = 1) {
  return waitFor(() => {
    const got = smtp.messages().filter((m) => m.env.split('\n').slice(1).includes(addr) &&
      (n === undefined || (header(m.raw, 'Subject') || '').includes(`[Ticket#${n}]`)))
      .map((m) => ({ ...m, text: decoded(m.raw) }));
    return got.length >= count ? got : null;
  }, 15000, `mail to ${addr} about ${n}`);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'ayuda-mail-'));
  chmodSync(work, 0o755); // Dovecot's processes read below it
  smtp = await startSmtp(join(work, 'smtp'));
  imap = await startDovecot(join(work, 'imap'));
  dir = newDataDir();
  writeFileSync(join(dir, 'ayuda.conf'), mailConf(smtp.port, `imap_url = imap://127.0.0.1:${imap.port}/INBOX
imap_user = test
imap_password = secret
`));
  agent = token(dir, 'agente@ayuda.localhost');
  execFileSync(BIN, ['user', 'add', '--data', dir, '--email', 'ann@example.org', '--name', 'Ann Smith', '--role', 'customer', '--lang', 'en']);
  srv = await serve(dir);
});

after(async () => {
  await stop(srv);
  await smtp.stop();
  await imap.stop();
  cleanup(dir);
  if (!process.env.AY_KEEP) cleanup(work); else console.log("kept", work);
});

test('a mail creates a ticket, the answer threads, the reply lands in the same ticket', async () => {
  const r = mailIn(mail({ from: 'María Quispe <maria@acme.pe>', subject: 'No puedo exportar contactos', body: 'La descarga queda en blanco.', id: 'm1@acme.pe' }));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.action, 'created');
  const n = r.json.ticket;
  const t = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent });
  assert.equal(t.body.requester.email, 'maria@acme.pe');
  assert.equal(t.body.channel, 'mail');
  assert.equal(t.body.sla.level, 'commercial');

  // The acknowledgement: Spanish, automatic, tagged, threaded to her mail.
  const [ack] = await sentTo('maria@acme.pe', n);
  assert.match(header(ack.raw, 'Subject'), new RegExp(`\\[Ticket#${n}\\]`));
  assert.equal(header(ack.raw, 'In-Reply-To'), '<m1@acme.pe>');
  assert.equal(header(ack.raw, 'Auto-Submitted'), 'auto-replied');
  assert.ok(header(ack.raw, 'X-Loop'));
  assert.match(ack.raw, /Content-Language: es/i);
  // Text and HTML alternatives, the HTML escaped and without remote content.
  assert.match(ack.raw, /multipart\/alternative/i);
  assert.match(ack.raw, /Content-Type: text\/html/i);
  assert.doesNotMatch(ack.text, /<img|<script/i);

  // The agent answers through the API; the mail threads to the ticket.
  const reply = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { body: 'Hola María, pruebe a exportar en CSV.' } });
  assert.equal(reply.status, 201);
  const mails = await sentTo('maria@acme.pe', n, 2);
  const answer = mails.find((m) => m.text.includes('pruebe a exportar'));
  assert.ok(answer, 'the agent reply was mailed');
  assert.equal(header(answer.raw, 'Auto-Submitted'), null);
  const answerId = header(answer.raw, 'Message-ID');
  assert.match(answerId, /^<.+@ayuda\.test>$/);
  assert.match(header(answer.raw, 'References'), /<m1@acme\.pe>/);

  // Her reply, built from the received mail, joins the same ticket.
  const back = mailIn(mail({
    from: 'maria@acme.pe', subject: `Re: ${header(answer.raw, 'Subject')}`,
    body: 'Con CSV funciona, gracias.\n\n> Hola María, pruebe a exportar en CSV.',
    id: 'm2@acme.pe', inReplyTo: answerId, references: `<m1@acme.pe> ${answerId}`,
  }));
  assert.equal(back.code, 0);
  assert.equal(back.json.action, 'appended');
  assert.equal(back.json.ticket, n);
  const msgs = await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: agent });
  const last = msgs.body.messages.at(-1);
  assert.equal(last.body, 'Con CSV funciona, gracias.'); // quoted history separated
  assert.match(last.body_full, /> Hola María, pruebe a exportar en CSV\./); // and kept
  assert.equal(last.author.email, 'maria@acme.pe');

  // The same message delivered twice is stored once.
  const again = mailIn(mail({ from: 'maria@acme.pe', subject: 'x', body: 'y', id: 'm2@acme.pe' }));
  assert.equal(again.code, 0);
  assert.equal(again.json.action, 'ignored');
  assert.equal(sql(`SELECT COUNT(*) FROM messages WHERE mail_message_id = 'm2@acme.pe'`), '1');
});

test('the subject tag threads only for people who may write on the ticket', () => {
  const first = mailIn(mail({ from: 'jorge@acme.pe', subject: 'Problema con el calendario', body: 'No sincroniza.', id: 'j1@acme.pe' }));
  const n = first.json.ticket;
  // The company's support contact may follow up by tag alone.
  const contact = mailIn(mail({ from: 'maria@acme.pe', subject: `Re: [Ticket#${n}] Problema`, body: 'Añado datos.', id: 'j2@acme.pe' }));
  assert.equal(contact.json.action, 'appended');
  assert.equal(contact.json.ticket, n);
  // Someone from another company guessing the number gets a new ticket.
  const intruder = mailIn(mail({ from: 'pedro@bodegalibre.pe', subject: `[Ticket#${n}] hola`, body: 'Quiero ver esto.', id: 'p1@bodegalibre.pe' }));
  assert.equal(intruder.json.action, 'created');
  assert.notEqual(intruder.json.ticket, n);
});

test('unknown senders get a ticket and an answer explaining how to register', async () => {
  const r = mailIn(mail({ from: 'Nuevo Cliente <nuevo@desconocido.pe>', subject: 'Consulta de precios', body: '¿Cuánto cuesta?', id: 'u1@desconocido.pe' }));
  assert.equal(r.json.action, 'created');
  const t = await api(srv, 'GET', `/api/v1/tickets/${r.json.ticket}`, { tok: agent });
  assert.equal(t.body.sla.level, 'unidentified');
  const [ack] = await sentTo('nuevo@desconocido.pe', r.json.ticket);
  assert.match(ack.text, /regístrese/);
  assert.match(ack.text, /Hemos recibido su solicitud/);
});

test('the due time is written in the customer\'s own time zone when they have one', async () => {
  execFileSync(BIN, ['user', 'add', '--data', dir, '--email', 'ana@madrid.es', '--name', 'Ana', '--role', 'customer', '--timezone', 'Europe/Madrid']);
  const bad = spawnSync(BIN, ['user', 'add', '--data', dir, '--email', 'x@y.es', '--name', 'X', '--role', 'customer', '--timezone', 'Mars/Olympus'], { encoding: 'utf8' });
  assert.equal(bad.status, 65);
  assert.match(bad.stderr, /zona horaria/);
  // Unidentified levels have no due time; make Ana a partner's contact.
  execFileSync(BIN, ['company', 'add', '--data', dir, '--name', 'Socio Madrid', '--partner-tier', 'silver', '--partner-active']);
  sql("UPDATE users SET company_id = (SELECT id FROM companies WHERE name = 'Socio Madrid') WHERE email = 'ana@madrid.es'");
  const r = mailIn(mail({ from: 'ana@madrid.es', subject: 'Hora', body: 'x', id: 'tz1@madrid.es' }));
  const [ack] = await sentTo('ana@madrid.es', r.json.ticket);
  assert.match(ack.text, /\(Europe\/Madrid\)/);
  // Someone without a zone of their own reads the calendar's.
  const [maria] = await sentTo('maria@acme.pe');
  assert.match(maria.text, /\(America\/Lima\)/);
});

test('English speakers get English mail', async () => {
  const r = mailIn(mail({ from: 'ann@example.org', subject: 'Export fails', body: 'Blank file.', id: 'a1@example.org' }));
  assert.equal(r.json.action, 'created');
  const [ack] = await sentTo('ann@example.org', r.json.ticket);
  assert.match(ack.text, /We have received your request/);
  assert.match(ack.raw, /Content-Language: en/i);
});

test('no automatic answer to auto-submitted mail or to our own loop, and at most N an hour', async () => {
  const auto = mailIn(mail({ from: 'robot@example.net', subject: 'Fuera de la oficina', body: 'Estoy de vacaciones.', id: 'auto1@example.net', extra: 'Auto-Submitted: auto-replied' }));
  assert.equal(auto.json.action, 'created');
  const bulk = mailIn(mail({ from: 'news@example.net', subject: 'Boletín', body: 'Novedades', id: 'bulk1@example.net', extra: 'Precedence: bulk' }));
  assert.equal(bulk.json.action, 'created');
  const loop = mailIn(mail({ from: 'maria@acme.pe', subject: 'eco', body: 'x', id: 'loop1@acme.pe', extra: 'X-Loop: soporte@ayuda.test' }));
  assert.equal(loop.json.action, 'ignored');
  for (let i = 0; i < 8; i++)
    mailIn(mail({ from: 'flood@example.net', subject: `flood ${i}`, body: 'x', id: `flood${i}@example.net` }));
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE recipient IN ('robot@example.net','news@example.net')`), '0');
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE recipient = 'flood@example.net' AND kind = 'ticket_received'`), '5');
});

test('a bounce of our mail, back at its own return path, becomes an internal note and is never answered', async () => {
  const r = mailIn(mail({ from: 'lucia@socioandino.com', subject: 'Consulta API', body: 'Hola', id: 'l1@socioandino.com' }));
  const n = r.json.ticket;
  const [ack] = await sentTo('lucia@socioandino.com', n);
  const ourId = header(ack.raw, 'Message-ID');
  // Each mail leaves with its own return path (VERP).
  const returnPath = ack.env.split('\n')[0];
  assert.match(returnPath, /^soporte\+bounce-[0-9a-f]{20}@ayuda\.test$/);
  const b = mailIn(dsn(ourId, returnPath, header(ack.raw, 'Subject')));
  assert.equal(b.code, 0);
  assert.equal(b.json.ticket, n);
  const msgs = await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: agent });
  assert.equal(msgs.body.messages.at(-1).kind, 'note');
  assert.match(msgs.body.messages.at(-1).body, /Rebote/);
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE recipient LIKE 'mailer-daemon%'`), '0');
});

test('attachments are checked by content: a BMP is refused with a note and a notice, a PNG kept', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
  const bmp = Buffer.from('424d3a0000000000000036000000280000000100000001000000010018000000000004000000130b0000130b00000000000000000000ffffff00', 'hex');
  const raw = [
    'From: maria@acme.pe', 'To: soporte@ayuda.test', 'Subject: Capturas', 'Message-ID: <att1@acme.pe>', 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="X"', '',
    '--X', 'Content-Type: text/plain; charset=utf-8', '', 'Adjunto capturas.', '',
    '--X', 'Content-Type: image/png; name="captura.png"', 'Content-Disposition: attachment; filename="captura.png"', 'Content-Transfer-Encoding: base64', '', png.toString('base64'), '',
    // The name says PNG; the content is a BMP.
    '--X', 'Content-Type: image/png; name="pantalla.png"', 'Content-Disposition: attachment; filename="pantalla.png"', 'Content-Transfer-Encoding: base64', '', bmp.toString('base64'), '',
    '--X--', '',
  ].join('\r\n');
  const r = mailIn(raw);
  assert.equal(r.code, 0);
  const n = r.json.ticket;
  assert.equal(sql(`SELECT filename || ' ' || content_type FROM attachments a JOIN tickets t ON t.id = a.ticket_id WHERE t.number = ${n}`), 'captura.png image/png');
  const msgs = await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: agent });
  assert.ok(msgs.body.messages.some((m) => m.kind === 'system' && /pantalla\.png/.test(m.body) && /BMP/.test(m.body)));
  // The kept one is listed with its message, and downloads as it came.
  const [att] = msgs.body.messages[0].attachments;
  assert.equal(att.filename, 'captura.png');
  assert.equal(att.content_type, 'image/png');
  assert.equal(att.size, png.length);
  const file = await fetch(`${srv.url}/api/v1/tickets/${n}/attachments/${att.id}`, { headers: { Authorization: `Bearer ${agent}` } });
  assert.equal(file.status, 200);
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), png);
  assert.equal(sql(`SELECT COUNT(*) FROM outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = ${n} AND o.kind = 'attachment_rejected'`), '1');
  // The raw message is kept, addressed by its hash (small: in the database).
  const sha = sql(`SELECT raw_sha256 FROM messages WHERE mail_message_id = 'att1@acme.pe'`);
  assert.equal(sql(`SELECT COUNT(*) FROM blobs WHERE sha256 = '${sha}'`), '1');
  // Agents can download it; customers, even the sender, cannot.
  const mid = sql(`SELECT id FROM messages WHERE mail_message_id = 'att1@acme.pe'`);
  const dl = await api(srv, 'GET', `/api/v1/tickets/${n}/messages/${mid}/raw`, { tok: agent });
  assert.equal(dl.status, 200);
  assert.match(dl.headers.get('content-type'), /message\/rfc822/);
  assert.match(dl.headers.get('content-disposition'), /attachment/);
  assert.match(dl.body, /Message-ID: <att1@acme\.pe>/);
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}/messages/${mid}/raw`, { tok: token(dir, 'maria@acme.pe') })).status, 404);
});

test('a small mail is kept in its own commit (no file to sync), a large one as files on SQLite', async () => {
  const files = (sub) => { try { return readdirSync(join(dir, sub)); } catch { return []; } };
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
  const withImage = (id, img) => [
    'From: maria@acme.pe', 'To: soporte@ayuda.test', `Subject: Captura ${id}`, `Message-ID: <${id}@acme.pe>`, 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="B"', '', '--B', 'Content-Type: text/plain', '', 'Va la captura.', '--B',
    'Content-Type: image/png; name="c.png"', 'Content-Disposition: attachment; filename="c.png"', 'Content-Transfer-Encoding: base64', '',
    img.toString('base64').replace(/.{76}/g, '$&\r\n'), '--B--', '',
  ].join('\r\n');
  const small = Buffer.concat([png, Buffer.alloc(2000, 7)]);
  const large = Buffer.concat([png, Buffer.alloc(300 * 1024, 9)]);
  // On PostgreSQL every stored file is a row.
  for (const [id, img, inDb] of [['keep-small', small, true], ['keep-large', large, PG]]) {
    const r = mailIn(withImage(id, img));
    assert.equal(r.code, 0, r.stderr);
    const [raw, att] = sql(`SELECT m.raw_sha256 || ' ' || a.sha256 FROM messages m JOIN attachments a ON a.message_id = m.id WHERE m.mail_message_id = '${id}@acme.pe'`).split(' ');
    assert.equal(sql(`SELECT COUNT(*) FROM blobs WHERE sha256 IN ('${raw}', '${att}')`), inDb ? '2' : '0', id);
    assert.equal(files('raw').includes(raw), !inDb, id);
    assert.equal(files('attachments').includes(att), !inDb, id);
    // Either way it downloads as it came.
    const mid = sql(`SELECT id FROM messages WHERE mail_message_id = '${id}@acme.pe'`);
    const aid = sql(`SELECT id FROM attachments WHERE message_id = ${mid}`);
    const dl = await fetch(`${srv.url}/api/v1/tickets/${r.json.ticket}/attachments/${aid}`, { headers: { Authorization: `Bearer ${agent}` } });
    assert.deepEqual(Buffer.from(await dl.arrayBuffer()), img);
    assert.match((await api(srv, 'GET', `/api/v1/tickets/${r.json.ticket}/messages/${mid}/raw`, { tok: agent })).body, new RegExp(`Message-ID: <${id}@acme\\.pe>`));
  }
});

test('IMAP: fetched mail becomes tickets and is marked seen only after the commit', () => {
  imap.deliver('1700000000.a.host', mail({ from: 'lucia@socioandino.com', subject: 'Por IMAP', body: 'Llegó por IMAP', id: 'imap1@socioandino.com' }));
  const r = spawnSync(BIN, ['fetch-mail', '--data', dir], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(sql(`SELECT COUNT(*) FROM messages WHERE mail_message_id = 'imap1@socioandino.com'`), '1');
  const cur = readdirSync(join(imap.box, 'cur'));
  assert.equal(cur.length, 1);
  assert.match(cur[0], /:2,.*S/);
  // A second run finds nothing new.
  spawnSync(BIN, ['fetch-mail', '--data', dir], { encoding: 'utf8' });
  assert.equal(sql(`SELECT COUNT(*) FROM messages WHERE mail_message_id = 'imap1@socioandino.com'`), '1');
});

test('mail-in exit codes: 65 for a message that can never be accepted, 75 when the store is missing', () => {
  const bad = mailIn('this is not a mail message at all');
  assert.equal(bad.code, 65);
  assert.ok(bad.stderr.length > 0);
  const r = spawnSync(BIN, ['mail-in', '--data', join(work, 'nowhere')], { input: mail({ from: 'a@b.pe', subject: 's', body: 'b', id: 'x@b.pe' }), encoding: 'utf8' });
  assert.equal(r.status, 75);
});

test('SMTP failures: a temporary one is retried later, a permanent one is noted on the ticket', async () => {
  execFileSync(BIN, ['user', 'add', '--data', dir, '--email', 'reject@example.org', '--name', 'Rechazado', '--role', 'customer']);
  execFileSync(BIN, ['user', 'add', '--data', dir, '--email', 'tempfail@example.org', '--name', 'Temporal', '--role', 'customer']);
  const perm = mailIn(mail({ from: 'reject@example.org', subject: 'Rebotará', body: 'x', id: 'rej1@example.org' }));
  const temp = mailIn(mail({ from: 'tempfail@example.org', subject: 'Esperará', body: 'x', id: 'tmp1@example.org' }));
  // The permanent refusal (550) ends as an internal note on the ticket,
  // which the customer does not see.
  await waitFor(async () => {
    const m = await api(srv, 'GET', `/api/v1/tickets/${perm.json.ticket}/messages`, { tok: agent });
    return m.body.messages.some((x) => x.kind === 'note' && /No se pudo entregar/.test(x.body) && /550/.test(x.body));
  }, 15000, 'failure note');
  const own = await api(srv, 'GET', `/api/v1/tickets/${perm.json.ticket}/messages`, { tok: token(dir, 'reject@example.org') });
  assert.ok(!own.body.messages.some((x) => /No se pudo entregar/.test(x.body)));
  assert.equal(sql(`SELECT state FROM outbox WHERE recipient = 'reject@example.org'`), 'failed');
  // The temporary one (451) waits for a later attempt.
  await waitFor(() => sql(`SELECT attempts FROM outbox WHERE recipient = 'tempfail@example.org'`) === '1', 15000, 'first attempt');
  const [state, next] = sql(`SELECT state, next_attempt_at FROM outbox WHERE recipient = 'tempfail@example.org'`).split('|');
  assert.equal(state, 'pending');
  assert.ok(Number(next) > Date.now() / 1000, `next attempt at ${next}, later than now`);
  const m = await api(srv, 'GET', `/api/v1/tickets/${temp.json.ticket}/messages`, { tok: agent });
  assert.ok(!m.body.messages.some((x) => /No se pudo entregar/.test(x.body)));
});

test('an agent answer with a file mails the file too', async () => {
  const r = mailIn(mail({ from: 'lucia@socioandino.com', subject: 'Necesito la guía', body: '¿Tienen una guía?', id: 'g1@socioandino.com' }));
  const n = r.json.ticket;
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const up = await fetch(`${srv.url}/api/v1/uploads?filename=${encodeURIComponent('guía rápida.pdf')}`, {
    method: 'POST', headers: { Authorization: `Bearer ${agent}` }, body: pdf,
  });
  const { id } = await up.json();
  const reply = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { body: 'Aquí la tiene.', attachments: [id] } });
  assert.equal(reply.status, 201);
  const mails = await sentTo('lucia@socioandino.com', n, 2);
  const answer = mails.find((m) => m.text.includes('Aquí la tiene.'));
  assert.ok(answer);
  assert.match(answer.raw, /multipart\/mixed/i);
  assert.match(answer.raw, /Content-Type: application\/pdf/i);
  assert.match(answer.raw, /filename\*?=.*gu/i);
  assert.ok(answer.raw.includes(pdf.toString('base64').slice(0, 40)));
});

test('the HTML of a mail shows its inline images inside the sandbox', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
  const raw = [
    'From: maria@acme.pe', 'To: soporte@ayuda.test', 'Subject: Captura pegada', 'Message-ID: <cid1@acme.pe>', 'MIME-Version: 1.0',
    'Content-Type: multipart/related; boundary="R"', '',
    '--R', 'Content-Type: text/html; charset=utf-8', '',
    '<p>Mire el error:</p><img src="cid:captura01@acme.pe" alt="error"><script>alert(1)</script>', '',
    '--R', 'Content-Type: image/png', 'Content-ID: <captura01@acme.pe>', 'Content-Disposition: inline; filename="image001.png"',
    'Content-Transfer-Encoding: base64', '', png.toString('base64'), '',
    '--R--', '',
  ].join('\r\n');
  const r = mailIn(raw);
  assert.equal(r.code, 0);
  const msgs = await api(srv, 'GET', `/api/v1/tickets/${r.json.ticket}/messages`, { tok: agent });
  const m = msgs.body.messages[0];
  assert.equal(m.has_html, true);
  assert.equal(m.attachments[0].inline, true);
  const res = await fetch(`${srv.url}/api/v1/tickets/${r.json.ticket}/messages/${m.id}/html`, { headers: { Authorization: `Bearer ${agent}` } });
  const html = await res.text();
  assert.match(res.headers.get('content-security-policy'), /sandbox/);
  assert.match(res.headers.get('content-security-policy'), /default-src 'none'/);
  assert.ok(html.includes(`data:image/png;base64,${png.toString('base64')}`));
  assert.ok(!html.includes('cid:captura01'));
});

test('serve polls the IMAP mailbox every imap_interval seconds', async () => {
  await stop(srv);
  writeFileSync(join(dir, 'ayuda.conf'), mailConf(smtp.port, `imap_url = imap://127.0.0.1:${imap.port}/INBOX
imap_user = test
imap_password = secret
imap_interval = 1
`));
  srv = await serve(dir);
  imap.deliver('1700000100.b.host', mail({ from: 'pedro@bodegalibre.pe', subject: 'Por sondeo', body: 'Llegó solo', id: 'poll1@bodegalibre.pe' }));
  await waitFor(() => sql(`SELECT COUNT(*) FROM messages WHERE mail_message_id = 'poll1@bodegalibre.pe'`) === '1', 15000, 'the poller');
  await waitFor(() => readdirSync(join(imap.box, 'cur')).some((f) => f.startsWith('1700000100.b.host') && /:2,.*S/.test(f)), 15000, 'seen flag');
});
