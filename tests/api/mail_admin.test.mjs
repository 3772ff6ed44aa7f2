// The admin console's mail page and audit API against real mail servers
// (aiosmtpd sink, Dovecot): settings with secrets masked, a test send that
// arrives, a single fetch that says what it took, a failed outbox row
// retried and delivered, previews rendered from a real ticket by the same
// code that sends it, and the audit's filters. No answer carries a secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, unlinkSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';
import { mailConf, header, decoded } from './mailtools.mjs';
import { startSmtp, startDovecot, waitFor } from './mailservers.mjs';

const IMAP_PW = 'Imap-Pw-9f3kQz7';
const SMTP_PW = 'Smtp-Pw-4x8Lr2';
let work, smtp, imap, dir, srv, admin, sup, maria, adminId;
const answers = []; // every body the server gave, checked for secrets

async function call(method, path, opts) {
  const r = await api(srv, method, path, opts);
  answers.push(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
  return r;
}

function mailsTo(addr, pred = () => true) {
  return smtp.messages().filter((m) => m.env.split('\n').slice(1).includes(addr) && pred(m));
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'ayuda-mailadm-'));
  chmodSync(work, 0o755); // Dovecot's processes read below it
  smtp = await startSmtp(join(work, 'smtp'));
  imap = await startDovecot(join(work, 'imap'));
  writeFileSync(join(work, 'imap', 'passwd'), `test:{PLAIN}${IMAP_PW}::::::\n`);
  dir = newDataDir();
  // No smtp_user: the password is configured but never sent (no AUTH).
  writeFileSync(join(dir, 'ayuda.conf'), mailConf(smtp.port, `imap_url = imap://127.0.0.1:${imap.port}/INBOX
imap_user = test
imap_password = ${IMAP_PW}
imap_interval = 0
smtp_password = ${SMTP_PW}
`));
  admin = token(dir, 'admin@ayuda.localhost');
  sup = token(dir, 'supervisora@ayuda.localhost');
  maria = token(dir, 'maria@acme.pe');
  srv = await serve(dir);
  adminId = (await api(srv, 'GET', '/api/v1/me', { tok: admin })).body.id;
});

after(async () => {
  await stop(srv);
  await smtp.stop();
  await imap.stop();
  cleanup(dir);
  cleanup(work);
});

test('the settings are shown with their secrets masked, to admins only', async () => {
  const r = await call('GET', '/api/v1/admin/mail', { tok: admin });
  assert.equal(r.status, 200);
  assert.equal(r.body.inbound.url, `imap://127.0.0.1:${imap.port}/INBOX`);
  assert.equal(r.body.inbound.user, 'test');
  assert.equal(r.body.inbound.password_set, true);
  assert.equal(r.body.outbound.url, `smtp://127.0.0.1:${smtp.port}`);
  assert.equal(r.body.outbound.password_set, true);
  assert.equal(r.body.outbound.from, 'soporte@ayuda.test');
  for (const path of ['/api/v1/admin/mail', '/api/v1/admin/outbox', '/api/v1/admin/templates',
    '/api/v1/admin/templates/ticket_received/preview']) {
    assert.equal((await call('GET', path, { tok: sup })).status, 404, path);
    assert.equal((await call('GET', path, { tok: maria })).status, 404, path);
  }
  assert.equal((await call('POST', '/api/v1/admin/mail/test', { tok: sup, json: { to: 'x@example.org' } })).status, 404);
  assert.equal((await call('POST', '/api/v1/admin/mail/fetch', { tok: maria })).status, 404);
});

