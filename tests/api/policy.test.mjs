// The support policy as a customer meets it (issue 9, items 1-5 and 16):
// a reply reopens a recently closed ticket and continues an old one in a
// new ticket; identified customers are always acknowledged, a burst of
// replies gets one notice; escalations and approvals say what happens
// next; an out-of-scope question gets one mail with the answer and the
// closing; a customer can ask for a supervisor's review; English readers
// never see Spanish level names. Real server, real SMTP sink.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, withDemoServer, token, cleanup, api, sql as sqlRun } from './helpers.mjs';
import { startSmtp, waitFor } from './mailservers.mjs';
import { decoded } from './mailtools.mjs';

let dir, srv, smtp, work, agent, maria, jorge, pedro, lucia, supervisor;

function mailIn(raw, env = {}) {
  const r = spawnSync(BIN, ['mail-in', '--data', dir], { input: raw, encoding: 'utf8', env: { ...process.env, ...env } });
  let json = null;
  try { json = JSON.parse(r.stdout.trim().split('\n').pop()); } catch { /* none */ }
  if (r.status !== 0) throw new Error(`mail-in exited ${r.status}: ${r.stderr}`);
  return json;
}

function sql(q) {
  return sqlRun(dir, q);
}

function header(raw, name) {
  const unfolded = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const m = unfolded.match(new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi'));
  return m ? m[1].trim() : null;
}

let seq = 0;
function mail({ from, subject, body, inReplyTo, extra }) {
  const id = `p${++seq}.${Date.now()}@cliente.test`;
  return [
    `From: ${from}`, 'To: soporte@ayuda.test', `Subject: ${subject}`,
    'Date: Wed, 25 Nov 2026 10:00:00 -0500', `Message-ID: <${id}>`,
    inReplyTo ? `In-Reply-To: ${inReplyTo}` : null,
    extra || null,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit', '', body, '',
  ].filter((l) => l !== null).join('\r\n');
}

// Mails received by addr about ticket n, as {raw, text, subject}, oldest first.
function mailsTo(addr, n) {
  return smtp.messages().filter((m) => m.env.split('\n').slice(1).includes(addr) &&
    (n === undefined || (header(m.raw, 'Subject') || '').includes(`[Ticket#${n}]`)))
    .map((m) => ({ raw: m.raw, text: decoded(m.raw).split(/\r?\n\r?\n/).slice(1).join('\n\n').replace(/\r?\n/g, ' '), subject: header(m.raw, 'Subject') }));
}

// Wait until the outbox has sent everything due, then the mails to addr.
async function settled(addr, n) {
  await waitFor(() => sql(`SELECT COUNT(*) FROM outbox WHERE state IN ('pending','sending') AND next_attempt_at <= ${Math.floor(Date.now() / 1000)}`) === '0', 15000, 'the outbox to drain');
  return mailsTo(addr, n);
}

async function waitMail(addr, n, pred, what) {
  return waitFor(() => mailsTo(addr, n).find(pred), 15000, what);
}

// Days from now, for a mail-in that happens later; the outbox then sends
// what is due at that time.
const later = (days) => ({ AYUDA_FAKE_NOW: String(Math.floor(Date.now() / 1000) + days * 86400) });
function sendMail(env) {
  execFileSync(BIN, ['send-mail', '--once', '--data', dir], { env: { ...process.env, ...env } });
}

const get = async (tok, n) => (await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok })).body;
const events = async (n) => (await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent })).body.events.map((e) => e.kind);
const reply = (n, body, tok = agent) => api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok, json: { body } });
const patch = (n, json, tok = agent) => api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok, json });

