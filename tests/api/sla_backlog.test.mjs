// A backlog of SLA work (a server down for days) is worked off in short
// transactions, one batch at a time: a request that writes while the
// backlog is being cleared is committed between two batches, not after
// the whole backlog (issue 8, item 23).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api, sql as sqlRun } from './helpers.mjs';

const unix = (iso) => Date.parse(iso) / 1000;
const T0 = '2026-03-02T09:00:00-05:00'; // Mon: a commercial target is due Wed 12:00
const LATER = '2026-03-05T10:00:00-05:00'; // Thu: past every due
const N = 5000; // ten batches of 500

function sql(dir, query) {
  return sqlRun(dir, query);
}

test('an HTTP write gets in between the batches of an SLA backlog', async () => {
  const dir = newDataDir({
    env: { ...process.env, AYUDA_FAKE_NOW: String(unix(T0)) },
    conf: '[sla]\njobs_interval = 3600\n',
  });
  try {
    const maria = token(dir, 'maria@acme.pe');
    let srv = await serve(dir, { AYUDA_FAKE_NOW: String(unix(T0)) });
    const r = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Sin respuesta', body: 'Detalle.' } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const a = r.body.number;
    await stop(srv);
    // N copies of the ticket and its running target, made while the
    // server is down.
    sql(dir, `
      WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${N})
      INSERT INTO tickets (number, subject, status, category, channel, requester_id, company_id,
        sla_level, sla_reason, sla_level_id, created_at, updated_at)
      SELECT 10000 + i, subject, status, category, channel, requester_id, company_id, sla_level,
        sla_reason, sla_level_id, created_at, updated_at FROM tickets, k WHERE number = ${a};
      INSERT INTO sla_targets (ticket_id, level_id, kind, started_at, minutes, due_at, warn_at)
      SELECT t.id, st.level_id, st.kind, st.started_at, st.minutes, st.due_at, st.warn_at
      FROM tickets t, sla_targets st WHERE t.number > 10000
      AND st.ticket_id = (SELECT id FROM tickets WHERE number = ${a});`);
    const breached = () => Number(sql(dir, "SELECT COUNT(*) FROM events WHERE kind = 'sla.breached'"));
    const due = Number(sql(dir, `SELECT COUNT(*) FROM sla_targets WHERE kind = 'response'
      AND met_at IS NULL AND due_at <= ${unix(LATER)}`));
    assert.ok(due > N);

    // The jobs start with the server. Keep writing through HTTP, one
    // ticket after another, while the backlog is worked off: with short
    // transactions some of these writes are committed between two
    // batches; with one long transaction every write lands before the
    // first breach or after the last one. (Writing continuously, rather
    // than once after the first batch, keeps the test true on a loaded
    // machine where the whole backlog may pass between two polls.)
    srv = await serve(dir, { AYUDA_FAKE_NOW: String(unix(LATER)) });
    try {
      const written = [];
      for (let i = 0; i < 3000 && breached() < due; i++) {
        const w = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: `Durante el atraso ${i}`, body: 'Detalle.' } });
        assert.equal(w.status, 201, JSON.stringify(w.body));
        written.push(w.body.number);
      }
      for (let i = 0; i < 600 && breached() < due; i++)
        await new Promise((res) => setTimeout(res, 50));
      assert.equal(breached(), due);
      const [lo, hi] = sql(dir, "SELECT MIN(id), MAX(id) FROM events WHERE kind = 'sla.breached'").split('|').map(Number);
      const created = sql(dir, `SELECT e.id FROM events e JOIN tickets t ON t.id = e.ticket_id
        WHERE e.kind = 'ticket.created' AND t.number IN (${written.join(',')})`).split('\n').map(Number);
      const between = created.filter((id) => lo < id && id < hi);
      assert.ok(between.length > 0,
        `no write was committed while the backlog was worked off (writes ${created.join(',')}; breaches ${lo}..${hi})`);
    } finally {
      await stop(srv);
    }
  } finally {
    cleanup(dir);
  }
});