test('a test mail arrives at the sink and the answer quotes the server', async () => {
  const r = await call('POST', '/api/v1/admin/mail/test', { tok: admin, json: { to: 'prueba@example.org' } });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.ok, true);
  assert.ok(r.body.replies.some((l) => /^250 2\.0\.0 Message accepted/.test(l)), r.body.replies.join('|'));
  const [m] = await waitFor(() => { const l = mailsTo('prueba@example.org'); return l.length ? l : null; });
  assert.equal(header(m.raw, 'Subject'), 'Correo de prueba de ayuda');
  assert.match(decoded(m.raw), /Ana Administradora envió desde la consola de administración/);
  assert.equal(header(m.raw, 'Message-ID'), `<${r.body.message_id}>`);

  const no = await call('POST', '/api/v1/admin/mail/test', { tok: admin, json: { to: 'reject-me@example.org' } });
  assert.equal(no.status, 200);
  assert.equal(no.body.ok, false);
  assert.equal(no.body.failure, 'rejected');
  assert.ok(no.body.replies.some((l) => l.startsWith('550 5.1.1')), no.body.replies.join('|'));
  assert.equal((await call('POST', '/api/v1/admin/mail/test', { tok: admin, json: { to: 'no es correo' } })).status, 422);
  assert.equal((await call('POST', '/api/v1/admin/mail/test', { tok: admin, json: { to: 'a@b.pe', cc: 'x' } })).status, 422);

  const audit = await call('GET', `/api/v1/audit?type=mail&actor=${adminId}`, { tok: admin });
  const sent = audit.body.events.filter((e) => e.kind === 'mail.test_sent');
  assert.deepEqual(sent.map((e) => [e.data.to, e.data.ok]), [['reject-me@example.org', false], ['prueba@example.org', true]]);
  assert.equal(sent[0].who.name, 'Ana Administradora');
});

test('a fetch takes the waiting mail into tickets and says which', async () => {
  for (const [i, subj] of ['Consulta por IMAP uno', 'Consulta por IMAP dos'].entries()) {
    imap.deliver(`m${i}.eml`, [`From: Rosa Vega <rosa${i}@example.net>`, 'To: soporte@ayuda.test', `Subject: ${subj}`,
      `Message-ID: <imap-adm-${i}@example.net>`, 'Date: Tue, 01 Dec 2026 10:00:00 -0500', '', 'Hola, una consulta.', ''].join('\r\n'));
  }
  const r = await call('POST', '/api/v1/admin/mail/fetch', { tok: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.ok, true, JSON.stringify(r.body));
  assert.equal(r.body.taken, 2);
  assert.deepEqual(r.body.messages.map((m) => m.action), ['created', 'created']);
  for (const m of r.body.messages) {
    const t = await call('GET', `/api/v1/tickets/${m.ticket}`, { tok: admin });
    assert.match(t.body.subject, /Consulta por IMAP/);
  }
  assert.ok(r.body.replies.some((l) => / OK /.test(l)), r.body.replies.join('|'));
  const again = await call('POST', '/api/v1/admin/mail/fetch', { tok: admin });
  assert.equal(again.body.taken, 0);
  const audit = await call('GET', '/api/v1/audit?type=mail', { tok: admin });
  assert.deepEqual(audit.body.events.filter((e) => e.kind === 'mail.fetched').map((e) => e.data.taken), [0, 2]);
});

test('a failed notification is listed, retried, delivered, and the retry is audited', async () => {
  writeFileSync(join(smtp.dir, 'reject-all'), '');
  const t = await call('POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Reintento de aviso', body: 'El aviso de este ticket falla la primera vez.' } });
  assert.equal(t.status, 201);
  const n = t.body.number;
  const failed = await waitFor(async () => {
    const l = await call('GET', '/api/v1/admin/outbox?state=failed', { tok: admin });
    return l.body.items.find((x) => x.ticket === n && x.kind === 'ticket_received');
  }, 15000, 'the failed row');
  assert.equal(failed.recipient, 'maria@acme.pe');
  assert.equal(failed.subject, 'Reintento de aviso');
  assert.equal(failed.attempts, 1);
  assert.match(failed.last_error, /554/);
  assert.ok(!('payload' in failed));
  unlinkSync(join(smtp.dir, 'reject-all'));

  const r = await call('POST', `/api/v1/admin/outbox/${failed.id}/retry`, { tok: admin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.state, 'pending');
  const [m] = await waitFor(() => {
    const l = mailsTo('maria@acme.pe', (x) => (header(x.raw, 'Subject') || '').includes(`[Ticket#${n}]`));
    return l.length ? l : null;
  }, 15000, 'the retried mail');
  assert.match(decoded(m.raw), new RegExp(`registrado con el n=?\\s*úmero ${n}|registrado con el número ${n}`));
  const sent = await waitFor(async () => {
    const l = await call('GET', '/api/v1/admin/outbox?state=sent', { tok: admin });
    return l.body.items.find((x) => x.id === failed.id);
  }, 10000, 'the row sent');
  assert.equal(sent.state, 'sent');
  assert.equal((await call('POST', `/api/v1/admin/outbox/${failed.id}/retry`, { tok: admin })).status, 409);
  assert.equal((await call('POST', '/api/v1/admin/outbox/999999/retry', { tok: admin })).status, 404);
  assert.equal((await call('POST', `/api/v1/admin/outbox/${failed.id}/retry`, { tok: sup })).status, 404);

  const audit = await call('GET', `/api/v1/audit?type=outbox&object=${failed.id}`, { tok: admin });
  assert.equal(audit.body.events.length, 1);
  const e = audit.body.events[0];
  assert.equal(e.actor, adminId);
  assert.deepEqual(e.object, { type: 'outbox', id: failed.id, name: null });
  const state = e.changes.find((c) => c.field === 'state');
  assert.deepEqual([state.before, state.after], ['failed', 'pending']);

  // The preview of this ticket's acknowledgement is the mail it got.
  const p = await call('GET', `/api/v1/admin/templates/ticket_received/preview?ticket=${n}&lang=es`, { tok: admin });
  assert.equal(p.status, 200);
  assert.equal(p.body.subject, header(m.raw, 'Subject'));
  assert.ok(decoded(m.raw).replace(/\r\n/g, '\n').includes(p.body.text.trim()), p.body.text);
});