withDemoServer({
  agent: 'agente@ayuda.localhost',
  supervisor: 'supervisora@ayuda.localhost',
  maria: 'maria@acme.pe',
  jorge: 'jorge@acme.pe',
  pedro: 'pedro@bodegalibre.pe',
  lucia: 'lucia@socioandino.com',
}, (d) => ({ dir, srv, agent, supervisor, maria, jorge, pedro, lucia } = d), {
  // The SMTP sink first, for ayuda.conf to name its port.
  setup: async (dir) => {
    work = mkdtempSync(join(tmpdir(), 'ayuda-policy-'));
    smtp = await startSmtp(join(work, 'smtp'));
    writeFileSync(join(dir, 'ayuda.conf'), `[mail]
support_address = soporte@ayuda.test
domain = ayuda.test
smtp_url = smtp://127.0.0.1:${smtp.port}

[tickets]
out_of_scope_en = Hosting questions belong to your hosting provider.
`);
    execFileSync(BIN, ['user', 'add', '--data', dir, '--email', 'ann@example.org', '--name', 'Ann Smith', '--role', 'customer', '--lang', 'en', '--company', 'Socio Andino']);
  },
});

after(async () => {
  await smtp?.stop();
  if (work) cleanup(work);
});

test('a reply by mail to a ticket closed days ago reopens it and the clock starts again', async () => {
  const n = mailIn(mail({ from: 'maria@acme.pe', subject: 'La exportación falla', body: 'Sale en blanco.' })).ticket;
  assert.equal((await reply(n, 'Pruebe con CSV.')).status, 201);
  assert.equal((await patch(n, { status: 'closed' })).status, 200);
  // The closing notice says what she can do, and until when.
  await waitMail('maria@acme.pe', n, (m) => /responda a este correo en los próximos 30 días y lo reabriremos/.test(m.text), 'the closing notice');
  // Her answer comes three weeks later, within the 30 days.
  const r = mailIn(mail({ from: 'maria@acme.pe', subject: `Re: [Ticket#${n}] La exportación falla`, body: 'Con CSV tampoco funciona.' }), later(21));
  sendMail(later(21));
  assert.equal(r.action, 'appended');
  assert.equal(r.ticket, n);
  const t = await get(agent, n);
  assert.equal(t.status, 'open');
  assert.equal(t.sla.state, 'running'); // a new response target, from her mail
  assert.equal(t.sla.target, 'response');
  assert.ok((await events(n)).includes('ticket.reopened'));
  const notice = await waitMail('maria@acme.pe', n, (m) => /reabierto/.test(m.text), 'the reopening notice');
  assert.match(notice.text, /Cliente comercial/);
});

