// The admin's calendar what-if (issue 13, item 7): the running deadlines a
// proposed holiday or closure would move, computed before saving, equal
// exactly the moves that saving it makes; a wrong date is refused and
// changes nothing; the due time of a start and a target, with its
// explanation; a holiday that starts to apply in a later year. A move
// says so on the ticket: an "sla.due_moved" event with the due time before
// and after and who changed the calendar, so the agent sees why; a
// deadline already marked breached that a closure moves past now is
// breached no more (the policy counts only the desk's open time: an
// emergency pause is not time the customer waited for the desk), until
// the new due time passes.
//
// Instants against the "lima" calendar: America/Lima (UTC-5), Mon-Fri
// 08:00-18:30 = 630 open minutes a day; March 2026 has no holiday. The
// server's clock is AYUDA_FAKE_NOW (Mon 2026-03-02 09:00).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PG, newDataDir, token, serveAt as at, cleanup, api, sql as sqlText } from './helpers.mjs';
import { sql } from './auth_helpers.mjs';

const unix = (iso) => Date.parse(iso) / 1000;
const T0 = '2026-03-02T09:00:00-05:00';

function dataDir() {
  return newDataDir({
    env: { ...process.env, AYUDA_FAKE_NOW: String(unix('2026-03-02T08:00:00-05:00')) },
    conf: '[sla]\njobs_interval = 3600\n',
  });
}

// The demo's people these tests act as, by the names the tests give them.
const PEOPLE = { admin: 'admin@ayuda.localhost', agent: 'agente@ayuda.localhost', lucia: 'lucia@socioandino.com', maria: 'maria@acme.pe' };

// fn(dir, tokens) on a new data dir (dataDir()), removed afterwards;
// tokens.NAME is an API token of PEOPLE[NAME], made when first read.
async function onDesk(fn) {
  const dir = dataDir();
  const made = {};
  const tokens = Object.defineProperties({}, Object.fromEntries(Object.entries(PEOPLE)
    .map(([name, email]) => [name, { get: () => (made[name] ??= token(dir, email)) }])));
  try {
    return await fn(dir, tokens);
  } finally {
    cleanup(dir);
  }
}

// Every ticket's due time (unix seconds, or null for none), by number.
function dues(dir) {
  return new Map(sql(dir, 'SELECT number, sla_due_at FROM tickets ORDER BY number').map((r) => [r.number, r.sla_due_at]));
}

