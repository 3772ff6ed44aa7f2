// A scheduled job goes on past a row that fails (issue 14: savepoints).
// The SLA jobs handle each due target inside a savepoint of its own
// (db_savepoint, job_row): a target whose writes fail (here a trigger
// refuses its breach event) is undone alone, logged and left due, and
// every other due target is breached and recorded. On PostgreSQL a failed
// statement aborts the whole transaction: without the savepoint, one bad
// row would undo the batch, every run. The same for the admin's "retry
// every failed mail": a row whose retry is refused is passed over. Runs
// on both engines (api/ and api-pg/jobs_rows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api, sql, PG } from './helpers.mjs';
import { waitFor } from './mailservers.mjs';

const DUE = "SELECT t.number FROM sla_targets st JOIN tickets t ON t.id = st.ticket_id WHERE st.kind = 'response'"
  + " AND st.met_at IS NULL AND st.paused_at IS NULL AND t.status NOT IN ('resolved', 'closed')";

test('the SLA jobs breach every due target but the one whose writes fail, which stays due', async () => {
  const dir = newDataDir();
  let srv;
  try {
    const due = sql(dir, `${DUE} AND st.breached_at IS NULL ORDER BY st.id`).split('\n').filter(Boolean).map(Number);
    assert.ok(due.length >= 3, `the demo has open tickets with a running target: ${due}`);
    // The first row the job takes: its breach event is refused.
    const bad = due[0];
    const tid = sql(dir, `SELECT id FROM tickets WHERE number = ${bad}`);
    sql(dir, PG
      ? "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$;"
        + ` CREATE TRIGGER test_refuse BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.kind = 'sla.breached' AND NEW.ticket_id = ${tid}) EXECUTE FUNCTION test_refuse()`
      : `CREATE TRIGGER test_refuse BEFORE INSERT ON events WHEN NEW.kind = 'sla.breached' AND NEW.ticket_id = ${tid}`
        + " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    // Years later: every running target is past its due time.
    srv = await serve(dir, { AYUDA_FAKE_NOW: String(Date.parse('2031-03-03T15:00:00Z') / 1000) });
    // The jobs run at start; the line comes after their commit.
    await waitFor(() => /msg="jobs run" scheduler=sla run=1/.test(srv.log()), 20000, 'the first run of the SLA jobs');
    const breached = sql(dir, `${DUE} AND st.breached_at IS NOT NULL ORDER BY t.number`).split('\n').filter(Boolean).map(Number);
    assert.deepEqual(breached, due.filter((n) => n !== bad).sort((a, b) => a - b), 'every other due target is breached');
    const events = sql(dir, "SELECT t.number FROM events e JOIN tickets t ON t.id = e.ticket_id WHERE e.kind = 'sla.breached' ORDER BY t.number")
      .split('\n').filter(Boolean).map(Number);
    assert.deepEqual(events, breached, 'and has its event');
    assert.equal(sql(dir, `${DUE} AND st.breached_at IS NULL`), String(bad), 'the refused one stays due, for the next run');
    assert.match(srv.log(), /msg="job row skipped" job=sla\.breached/);
    assert.doesNotMatch(srv.log(), /sla jobs failed/);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});

test('retrying every failed mail passes over one whose retry is refused, and retries the others', async () => {
  const dir = newDataDir();
  let srv;
  try {
    // No mail server configured: rows wait, nothing sends them meanwhile.
    sql(dir, "UPDATE outbox SET state = 'failed', last_error = 'test'");
    const ids = sql(dir, 'SELECT id FROM outbox ORDER BY id').split('\n').filter(Boolean).map(Number);
    assert.ok(ids.length >= 3, `the demo has mail: ${ids.length}`);
    const bad = ids[0];
    sql(dir, PG
      ? "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'"
        + " USING ERRCODE = 'check_violation'; END $$;"
        + ` CREATE TRIGGER test_refuse BEFORE UPDATE ON outbox FOR EACH ROW WHEN (OLD.id = ${bad}) EXECUTE FUNCTION test_refuse()`
      : `CREATE TRIGGER test_refuse BEFORE UPDATE ON outbox WHEN OLD.id = ${bad} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    srv = await serve(dir);
    const r = await api(srv, 'POST', '/api/v1/admin/outbox/retry', { tok: token(dir, 'admin@ayuda.localhost') });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body, { retried: ids.length - 1, skipped: 1 });
    assert.equal(sql(dir, "SELECT id FROM outbox WHERE state = 'failed'"), String(bad));
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});