test('a message through the API on a recently closed ticket reopens it as well', async () => {
  const n = (await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Informe vacío', body: 'No muestra datos.' } })).body.number;
  await reply(n, 'Ya está corregido.');
  assert.equal((await patch(n, { status: 'closed' })).status, 200);
  assert.equal((await reply(n, 'Sigue vacío esta mañana.', maria)).status, 201);
  const t = await get(maria, n);
  assert.equal(t.status, 'open');
  assert.equal(t.status_name, 'Abierto');
  assert.equal(t.sla.state, 'running');
});

test('a reply to a ticket closed more than reopen_days ago opens a new ticket that continues it', async () => {
  const n = mailIn(mail({ from: 'maria@acme.pe', subject: 'Permisos de usuarios', body: '¿Cómo limito el acceso?' })).ticket;
  await reply(n, 'Desde Ajustes > Permisos.');
  await patch(n, { status: 'closed' });
  const r = mailIn(mail({ from: 'maria@acme.pe', subject: `Re: [Ticket#${n}] Permisos de usuarios`, body: 'Vuelvo con otra duda de permisos.' }), later(31));
  sendMail(later(31));
  assert.equal(r.action, 'created');
  assert.notEqual(r.ticket, n);
  const t = await get(maria, r.ticket);
  assert.equal(t.continues, n);
  assert.equal(t.subject, 'Permisos de usuarios');
  assert.equal(t.sla.state, 'running');
  assert.equal((await get(maria, n)).status, 'closed');
  assert.ok((await events(n)).includes('ticket.continued'));
  const ack = await waitMail('maria@acme.pe', r.ticket, (m) => /Hemos recibido/.test(m.text), 'the new ticket\'s acknowledgement');
  assert.match(ack.text, new RegExp(`continúa el Ticket#${n}`));
});

test('identified customers are acknowledged for every new ticket; a burst of replies gets one notice', async () => {
  const numbers = [];
  for (let i = 0; i < 7; i++)
    numbers.push(mailIn(mail({ from: 'lucia@socioandino.com', subject: `Consulta ${i}`, body: 'Hola' })).ticket);
  for (const n of numbers)
    assert.equal((await settled('lucia@socioandino.com', n)).filter((m) => /Hemos recibido/.test(m.text)).length, 1, `ack of ${n}`);
  // Three replies in a row on one ticket: one notice, not three and not none.
  const n = numbers[0];
  for (let i = 0; i < 3; i++)
    assert.equal(mailIn(mail({ from: 'lucia@socioandino.com', subject: `Re: [Ticket#${n}] Consulta 0`, body: `Dato ${i}` })).action, 'appended');
  const notices = (await settled('lucia@socioandino.com', n)).filter((m) => /Hemos añadido su mensaje/.test(m.text));
  assert.equal(notices.length, 1);
  // Strangers stay under the hourly cap.
  for (let i = 0; i < 7; i++)
    mailIn(mail({ from: 'desconocido@spam.test', subject: `Oferta ${i}`, body: 'x' }));
  assert.equal((await settled('desconocido@spam.test')).length, 5);
});

test('escalating to development tells the customer it went to the vendor and when the review is', async () => {
  const n = (await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Error al guardar tareas', body: 'Da error 500.' } })).body.number;
  assert.equal((await patch(n, { category: 'development' })).status, 200);
  const t = await get(maria, n);
  const review = new Date(t.sla.due_at);
  const m = await waitMail('maria@acme.pe', n, (x) => /fabricante/.test(x.text), 'the escalation notice');
  assert.match(m.text, /desarrollo del fabricante/);
  assert.match(m.text, /60 días/);
  assert.match(m.text, /actualización/); // what it means: a fix may come in an update
  assert.match(m.text, /no se cerrará/);
  assert.ok(m.text.includes(String(review.getUTCFullYear())), 'the review date is given');
});

test('approving an SLA inclusion says what was approved, the level in force and its response time', async () => {
  execFileSync(BIN, ['user', 'add', '--data', dir, '--email', 'rosa@acme.pe', '--name', 'Rosa Díaz', '--role', 'customer']);
  const rosa = token(dir, 'rosa@acme.pe');
  const acme = (await api(srv, 'GET', '/api/v1/companies', { tok: agent })).body.companies.find((c) => c.name === 'Acme Perú SAC');
  const r = await api(srv, 'POST', '/api/v1/sla-inclusion', { tok: rosa, json: { kind: 'commercial', full_name: 'Rosa Díaz', position: 'TI', company_name: 'Acme Perú SAC', consultant: 'Álvaro Agente' } });
  assert.equal(r.status, 201);
  const ok = await api(srv, 'POST', `/api/v1/tickets/${r.body.number}/inclusion/approve`, { tok: agent, json: { company_id: acme.id, contact: true, license_email: true } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const m = await waitMail('rosa@acme.pe', r.body.number, (x) => /aprobad/.test(x.text), 'the approval');
  assert.match(m.text, /Acme Perú SAC/);
  assert.match(m.text, /Cliente comercial/);
  assert.match(m.text, /24 horas hábiles/);
  assert.doesNotMatch(m.text, /Hay novedades/);
});

test('out of scope: customers cannot file it; the answer and the closing arrive in one mail', async () => {
  const bad = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'x', body: 'y', category: 'out_of_scope' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.field, 'category');

  const n = mailIn(mail({ from: 'Ann Smith <ann@example.org>', subject: 'My hosting is slow', body: 'Apache is slow.' })).ticket;
  await settled('ann@example.org', n);
  const before = mailsTo('ann@example.org', n).length;
  assert.equal((await patch(n, { category: 'out_of_scope' })).status, 200);
  assert.equal((await reply(n, 'Please ask your hosting company about Apache tuning.')).status, 201);
  assert.equal((await get(agent, n)).status, 'closed');
  const after = (await settled('ann@example.org', n)).slice(before);
  assert.equal(after.length, 1, after.map((m) => m.text).join('\n---\n'));
  const [m] = after;
  assert.match(m.text, /Please ask your hosting company/);
  assert.match(m.text, /out of scope/i);
  assert.match(m.text, /closed/);
  assert.match(m.text, /Hosting questions belong to your hosting provider\./); // the configured text
  assert.doesNotMatch(m.text, /Hola|cerrado/);
});

test('a customer asks for a supervisor\'s review: supervisors are told, the ticket and the reports show it', async () => {
  const n = (await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'Sin respuesta útil', body: 'Nadie me ayuda.' } })).body.number;
  const path = `/api/v1/tickets/${n}/supervisor-review`;
  assert.equal((await api(srv, 'POST', path, { tok: pedro, json: { reason: 'x' } })).status, 404);
  // Staff asking is an internal matter (agent_actions.test.mjs), not this request.
  const empty = await api(srv, 'POST', path, { tok: jorge, json: { reason: '  ' } });
  assert.equal(empty.status, 422);
  assert.equal(empty.body.error.field, 'reason');
  // Maria, Acme's support contact, asks on Jorge's ticket.
  const r = await api(srv, 'POST', path, { tok: maria, json: { reason: 'Llevamos una semana sin solución.' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.supervisor_review.state, 'requested');
  assert.equal(r.body.supervisor_review.reason, 'Llevamos una semana sin solución.');
  assert.equal((await api(srv, 'POST', path, { tok: jorge, json: { reason: 'otra vez' } })).status, 409);
  const seen = await get(jorge, n);
  assert.equal(seen.supervisor_review.state, 'requested');
  assert.ok(seen.messages.some((m) => m.kind === 'customer' && m.body.includes('Llevamos una semana sin solución.')));
  assert.ok((await events(n)).includes('supervisor_review.requested'));
  const sup = await waitMail('supervisora@ayuda.localhost', n, (m) => /supervisor/i.test(m.text), 'the supervisors\' notice');
  assert.match(sup.text, /Llevamos una semana sin solución\./);
  let rep = (await api(srv, 'GET', '/api/v1/reports/summary', { tok: supervisor })).body;
  assert.ok(rep.supervisor_reviews.requested >= 1);
  assert.ok(rep.supervisor_reviews.open.includes(n));
  // Answered like any message: the supervisor's reply closes the request.
  assert.equal((await reply(n, 'Revisé su caso; le llamamos hoy.', supervisor)).status, 201);
  assert.equal((await get(jorge, n)).supervisor_review.state, 'answered');
  rep = (await api(srv, 'GET', '/api/v1/reports/summary', { tok: supervisor })).body;
  assert.ok(!rep.supervisor_reviews.open.includes(n));
});

test('English readers get English level, status and category names in mail and API', async () => {
  assert.equal((await api(srv, 'PATCH', '/api/v1/me', { tok: lucia, json: { lang: 'en' } })).status, 200);
  const n = mailIn(mail({ from: 'lucia@socioandino.com', subject: 'API limits', body: 'How many calls?' })).ticket;
  const ack = await waitMail('lucia@socioandino.com', n, (m) => /received your request/.test(m.text), 'the English acknowledgement');
  assert.match(ack.text, /Gold partner/);
  assert.doesNotMatch(ack.text, /Partner Oro/);
  const t = await get(lucia, n);
  assert.equal(t.sla.name, 'Gold partner');
  assert.equal(t.sla.reason, 'gold partner, Socio Andino');
  assert.equal(t.status_name, 'New');
  assert.equal(t.category_name, 'Support');
  const es = await get(agent, n);
  assert.equal(es.sla.name, 'Partner Oro');
  assert.equal(es.sla.reason, 'partner oro, compañía Socio Andino');
  assert.equal(es.status_name, 'Nuevo');
  assert.equal(es.category_name, 'Soporte');
  await patch(n, { status: 'pending_customer' });
  const st = await waitMail('lucia@socioandino.com', n, (m) => /is now: waiting for your answer/.test(m.text), 'the status notice');
  assert.match(st.text, /waiting for your answer/);
  assert.match(st.text, /the response time is paused/);
});
