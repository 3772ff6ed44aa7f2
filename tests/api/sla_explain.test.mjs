// Why this deadline (GET /api/v1/tickets/N/sla/explain, issue 11 item 10),
// against a case worked by hand on the "lima" calendar (Mon-Fri
// 08:00-18:30, UTC-5; 2026-12-08 and 12-09 are holidays):
//
// Lucía's gold ticket (720 open minutes) arrives Monday 2026-12-07 17:00.
// Counted Monday 17:00-18:30 (90); skipped the night, Tuesday (Inmaculada
// Concepción), Wednesday (Batalla de Ayacucho), Thursday's early hours;
// counted Thursday 08:00-09:00 (60, 150 in all); the agent waits on the
// customer 09:00-10:00 (paused: 60 open minutes added); counted
// 10:00-18:30 (510, 660); the night; Friday 08:00-09:00 (60, 720). Due
// Friday 2026-12-11 09:00, an hour of open time after Thursday 18:30.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';

const unix = (iso) => String(Date.parse(iso) / 1000);
let dir, agent, lucia, pedro;

async function at(iso, fn) {
  const srv = await serve(dir, { AYUDA_FAKE_NOW: unix(iso) });
  try {
    return await fn(srv);
  } finally {
    await stop(srv);
  }
}

before(() => {
  dir = newDataDir({ env: { ...process.env, AYUDA_FAKE_NOW: unix('2026-12-07T17:00:00-05:00') }, conf: '[sla]\njobs_interval = 3600\n' });
  agent = token(dir, 'agente@ayuda.localhost');
  lucia = token(dir, 'lucia@socioandino.com');
  pedro = token(dir, 'pedro@bodegalibre.pe');
});

after(() => cleanup(dir));

test('the deadline explained: level, rule, stretches, holidays, nights and a pause', async () => {
  for (const [iso, status] of [['2026-12-10T09:00:00-05:00', 'pending_customer'], ['2026-12-10T10:00:00-05:00', 'open']]) {
    await at(iso, async (srv) => {
      const r = await api(srv, 'PATCH', '/api/v1/tickets/2', { tok: agent, json: { status } });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    });
  }
  await at('2026-12-10T12:00:00-05:00', async (srv) => {
    const t = await api(srv, 'GET', '/api/v1/tickets/2', { tok: agent });
    const r = await api(srv, 'GET', '/api/v1/tickets/2/sla/explain', { tok: agent });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const x = r.body;
    assert.equal(x.number, 2);
    assert.equal(x.level.code, 'partner_gold');
    assert.equal(x.level.target_minutes, 720);
    assert.equal(x.level.clock, 'business');
    assert.ok(x.rule.reason.length > 0);
    assert.equal(x.state, 'running');
    assert.equal(x.start, '2026-12-07T17:00:00-05:00');
    assert.equal(x.due_at, '2026-12-11T09:00:00-05:00');
    // The same due time as the ticket's own.
    assert.equal(x.due_at, t.body.sla.due_at);
    assert.deepEqual(x.stretches.map((s) => [s.from, s.to, s.minutes, s.total]), [
      ['2026-12-07T17:00:00-05:00', '2026-12-07T18:30:00-05:00', 90, 90],
      ['2026-12-10T08:00:00-05:00', '2026-12-10T09:00:00-05:00', 60, 150],
      ['2026-12-10T10:00:00-05:00', '2026-12-10T18:30:00-05:00', 510, 660],
      ['2026-12-11T08:00:00-05:00', '2026-12-11T09:00:00-05:00', 60, 720],
    ]);
    assert.deepEqual(x.skipped.map((s) => [s.kind, s.from, s.to, s.name ?? null]), [
      ['night', '2026-12-07T18:30:00-05:00', '2026-12-08T00:00:00-05:00', null],
      ['holiday', '2026-12-08T00:00:00-05:00', '2026-12-09T00:00:00-05:00', 'Inmaculada Concepción'],
      ['holiday', '2026-12-09T00:00:00-05:00', '2026-12-10T00:00:00-05:00', 'Batalla de Ayacucho'],
      ['night', '2026-12-10T00:00:00-05:00', '2026-12-10T08:00:00-05:00', null],
      ['night', '2026-12-10T18:30:00-05:00', '2026-12-11T08:00:00-05:00', null],
    ]);
    assert.deepEqual(x.pauses.map((p) => [p.from, p.to, p.added_minutes]), [
      ['2026-12-10T09:00:00-05:00', '2026-12-10T10:00:00-05:00', 60],
    ]);
    assert.equal(x.counted_minutes, 720);
    assert.equal(x.paused_minutes, 60);
    assert.equal(x.timeline.length, 10);
    // The requester may read it too; another customer may not see it.
    assert.equal((await api(srv, 'GET', '/api/v1/tickets/2/sla/explain', { tok: lucia })).status, 200);
    assert.equal((await api(srv, 'GET', '/api/v1/tickets/2/sla/explain', { tok: pedro })).status, 404);
  });
});