async function create(srv, tok, subject) {
  const r = await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject, body: 'Detalle de la consulta.' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function ok(res, status = 200) {
  const r = await res;
  assert.equal(r.status, status, JSON.stringify(r.body));
  return r.body;
}

test('the what-if of a holiday lists exactly the deadlines that saving it moves, by exactly as much', () => onDesk(async (dir, { admin, agent, lucia, maria }) => {
  await at(dir, T0, async (srv) => {
    // Gold 720 min from Mon 09:00: 570 Mon, 150 Tue -> Tue 10:30.
    const gold = await create(srv, lucia, 'Oro');
    assert.equal(gold.sla.due_at, '2026-03-03T10:30:00-05:00');
    // Commercial 1440: 570 Mon, 630 Tue, 240 Wed -> Wed 12:00.
    const com = await create(srv, maria, 'Comercial');
    assert.equal(com.sla.due_at, '2026-03-04T12:00:00-05:00');
    // One waiting for the customer (its clock paused) and one answered.
    const paused = await create(srv, maria, 'En espera');
    await ok(api(srv, 'PATCH', `/api/v1/tickets/${paused.number}`, { tok: agent, json: { status: 'pending_customer' } }));
    const answered = await create(srv, lucia, 'Respondido');
    await ok(api(srv, 'POST', `/api/v1/tickets/${answered.number}/messages`, { tok: agent, json: { body: 'Hecho.' } }), 201);

    const holiday = { date: '2026-03-03', name: 'Feriado de prueba' };
    const w = await ok(api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: admin, json: { holiday } }));
    assert.equal(w.calendar, 'lima');
    const byNumber = new Map(w.moved.map((m) => [m.ticket, m]));
    // A Tuesday holiday: a whole business day (630 min) later, a day of
    // wall time.
    assert.deepEqual(byNumber.get(gold.number), {
      ticket: gold.number, subject: 'Oro',
      due_before: '2026-03-03T10:30:00-05:00', due_after: '2026-03-04T10:30:00-05:00',
      business_minutes: 630, wall_minutes: 1440,
    });
    assert.equal(byNumber.get(com.number).due_after, '2026-03-05T12:00:00-05:00');
    assert.equal(byNumber.get(com.number).business_minutes, 630);
    assert.ok(byNumber.has(paused.number), 'a paused deadline moves too');
    assert.ok(!byNumber.has(answered.number), 'an answered ticket has no deadline to move');
    assert.ok(w.running >= w.moved.length);
    // Nothing was written.
    assert.equal((await ok(api(srv, 'GET', `/api/v1/tickets/${gold.number}`, { tok: agent }))).sla.due_at,
      '2026-03-03T10:30:00-05:00');

    const before = dues(dir);
    await ok(api(srv, 'POST', '/api/v1/calendars/lima/holidays', { tok: admin, json: holiday }), 201);
    const after = dues(dir);
    const actual = [...after].filter(([n, d]) => before.get(n) !== d)
      .map(([n, d]) => ({ ticket: n, before: before.get(n), after: d }));
    assert.deepEqual(actual, w.moved.map((m) => ({
      ticket: m.ticket, before: unix(m.due_before), after: unix(m.due_after),
    })));
    assert.equal(actual.length, w.moved.length);
    for (const m of w.moved) assert.equal(unix(m.due_after) - unix(m.due_before), m.wall_minutes * 60);
    assert.equal((await ok(api(srv, 'GET', `/api/v1/tickets/${gold.number}`, { tok: agent }))).sla.due_at,
      '2026-03-04T10:30:00-05:00');

    // The same what-if again: nothing left to move.
    const again = await ok(api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: admin, json: { holiday: { date: '2026-03-03', name: 'Otra vez' } } }));
    assert.deepEqual(again.moved, []);

    // The audit has the calendar before and after, and how many moved.
    const audit = await ok(api(srv, 'GET', '/api/v1/audit?kind=calendar.changed', { tok: admin }));
    const ev = audit.events[0];
    assert.equal(ev.data.calendar, 'lima');
    assert.ok(!ev.data.before.holidays.some((h) => h.name === 'Feriado de prueba'));
    assert.ok(ev.data.after.holidays.some((h) => h.name === 'Feriado de prueba'));
    assert.equal(ev.data.moved, w.moved.length);
  });
}));

test('a wrong date is refused naming the field, and changes nothing', () => onDesk(async (dir, { admin, lucia }) => {
  await at(dir, T0, async (srv) => {
    await create(srv, lucia, 'Oro');
    const spec = await ok(api(srv, 'GET', '/api/v1/calendars/lima', { tok: admin }));
    const rev = sql(dir, "SELECT rev FROM calendars WHERE name = 'lima'")[0].rev;
    const before = dues(dir);
    const audits = (await ok(api(srv, 'GET', '/api/v1/audit', { tok: admin }))).events.length;

    for (const [path, json, field] of [
      ['holidays', { date: '2026-02-30', name: 'No existe' }, 'date'],
      ['holidays', { date: '03/03/2026', name: 'Formato' }, 'date'],
      ['holidays', { date: '03-03', name: 'Desde', since: 'pronto' }, 'since'],
      ['closures', { from: '2026-03-03T12:00:00-05:00', to: '2026-03-03T08:00:00-05:00', reason: 'Al revés' }, 'to'],
      ['closures', { from: 'mañana', to: '2026-03-03T08:00:00-05:00', reason: 'Sin fecha' }, 'from'],
    ]) {
      const r = await api(srv, 'POST', `/api/v1/calendars/lima/${path}`, { tok: admin, json });
      assert.equal(r.status, 422, JSON.stringify(r.body));
      assert.equal(r.body.error.field, field, JSON.stringify(r.body));
      assert.match(r.body.error.message, /no es válid|debe/);
      const kind = path === 'holidays' ? 'holiday' : 'closure';
      const w = await api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: admin, json: { [kind]: json } });
      assert.equal(w.status, 422, JSON.stringify(w.body));
      assert.equal(w.body.error.field, field);
    }
    assert.equal((await api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: admin, json: {} })).status, 422);
    assert.deepEqual(await ok(api(srv, 'GET', '/api/v1/calendars/lima', { tok: admin })), spec);
    assert.equal(sql(dir, "SELECT rev FROM calendars WHERE name = 'lima'")[0].rev, rev);
    assert.deepEqual(dues(dir), before);
    assert.equal((await ok(api(srv, 'GET', '/api/v1/audit', { tok: admin }))).events.length, audits);
  });
}));