test('retry every failed mail at once', async () => {
  writeFileSync(join(smtp.dir, 'reject-all'), '');
  const t = await call('POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Segundo fallo', body: 'Otro aviso que falla.' } });
  const n = t.body.number;
  await waitFor(async () => (await call('GET', '/api/v1/admin/outbox', { tok: admin })).body.items
    .find((x) => x.ticket === n && x.state === 'failed'), 15000, 'the failed row');
  unlinkSync(join(smtp.dir, 'reject-all'));
  const r = await call('POST', '/api/v1/admin/outbox/retry', { tok: admin });
  assert.equal(r.status, 200);
  assert.ok(r.body.retried >= 1, JSON.stringify(r.body));
  await waitFor(() => mailsTo('maria@acme.pe', (x) => (header(x.raw, 'Subject') || '').includes(`[Ticket#${n}]`)).length > 0,
    15000, 'the mail sent again');
  const all = await call('GET', '/api/v1/audit?type=outbox', { tok: admin });
  assert.ok(all.body.events.some((e) => e.data.all === true));
});

test('every notification previews in Spanish and English from a real ticket', async () => {
  const list = await call('GET', '/api/v1/admin/templates', { tok: admin });
  assert.equal(list.status, 200);
  const ids = list.body.templates.map((x) => x.id);
  for (const id of ['ticket_received', 'agent_reply', 'status_changed-resolved', 'sla_breach', 'account_verify', 'survey'])
    assert.ok(ids.includes(id), id);
  const es = await call('GET', '/api/v1/admin/templates/ticket_received/preview?ticket=1&lang=es', { tok: admin });
  const en = await call('GET', '/api/v1/admin/templates/ticket_received/preview?ticket=1&lang=en', { tok: admin });
  assert.equal(es.status, 200);
  assert.match(es.body.text, /Hemos recibido su solicitud y la hemos registrado con el número 1\./);
  assert.match(en.body.text, /We have received your request and registered it as number 1\./);
  assert.match(es.body.subject, /^\[Ticket#1\] /);
  assert.equal(es.body.to, 'maria@acme.pe');
  for (const t of list.body.templates) {
    for (const lang of ['es', 'en']) {
      const p = await call('GET', `/api/v1/admin/templates/${t.id}/preview?lang=${lang}`, { tok: admin });
      assert.equal(p.status, 200, `${t.id} ${lang}: ${JSON.stringify(p.body)}`);
      assert.ok(p.body.text.length > 20, t.id);
    }
  }
  const v = await call('GET', '/api/v1/admin/templates/account_verify/preview', { tok: admin });
  assert.match(v.body.text, /#token=EJEMPLO/);
  assert.equal((await call('GET', '/api/v1/admin/templates/nope/preview', { tok: admin })).status, 404);
  assert.equal((await call('GET', '/api/v1/admin/templates/survey/preview?lang=fr', { tok: admin })).status, 422);
  assert.equal((await call('GET', '/api/v1/admin/templates/survey/preview?ticket=99999', { tok: admin })).status, 404);
});

test('the audit filters by actor, object type, object and dates, newest first, by pages', async () => {
  const co = (await call('GET', '/api/v1/companies', { tok: admin })).body;
  const acme = (co.companies || co).find((c) => c.name === 'Acme Perú SAC');
  await call('PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { max_contacts: 7 } });
  await call('PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { max_contacts: 8 } });
  const r = await call('GET', `/api/v1/audit?actor=${adminId}&type=company&object=${encodeURIComponent('Acme Perú SAC')}`, { tok: admin });
  assert.equal(r.status, 200);
  assert.ok(r.body.events.length >= 2);
  assert.ok(r.body.events.every((e) => e.object.type === 'company' && e.object.id === acme.id && e.actor === adminId));
  assert.ok(r.body.events[0].id > r.body.events[1].id, 'newest first');
  const ch = r.body.events[0].changes.find((c) => c.field === 'max_contacts');
  assert.deepEqual([ch.before, ch.after], [7, 8]);
  const page1 = await call('GET', `/api/v1/audit?type=company&limit=1`, { tok: admin });
  assert.equal(page1.body.events.length, 1);
  const page2 = await call('GET', `/api/v1/audit?type=company&limit=1&before=${page1.body.next}`, { tok: admin });
  assert.ok(page2.body.events[0].id < page1.body.events[0].id);
  const tomorrow = new Date(Date.now() + 2 * 86400e3).toISOString().slice(0, 10);
  assert.equal((await call('GET', `/api/v1/audit?from=${tomorrow}`, { tok: admin })).body.events.length, 0);
  assert.ok((await call('GET', `/api/v1/audit?to=${tomorrow}&type=company`, { tok: admin })).body.events.length >= 2);
  assert.equal((await call('GET', `/api/v1/audit?actor=${adminId + 1000}`, { tok: admin })).body.events.length, 0);
  assert.equal((await call('GET', '/api/v1/audit?from=ayer', { tok: admin })).status, 422);
});

test('a server without a mailbox says so in one word, and the fetch is still audited', async () => {
  const bare = newDataDir();
  const tok = token(bare, 'admin@ayuda.localhost');
  const s2 = await serve(bare);
  try {
    const r = await api(s2, 'POST', '/api/v1/admin/mail/fetch', { tok });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual([r.body.ok, r.body.failure], [false, 'unconfigured']);
    const a = await api(s2, 'GET', '/api/v1/audit?type=mail', { tok });
    assert.deepEqual(a.body.events.map((e) => [e.kind, e.data.failure]), [['mail.fetched', 'unconfigured']]);
  } finally {
    await stop(s2);
    cleanup(bare);
  }
});

test('no answer carries a password, a payload or a one-time link', async () => {
  // An account mail with a real link waits in the outbox meanwhile.
  await api(srv, 'POST', '/api/v1/auth/register', { json: { name: 'Nuevo', email: 'nuevo@example.org', password: 'una-clave-larga' } });
  answers.push(JSON.stringify((await call('GET', '/api/v1/admin/outbox?state=all&limit=200', { tok: admin })).body));
  const all = answers.join('\n');
  assert.ok(!all.includes(IMAP_PW), 'imap password');
  assert.ok(!all.includes(SMTP_PW), 'smtp password');
  assert.ok(!all.includes('"payload"'), 'payload');
  assert.ok(!/#token=(?!EJEMPLO)/.test(all), 'a one-time link');
});
