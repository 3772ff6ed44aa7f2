// Several `ayuda serve` on one database (issue 14, docs/scaling.md): three
// servers share one SQLite file (WAL lets processes share it; the same
// test runs on PostgreSQL when AYUDA_STORE_URL names one). Requests go to
// all three; one server is killed with SIGKILL while the SMTP sink holds
// a mail it is sending; then every notification arrived exactly once, every
// acknowledged ticket exists, the numbers are unique and gapless, and every
// SLA warning and breach is recorded and mailed once although the three
// servers run the SLA jobs at the same moment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, newDataDir, token, serve, stop, cleanup, api, sql } from './helpers.mjs';
import { header, mailConf } from './mailtools.mjs';
import { startSmtp, waitFor } from './mailservers.mjs';

const HOLD = 'hold@example.org';

// The value of one sample of a server's /metrics, or 0.
async function metric(srv, name) {
  const r = await api(srv, 'GET', '/metrics');
  const esc = name.replace(/[{}"=,.]/g, (c) => `\\${c}`);
  const m = r.body.match(new RegExp(`^${esc} (\\d+)$`, 'm'));
  return m ? Number(m[1]) : 0;
}

// The servers' leases (AYUDA_TEST_LEASE), in seconds: long enough that a
// live server's claims never run out while the test looks at them, even at
// a load average of 40 (3 s did: a fourth server's start outlasted it);
// short enough that the survivors take a killed server's rows within a
// bounded wait (allMailedOnce waits for them, it does not sleep).
const LEASE = 30;

// Three servers on dir.
async function three(dir, env = {}) {
  return Promise.all([0, 1, 2].map(() => serve(dir, { AYUDA_TEST_LEASE: String(LEASE), ...env })));
}

// Every mail the sink stored, by Message-ID: { id: count }.
function sinkIds(smtp) {
  const ids = {};
  for (const m of smtp.messages()) {
    const id = header(m.raw, 'Message-ID');
    ids[id] = (ids[id] || 0) + 1;
  }
  return ids;
}

// Wait until no outbox row is left to send, then check that the sink got
// the mail of every sent row exactly once and nothing else: a mail sent
// twice would arrive with a second Message-ID that no row records.
async function allMailedOnce(q, smtp, kick = []) {
  await waitFor(() => {
    for (const s of kick) s.child.kill('SIGUSR1');
    return q("SELECT COUNT(*) FROM outbox WHERE state IN ('pending', 'sending')") === '0';
  }, (LEASE + 60) * 1000, 'the outbox to drain');
  const rows = q("SELECT '<' || mail_message_id || '>' FROM outbox WHERE state = 'sent' ORDER BY id").split('\n').filter(Boolean);
  await waitFor(() => Object.keys(sinkIds(smtp)).length >= rows.length, 10000, 'the sink to store every mail');
  const got = sinkIds(smtp);
  const twice = Object.entries(got).filter(([, n]) => n > 1);
  assert.deepEqual(twice, [], 'no Message-ID arrived twice');
  assert.equal(new Set(rows).size, rows.length, 'each sent row has its own Message-ID');
  assert.deepEqual(Object.keys(got).sort(), [...rows].sort(), 'the sink holds exactly the sent rows');
  return rows.length;
}

test('three servers on one database: a server killed while sending loses and repeats nothing; each SLA notice once', { timeout: 360000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'ayuda-scaleout-'));
  const smtp = await startSmtp(join(work, 'smtp'));
  const dir = newDataDir();
  const q = (s) => sql(dir, s);
  writeFileSync(join(dir, 'ayuda.conf'), mailConf(smtp.port, '[sla]\njobs_interval = 3600\n'));
  execFileSync(BIN, ['user', 'add', '--data', dir, '--email', HOLD, '--name', 'Hold', '--role', 'customer']);
  const maria = token(dir, 'maria@acme.pe');
  const hold = token(dir, HOLD);
  const agent = token(dir, 'agente@ayuda.localhost');
  let srvs = [];
  try {
    srvs = await three(dir);
    const before = Number(q('SELECT COALESCE(MAX(number), 0) FROM tickets'));
    const acked = [];
    const create = async (srv, tok, subject) => {
      try {
        const r = await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject, body: 'Detalle de la consulta.' } });
        if (r.status === 201) acked.push({ number: r.body.number, subject });
      } catch { /* the killed server's connection: not acknowledged */ }
    };
    // A first round over all three, at once.
    await Promise.all(Array.from({ length: 15 }, (_, i) => create(srvs[i % 3], maria, `Consulta ${i}`)));
    assert.equal(acked.length, 15);
    // The sink holds the mail to HOLD; whichever server claimed it is
    // inside its SMTP transaction: that one is killed, while requests go on.
    await create(srvs[0], hold, 'Consulta retenida');
    await waitFor(() => existsSync(join(smtp.dir, 'held-1')), 20000, 'the sink to hold a mail');
    assert.match(readFileSync(join(smtp.dir, 'held-1'), 'utf8'), /hold@example\.org/);
    const holder = await waitFor(() => {
      const by = q(`SELECT DISTINCT o.claimed_by FROM outbox o JOIN tickets t ON t.id = o.ticket_id
        JOIN users u ON u.id = t.requester_id WHERE o.state = 'sending' AND COALESCE(o.recipient, u.email) = '${HOLD}'`);
      return by && !by.includes('\n') ? by : null;
    }, 10000, 'the held row\'s claim');
    const victim = srvs.find((s) => holder.endsWith(`:${new URL(s.url).port}`));
    assert.ok(victim, `a server named ${holder}`);
    assert.equal(await metric(victim, 'ayuda_outbox_sending'), 1);
    // A server started now (a restart of another) leaves that live claim
    // alone: it frees only its own and expired ones before it answers.
    srvs.push(await serve(dir, { AYUDA_TEST_LEASE: String(LEASE) }));
    assert.notEqual(q(`SELECT COUNT(*) FROM outbox o JOIN tickets t ON t.id = o.ticket_id
      WHERE t.number = ${acked.at(-1).number} AND o.state = 'sending' AND o.claimed_by = '${holder}'`), '0');
    const burst = Array.from({ length: 16 }, (_, i) => create(srvs[i % 4], maria, `Consulta tras el fallo ${i}`));
    const gone = new Promise((r) => victim.child.once('exit', r));
    victim.child.kill('SIGKILL');
    await gone;
    writeFileSync(join(smtp.dir, 'release'), '');
    await Promise.all(burst);
    const alive = srvs.filter((s) => s !== victim);
    await Promise.all(alive.map((s) => create(s, maria, `Consulta final ${s.url}`)));

    // Every acknowledged ticket exists, through any server; the numbers
    // are those of a sequence with no gap and no repeat.
    for (const t of acked) {
      const r = await api(alive[t.number % 2], 'GET', `/api/v1/tickets/${t.number}`, { tok: agent });
      assert.equal(r.status, 200, `Ticket#${t.number}`);
      assert.equal(r.body.subject, t.subject);
    }
    const numbers = q('SELECT number FROM tickets ORDER BY number').split('\n').map(Number);
    assert.deepEqual(numbers, Array.from({ length: numbers.length }, (_, i) => i + 1));
    assert.ok(numbers.length >= before + acked.length);
    // The killed server's claims expired and another server sent them; the
    // held mail arrived once, from a survivor.
    const sent = await allMailedOnce(q, smtp);
    assert.ok(sent >= acked.length, `${sent} mails for ${acked.length} tickets`);
    const toHold = smtp.messages().filter((m) => m.env.split('\n').slice(1).includes(HOLD));
    assert.equal(toHold.length, 1);
    await Promise.all(alive.map(stop));

    // The SLA jobs: three servers start at once past every new ticket's
    // warning (80%), then past its deadline; each runs the jobs at start.
    const ids = acked.map((t) => t.number).join(',');
    const targets = `SELECT st.%s FROM sla_targets st JOIN tickets t ON t.id = st.ticket_id
      WHERE st.kind = 'response' AND t.number IN (${ids})`;
    const warnAt = Number(q(targets.replace('%s', 'warn_at').replace('SELECT st.warn_at', 'SELECT MAX(st.warn_at)')));
    const dueAt = Number(q(targets.replace('%s', 'due_at').replace('SELECT st.due_at', 'SELECT MIN(st.due_at)')));
    assert.ok(warnAt < dueAt, 'one instant past every warning and before every deadline');
    // The customer without a company (HOLD) has no level, so no target.
    const withSla = q(targets.replace('st.%s', 't.number') + ' ORDER BY t.number').split('\n').map(Number);
    assert.equal(withSla.length, acked.length - 1);
    for (const [at, kind, event] of [[warnAt, 'sla_warning', 'sla.warning'], [dueAt + 7 * 86400, 'sla_breach', 'sla.breached']]) {
      srvs = await three(dir, { AYUDA_FAKE_NOW: String(at + 1) });
      await waitFor(async () => {
        const runs = await Promise.all(srvs.map(async (s) => await metric(s, 'ayuda_job_runs_total{job="sla",result="ran"}') +
          await metric(s, 'ayuda_job_runs_total{job="sla",result="skipped"}')));
        return runs.every((n) => n >= 1);
      }, 20000, 'every server\'s first SLA run');
      const per = q(`SELECT t.number || ':' || COUNT(e.id) FROM tickets t LEFT JOIN events e ON e.ticket_id = t.id
        AND e.kind = '${event}' WHERE t.number IN (${withSla}) GROUP BY t.number ORDER BY t.number`).split('\n');
      assert.deepEqual(per, withSla.map((n) => `${n}:1`), `${event} once a ticket`);
      const notices = Number(q(`SELECT COUNT(*) FROM outbox o JOIN tickets t ON t.id = o.ticket_id
        WHERE o.kind = '${kind}' AND t.number IN (${ids})`));
      assert.ok(notices >= withSla.length, `${notices} ${kind} rows`);
      await allMailedOnce(q, smtp);
      await Promise.all(srvs.map(stop));
      srvs = [];
    }
  } finally {
    await Promise.all(srvs.map((s) => (s.child.exitCode === null && s.child.signalCode === null ? stop(s) : null)));
    await smtp.stop();
    cleanup(dir);
    cleanup(work);
  }
});