test('a closure moves the deadlines it overlaps; who may ask; the due time of a start and a target, explained', () => onDesk(async (dir, { admin, agent, maria }) => {
  await at(dir, T0, async (srv) => {
    const com = await create(srv, maria, 'Comercial'); // due Wed 12:00
    const closure = { from: '2026-03-04T08:00:00-05:00', to: '2026-03-04T12:00:00-05:00', reason: 'Corte de energía' };
    assert.equal((await api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: agent, json: { closure } })).status, 403);
    assert.equal((await api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: maria, json: { closure } })).status, 403);
    assert.equal((await api(srv, 'POST', '/api/v1/calendars/nope/what-if', { tok: admin, json: { closure } })).status, 404);
    const w = await ok(api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: admin, json: { closure } }));
    // Four open hours closed before it was due: Wed 16:00.
    const m = w.moved.find((x) => x.ticket === com.number);
    assert.equal(m.due_after, '2026-03-04T16:00:00-05:00');
    assert.equal(m.business_minutes, 240);
    assert.equal(m.wall_minutes, 240);

    // A start and a target: 720 min from Mon 09:00 -> Tue 10:30, the
    // same parts as the agent console's explanation.
    const q = '/api/v1/calendars/lima/due?start=2026-03-02T09:00:00-05:00&minutes=720';
    const x = await ok(api(srv, 'GET', q, { tok: agent }));
    assert.equal(x.due_at, '2026-03-03T10:30:00-05:00');
    assert.equal(x.target_minutes, 720);
    assert.equal(x.clock, 'business');
    assert.deepEqual(x.stretches.map((s) => [s.minutes, s.total]), [[570, 570], [150, 720]]);
    assert.deepEqual(x.skipped.map((s) => s.kind), ['night']);
    assert.deepEqual(x.pauses, []);
    // A Saturday start counts from Monday's opening.
    const sat = await ok(api(srv, 'GET', '/api/v1/calendars/lima/due?start=2026-03-07T10:00:00-05:00&minutes=60', { tok: agent }));
    assert.equal(sat.counted_from, '2026-03-09T08:00:00-05:00');
    assert.equal(sat.due_at, '2026-03-09T09:00:00-05:00');
    const bad = await api(srv, 'GET', '/api/v1/calendars/lima/due?start=lunes&minutes=60', { tok: agent });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.field, 'start');
    assert.equal((await api(srv, 'GET', '/api/v1/calendars/lima/due?start=2026-03-07T10:00:00-05:00&minutes=-1', { tok: agent })).body.error.field, 'minutes');
    assert.equal((await api(srv, 'GET', q, { tok: maria })).status, 404);
  });
}));

test('a holiday applies from the year it says: earlier deadlines and feeds are untouched', () => onDesk(async (dir, { admin, lucia }) => {
  await at(dir, T0, async (srv) => {
    await create(srv, lucia, 'Oro'); // due Tue 2026-03-03 10:30
    const holiday = { date: '03-03', name: 'Día del soporte', since: 2027 };
    const w = await ok(api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: admin, json: { holiday } }));
    assert.deepEqual(w.moved, []);
    await ok(api(srv, 'POST', '/api/v1/calendars/lima/holidays', { tok: admin, json: holiday }), 201);
    const ics26 = await api(srv, 'GET', '/calendars/lima.ics?year=2026');
    assert.doesNotMatch(ics26.body, /DTSTART;VALUE=DATE:20260303\r\n/);
    assert.match(ics26.body, /DTSTART;VALUE=DATE:20270303\r\n/); // the feed covers the next year too
    const x = await ok(api(srv, 'GET', '/api/v1/calendars/lima/due?start=2027-03-03T09:00:00-05:00&minutes=60', { tok: admin }));
    assert.equal(x.due_at, '2027-03-04T09:00:00-05:00');
    assert.deepEqual(x.skipped.map((s) => [s.kind, s.name]).filter(([k]) => k === 'holiday'), [['holiday', 'Día del soporte']]);
  });
}));

