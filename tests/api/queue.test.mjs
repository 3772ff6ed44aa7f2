// The agent console's queue views (GET /api/v1/tickets?view=, issue 11
// item 1): strict arrival order, the views, the filters, keyset pages, and
// the SLA state each row carries for a live countdown.
//
// Hand-worked times on the "lima" calendar (Mon-Fri 08:00-18:30, 630 open
// minutes a day; March 2026 has no holiday). The demo tickets are created
// Monday 2026-03-02 08:00 -05:00: #1 María (commercial, 1440 min), #2 Lucía
// (partner gold, 720 min), #3 Pedro (non-commercial, 7200 min). The server
// reads Tuesday 17:00: #1 has used 630 + 540 = 1170 min (81 %: at risk),
// #2 was due Tuesday 09:30 (breached), #3 has used 16 %.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';

const unix = (iso) => String(Date.parse(iso) / 1000);
let dir, srv, agent, maria;

before(async () => {
  dir = newDataDir({ env: { ...process.env, AYUDA_FAKE_NOW: unix('2026-03-02T08:00:00-05:00') }, conf: '[sla]\njobs_interval = 3600\n' });
  agent = token(dir, 'agente@ayuda.localhost');
  maria = token(dir, 'maria@acme.pe');
  srv = await serve(dir, { AYUDA_FAKE_NOW: unix('2026-03-03T17:00:00-05:00') });
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

async function view(q, tok = agent) {
  const r = await api(srv, 'GET', `/api/v1/tickets?${q}`, { tok });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
const numbers = (b) => b.tickets.map((t) => t.number);

test('the default view is every unsolved ticket in arrival order, each row ready for a countdown', async () => {
  const b = await view('view=unsolved');
  assert.equal(b.view, 'unsolved');
  assert.deepEqual(numbers(b), [1, 2, 3]);
  assert.equal(b.next, null);
  const [one, two] = b.tickets;
  assert.equal(one.subject, 'No puedo exportar contactos del CRM');
  assert.equal(one.requester.name, 'María Quispe');
  assert.equal(one.company.name, 'Acme Perú SAC');
  assert.equal(one.level, 'commercial');
  assert.equal(one.status, 'new');
  assert.equal(one.assignee, null);
  assert.equal(one.sla.target_minutes, 1440);
  assert.equal(one.sla.elapsed_minutes, 1170);
  assert.equal(one.sla.remaining_minutes, 270);
  assert.ok(Math.abs(one.sla.used - 1170 / 1440) < 1e-9);
  assert.equal(one.sla.due_at, '2026-03-04T11:00:00-05:00');
  assert.equal(one.sla.paused, false);
  assert.equal(one.sla.breached, false);
  assert.equal(one.sla.clock, 'business');
  assert.equal(one.sla.as_of, '2026-03-03T17:00:00-05:00');
  assert.equal(two.level, 'partner_gold');
  assert.equal(two.sla.breached, true);
});

test('at risk is 80 % of the target used, breached is past due', async () => {
  const risk = await view('view=at_risk');
  assert.deepEqual(numbers(risk), [1]);
  assert.ok(risk.tickets[0].sla.used >= 0.8);
  assert.deepEqual(numbers(await view('view=breached')), [2]);
});

test('filters combine with the view: level, company, category, status', async () => {
  assert.deepEqual(numbers(await view('view=unsolved&level=partner_gold')), [2]);
  const acme = (await view('view=unsolved')).tickets[0].company.id;
  assert.deepEqual(numbers(await view(`view=all&company=${acme}`)), [1]);
  assert.deepEqual(numbers(await view(`view=all&company=${acme}&level=partner_gold`)), []);
  assert.deepEqual(numbers(await view('view=unsolved&category=support&status=new')), [1, 2, 3]);
});

test('mine, unassigned and pending follow assignment and the paused clock', async () => {
  const p = await api(srv, 'PATCH', '/api/v1/tickets/3', { tok: agent, json: { assignee_id: (await api(srv, 'GET', '/api/v1/me', { tok: agent })).body.id } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  assert.deepEqual(numbers(await view('view=mine')), [3]);
  assert.deepEqual(numbers(await view('view=unassigned')), [1, 2]);
  assert.deepEqual(numbers(await view('view=unsolved&assignee=me')), [3]);
  const w = await api(srv, 'PATCH', '/api/v1/tickets/1', { tok: agent, json: { status: 'pending_customer' } });
  assert.equal(w.status, 200, JSON.stringify(w.body));
  const pend = await view('view=pending');
  assert.deepEqual(numbers(pend), [1]);
  assert.equal(pend.tickets[0].sla.paused, true);
  // A paused clock is not at risk any more.
  assert.deepEqual(numbers(await view('view=at_risk')), []);
});

test('keyset pages neither skip nor repeat', async () => {
  const seen = [];
  let q = 'view=all&limit=1';
  for (let i = 0; i < 10; i++) {
    const b = await view(q);
    seen.push(...numbers(b));
    if (b.next === null) break;
    q = `view=all&limit=1&after=${b.next}`;
  }
  assert.deepEqual(seen, [1, 2, 3]);
});

test('customers have no queue; an unknown view is refused', async () => {
  const c = await api(srv, 'GET', '/api/v1/tickets?view=unsolved', { tok: maria });
  assert.equal(c.status, 404);
  const u = await api(srv, 'GET', '/api/v1/tickets?view=todo', { tok: agent });
  assert.equal(u.status, 422);
  assert.equal(u.body.error.field, 'view');
  // The portal's list without view= is unchanged for her.
  const mine = await api(srv, 'GET', '/api/v1/tickets', { tok: maria });
  assert.equal(mine.status, 200);
});