test('the what-if answers for 5000 running deadlines at once, within seconds', () => onDesk(async (dir, { admin, lucia }) => {
  await at(dir, T0, async (srv) => { await create(srv, lucia, 'Modelo'); });
  // 5000 more open tickets, each a copy of that one with its target.
  const cols = sqlText(dir, PG
    ? "SELECT string_agg(column_name, ',') FROM information_schema.columns WHERE table_schema = current_schema()" +
      " AND table_name = 'tickets' AND is_generated = 'NEVER' AND column_name NOT IN ('id', 'number', 'subject')"
    : "SELECT group_concat(name) FROM pragma_table_info('tickets') WHERE name NOT IN ('id', 'number', 'subject')");
  sqlText(dir, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 5000)
    INSERT INTO tickets (number, subject, ${cols})
    SELECT 100000 + i, 'Copia ' || i, ${cols} FROM tickets, k WHERE subject = 'Modelo';
    INSERT INTO sla_targets (ticket_id, level_id, kind, started_at, minutes, due_at, warn_at, paused_seconds)
    SELECT t.id, st.level_id, st.kind, st.started_at, st.minutes, st.due_at, st.warn_at, st.paused_seconds
    FROM tickets t, sla_targets st JOIN tickets m ON m.id = st.ticket_id AND m.subject = 'Modelo'
    WHERE t.number > 100000;`);
  await at(dir, T0, async (srv) => {
    const t0 = performance.now();
    const w = await ok(api(srv, 'POST', '/api/v1/calendars/lima/what-if', { tok: admin, json: { holiday: { date: '2026-03-03', name: 'Feriado' } } }));
    const ms = performance.now() - t0;
    assert.ok(w.moved.length >= 5001, `moved ${w.moved.length}`);
    assert.ok(ms < 3000, `the what-if took ${ms} ms`);
  });
}));

const moves = async (srv, tok, n) =>
  (await ok(api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok }))).events.filter((e) => e.kind === 'sla.due_moved');

// Wait for the SLA jobs' first run (at start), which ends with this log line.
async function jobsRan(srv) {
  for (let i = 0; i < 500 && !/msg="jobs run" scheduler=sla/.test(srv.log()); i++) await new Promise((r) => setTimeout(r, 10));
  assert.match(srv.log(), /msg="jobs run" scheduler=sla/);
}

test('a closure that moves a running deadline leaves why on the ticket, with the due time before and after', () => onDesk(async (dir, { admin, agent, maria }) => {
  await at(dir, T0, async (srv) => {
    // Commercial, 1440 business minutes from Mon 09:00: Wed 12:00.
    const tk = await create(srv, maria, 'Se cae');
    assert.equal(tk.sla.due_at, '2026-03-04T12:00:00-05:00');
    const adminId = (await ok(api(srv, 'GET', '/api/v1/me', { tok: admin }))).id;
    // Closed all Tuesday: the deadline moves one business day.
    await ok(api(srv, 'POST', '/api/v1/calendars/lima/closures', {
      tok: admin, json: { from: '2026-03-03T08:00:00-05:00', to: '2026-03-03T18:30:00-05:00', reason: 'Mudanza de la oficina' },
    }), 201);
    const after = await ok(api(srv, 'GET', `/api/v1/tickets/${tk.number}`, { tok: agent }));
    assert.equal(after.sla.due_at, '2026-03-05T12:00:00-05:00');
    const [ev, ...more] = await moves(srv, agent, tk.number);
    assert.deepEqual(more, []);
    assert.equal(ev.actor, adminId);
    // The calendar as people read it then: its title, beside its code.
    assert.deepEqual(ev.data, {
      calendar: 'lima', calendar_title: 'Lima (Perú)', due_before: unix('2026-03-04T12:00:00-05:00'),
      due_after: unix('2026-03-05T12:00:00-05:00'), breach_lifted: false,
    });
    // A change that moves nothing writes nothing on the ticket.
    await ok(api(srv, 'POST', '/api/v1/calendars/lima/closures', {
      tok: admin, json: { from: '2026-03-07T09:00:00-05:00', to: '2026-03-07T12:00:00-05:00', reason: 'Sábado' },
    }), 201);
    assert.equal((await moves(srv, agent, tk.number)).length, 1);
  });
}));

test('a breached deadline that a closure moves past now is breached no more, until the new one passes', () => onDesk(async (dir, { admin, agent, maria }) => {
  let n;
  await at(dir, T0, async (srv) => {
    n = (await create(srv, maria, 'Sin acceso')).number;
  });
  const breachedAt = () => sql(dir, `SELECT breached_at FROM sla_targets WHERE ticket_id = (SELECT id FROM tickets WHERE number = ${n})`)[0].breached_at;
  // Wed 13:30: due at 12:00, breached by the jobs at start.
  await at(dir, '2026-03-04T13:30:00-05:00', async (srv) => {
    await jobsRan(srv);
    assert.equal((await ok(api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent }))).sla.state, 'breached');
    assert.notEqual(breachedAt(), null);
    // The desk had no power from 08:00 to 13:00: the 240 minutes left
    // on Wednesday morning start at 13:00, due at 17:00.
    await ok(api(srv, 'POST', '/api/v1/calendars/lima/closures', {
      tok: admin, json: { from: '2026-03-04T08:00:00-05:00', to: '2026-03-04T13:00:00-05:00', reason: 'Corte de luz' },
    }), 201);
    const tk = await ok(api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent }));
    assert.equal(tk.sla.due_at, '2026-03-04T17:00:00-05:00');
    assert.notEqual(tk.sla.state, 'breached');
    assert.equal(breachedAt(), null);
    const [ev] = await moves(srv, agent, n);
    assert.equal(ev.data.breach_lifted, true);
    assert.equal(ev.data.due_before, unix('2026-03-04T12:00:00-05:00'));
  });
  // Wed 17:30: the new due time has passed; breached again, once more.
  await at(dir, '2026-03-04T17:30:00-05:00', async (srv) => {
    await jobsRan(srv);
    assert.equal((await ok(api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent }))).sla.state, 'breached');
    assert.equal(breachedAt(), unix('2026-03-04T17:30:00-05:00'));
  });
}));

test('a calendar has a title people read (its name is a code); a bad one is refused, naming the field', () => onDesk(async (dir, { admin }) => {
  await at(dir, T0, async (srv) => {
    const spec = await ok(api(srv, 'GET', '/api/v1/calendars/lima'));
    assert.equal(spec.name, 'lima');
    assert.equal(spec.title, 'Lima (Perú)');
    for (const title of ['', 'x'.repeat(121), 'dos\nlíneas', 7]) {
      const r = await api(srv, 'PUT', '/api/v1/calendars/lima', { tok: admin, json: { ...spec, title } });
      assert.equal(r.status, 422, JSON.stringify(title));
      assert.equal(r.body.error.field, 'title');
    }
    const renamed = await ok(api(srv, 'PUT', '/api/v1/calendars/lima', { tok: admin, json: { ...spec, title: 'Soporte Lima' } }));
    assert.equal(renamed.title, 'Soporte Lima');
    assert.equal((await ok(api(srv, 'GET', '/api/v1/calendars/lima'))).title, 'Soporte Lima');
    // 120 characters, as the message says, however many bytes they take.
    const accented = 'Perú '.repeat(24);
    assert.equal((await ok(api(srv, 'PUT', '/api/v1/calendars/lima', { tok: admin, json: { ...spec, title: accented } }))).title, accented);
  });
}));
