// Black-box tests of the SLA engine: levels and their assignment, the
// response clock (pause/resume, met, breached, follow-ups), level versions,
// development reviews, pending reminders and auto-close, calendars, the jobs
// after a restart, and the `ayuda sla due` / `ayuda calendar` CLI.
//
// Every expected instant is worked out by hand in a comment against the
// "lima" calendar: America/Lima (UTC-5 all year, no DST), Mon-Fri
// 08:00-18:30 = 630 open minutes a day, Peru's national holidays (2026:
// Holy Thursday 04-02 and Good Friday 04-03, 12-08, 12-09, 12-25, ...).
// March 2026 has no holiday. The clock is controlled with AYUDA_FAKE_NOW,
// read by the server on every call, so moving time means restarting the
// server with a new value (the jobs run at start).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api, ayuda, sql as sqlRun } from './helpers.mjs';

// Unix seconds of an ISO 8601 instant.
const unix = (iso) => Date.parse(iso) / 1000;

// Run fn(srv) against a server whose clock reads `iso`, then stop it.
async function at(dir, iso, fn) {
  const srv = await serve(dir, { AYUDA_FAKE_NOW: String(unix(iso)) });
  try {
    return await fn(srv);
  } finally {
    await stop(srv);
  }
}

// A data dir whose demo data was created at `iso` (so the demo tickets'
// own targets do not interfere with the times under test).
function dataDir(iso = '2026-03-02T08:00:00-05:00') {
  return newDataDir({
    env: { ...process.env, AYUDA_FAKE_NOW: String(unix(iso)) },
    conf: '[sla]\njobs_interval = 3600\n',
  });
}

function sql(dir, query) {
  return sqlRun(dir, query);
}

async function create(srv, tok, subject, extra = {}) {
  const r = await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject, body: 'Detalle de la consulta.', ...extra } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function get(srv, tok, n) {
  const r = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

async function say(srv, tok, n, body, kind) {
  const r = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok, json: kind ? { body, kind } : { body } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
}

async function patch(srv, tok, n, json) {
  const r = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok, json });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

async function events(srv, tok, n) {
  const r = await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.events;
}

const count = (evs, kind) => evs.filter((e) => e.kind === kind).length;

// Wait until pred(events) holds: the jobs run on the scheduler thread, just
// after the server starts listening.
async function eventsUntil(srv, tok, n, pred, what) {
  for (let i = 0; i < 100; i++) {
    const evs = await events(srv, tok, n);
    if (pred(evs)) return evs;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what} on ticket ${n}`);
}

// How many runs of the SLA jobs the server has finished: each ends, after
// its commit, with the log line `msg="jobs run" scheduler=sla run=N`.
function jobRuns(srv) {
  const runs = [...srv.log().matchAll(/msg="jobs run" scheduler=sla run=(\d+)/g)];
  return runs.length ? Number(runs[runs.length - 1][1]) : 0;
}

async function runsReach(srv, n) {
  for (let i = 0; i < 500 && jobRuns(srv) < n; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(jobRuns(srv) >= n, `the SLA jobs did not finish run ${n}:\n${srv.log().slice(-2000)}`);
}

// Signal the server to run its jobs once more and wait until that run has
// finished. The run at start is waited for first, and the data dirs tick
// only hourly ([sla] jobs_interval), so the run that follows SIGUSR1 is one
// that began after it and saw everything written before.
async function rerunJobs(srv) {
  await runsReach(srv, 1);
  const before = jobRuns(srv);
  srv.child.kill('SIGUSR1');
  await runsReach(srv, before + 1);
}

// Monday 2026-03-02 09:00 in Lima = 14:00 UTC. Most tickets start here.
const T0 = '2026-03-02T09:00:00-05:00';

test('init creates the levels as data, with es/en names and descriptions', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    await at(dir, T0, async (srv) => {
      const r = await api(srv, 'GET', '/api/v1/sla/levels', { tok: agent });
      assert.equal(r.status, 200);
      const by = Object.fromEntries(r.body.levels.map((l) => [l.code, l]));
      assert.deepEqual(Object.keys(by).sort(), [
        'commercial', 'development', 'non_commercial', 'out_of_scope',
        'partner_bronze', 'partner_gold', 'partner_silver', 'unidentified']);
      // 12, 24, 48, 24 and 120 business hours, in minutes.
      const minutes = { partner_gold: 720, partner_silver: 1440, partner_bronze: 2880, commercial: 1440, non_commercial: 7200 };
      for (const [code, m] of Object.entries(minutes)) {
        assert.equal(by[code].response_minutes, m, code);
        assert.equal(by[code].clock, 'business', code);
        assert.equal(by[code].calendar, 'lima', code);
        assert.equal(by[code].version, 1, code);
      }
      for (const code of ['development', 'out_of_scope', 'unidentified'])
        assert.equal(by[code].response_minutes, null, code);
      assert.equal(by.development.review_days, 60);
      assert.equal(by.out_of_scope.closes, true);
      assert.equal(by.partner_gold.name.es, 'Partner Oro');
      assert.equal(by.partner_gold.name.en, 'Gold partner');
      for (const l of r.body.levels) {
        assert.ok(l.name.es && l.name.en && l.description.es && l.description.en, l.code);
      }
      // Only an admin edits levels.
      const denied = await api(srv, 'PATCH', '/api/v1/sla/levels/partner_gold', { tok: agent, json: { response_minutes: 60 } });
      assert.equal(denied.status, 403);
    });
  } finally {
    cleanup(dir);
  }
});

test('each level is assigned by the rules, with its reason and exact due time', async () => {
  const dir = dataDir();
  try {
    const add = (args) => JSON.parse(ayuda([...args, '--data', dir]));
    add(['company', 'add', '--name', 'Plata SA', '--partner-tier', 'silver', '--partner-active']);
    add(['company', 'add', '--name', 'Bronce SA', '--partner-tier', 'bronze', '--partner-active']);
    add(['company', 'add', '--name', 'Ex Socio SA', '--partner-tier', 'gold']); // membership not active
    add(['company', 'add', '--name', 'Propio SA', '--license-product', 'self_hosted', '--license-status', 'active', '--license-email', 'dora@propio.pe']);
    add(['company', 'add', '--name', 'Demo SA', '--license-product', 'cloud', '--license-plan', 'demo', '--license-status', 'active']);
    add(['company', 'add', '--name', 'NFR SA', '--license-product', 'self_hosted', '--license-plan', 'nfr', '--license-status', 'active']);
    add(['company', 'add', '--name', 'Vencida SA', '--license-product', 'cloud', '--license-plan', 'professional', '--license-status', 'expired']);
    const users = [
      ['ana@plata.pe', 'Plata SA', true],
      ['beto@bronce.pe', 'Bronce SA', true],
      ['ciro@exsocio.pe', 'Ex Socio SA', true],
      ['dora@propio.pe', 'Propio SA', true],
      ['eloy@propio.pe', 'Propio SA', false],
      ['fina@demo.pe', 'Demo SA', true],
      ['gabo@nfr.pe', 'NFR SA', true],
      ['hugo@vencida.pe', 'Vencida SA', true],
    ];
    for (const [email, company, contact] of users) {
      const u = add(['user', 'add', '--email', email, '--name', email.split('@')[0], '--role', 'customer',
        '--company', company, ...(contact ? ['--contact'] : [])]);
      assert.equal(u.email, email);
    }
    add(['user', 'add', '--email', 'nadie@example.com', '--name', 'Nadie', '--role', 'customer']);
    const tok = (e) => token(dir, e);
    const agent = tok('agente@ayuda.localhost');

    // All created at Mon 2026-03-02 09:00; Monday has 570 open minutes left
    // (09:00-18:30), each following weekday 630.
    const due = {
      // 720 = 570 Mon + 150 -> Tue 08:00 + 2:30
      gold: '2026-03-03T10:30:00-05:00',
      // 1440 = 570 Mon + 630 Tue + 240 -> Wed 08:00 + 4:00
      day: '2026-03-04T12:00:00-05:00',
      // 2880 = 570 + 630 Tue + 630 Wed + 630 Thu (2460) + 420 -> Fri 08:00 + 7:00
      bronze: '2026-03-06T15:00:00-05:00',
      // 7200 = 570 + 630 * 10 (Tue 3 .. Mon 16, 6870) + 330 -> Tue 17 08:00 + 5:30
      free: '2026-03-17T13:30:00-05:00',
      // development: 60 calendar days: Mar 2 + 29 = Mar 31, + 30 = Apr 30, + 1 = May 1
      review: '2026-05-01T09:00:00-05:00',
    };
    const cases = [
      ['lucia@socioandino.com', {}, 'partner_gold', 'partner oro, compañía Socio Andino', due.gold, 720],
      ['maria@acme.pe', {}, 'commercial', 'licencia comercial activa (cloud professional), contacto de soporte de Acme Perú SAC', due.day, 1440],
      ['jorge@acme.pe', {}, 'unidentified', 'no es contacto de soporte avalado de Acme Perú SAC', null, null],
      ['pedro@bodegalibre.pe', {}, 'non_commercial', 'plan free, compañía Bodega Libre', due.free, 7200],
      ['ana@plata.pe', {}, 'partner_silver', 'partner plata, compañía Plata SA', due.day, 1440],
      ['beto@bronce.pe', {}, 'partner_bronze', 'partner bronce, compañía Bronce SA', due.bronze, 2880],
      ['ciro@exsocio.pe', {}, 'unidentified', 'Ex Socio SA sin licencia activa reconocida', null, null],
      ['dora@propio.pe', {}, 'commercial', 'licencia comercial activa (self_hosted), contacto de soporte de Propio SA', due.day, 1440],
      ['eloy@propio.pe', {}, 'unidentified', 'no es contacto de soporte avalado de Propio SA', null, null],
      ['fina@demo.pe', {}, 'non_commercial', 'plan demo, compañía Demo SA', due.free, 7200],
      ['gabo@nfr.pe', {}, 'non_commercial', 'plan nfr, compañía NFR SA', due.free, 7200],
      ['hugo@vencida.pe', {}, 'unidentified', 'Vencida SA sin licencia activa reconocida', null, null],
      ['nadie@example.com', {}, 'unidentified', 'solicitante sin identificar', null, null],
      // The category comes first, even for a gold partner (only staff
      // file a question as out of scope).
      ['lucia@socioandino.com', { category: 'out_of_scope', by_staff: true }, 'out_of_scope', 'consulta fuera del alcance del soporte', null, null],
      ['maria@acme.pe', { category: 'development' }, 'development', 'escalado a desarrollo del fabricante', due.review, 60 * 1440],
    ];
    const toks = {};
    await at(dir, T0, async (srv) => {
      for (const [email, extra, level, reason, dueAt, remaining] of cases) {
        toks[email] ??= tok(email);
        const { by_staff: byStaff, ...fields } = extra;
        if (byStaff) fields.requester_id = (await api(srv, 'GET', '/api/v1/me', { tok: toks[email] })).body.id;
        const c = await create(srv, byStaff ? agent : toks[email], `consulta de ${email}`, fields);
        const what = `${email} ${JSON.stringify(extra)}`;
        assert.equal(c.sla.level, level, what);
        assert.equal(c.sla.reason, reason, what);
        assert.equal(c.sla.due_at, dueAt, what);
        assert.equal(c.sla.state, dueAt ? 'running' : 'none', what);
        assert.equal(c.sla.remaining_minutes, remaining, what);
        assert.equal(c.sla.policy_version, 1, what);
        // The agent's view and the queue show the same.
        const g = await get(srv, agent, c.number);
        assert.deepEqual(g.sla, c.sla, what);
      }
      const q = await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: agent });
      const row = q.body.tickets.find((t) => t.requester.email === 'lucia@socioandino.com' && t.sla.level === 'partner_gold' && t.subject.startsWith('consulta'));
      assert.equal(row.sla.due_at, due.gold);
    });
  } finally {
    cleanup(dir);
  }
});

test('pending_customer pauses the clock; the paused open time is added back', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const maria = token(dir, 'maria@acme.pe');
    let n;
    // Mon 09:00: commercial, 1440 min -> Wed 12:00 (see above).
    await at(dir, T0, async (srv) => {
      n = (await create(srv, maria, 'Exportación en blanco')).number;
    });
    // Mon 11:00: 120 open minutes used, 1320 left; the agent asks for data.
    await at(dir, '2026-03-02T11:00:00-05:00', async (srv) => {
      await say(srv, agent, n, '¿Nos envía una captura?', 'note'); // a note meets nothing
      const t = await patch(srv, agent, n, { status: 'pending_customer' });
      assert.equal(t.sla.state, 'paused');
      assert.equal(t.sla.due_at, '2026-03-04T12:00:00-05:00');
      assert.equal(t.sla.remaining_minutes, 1320);
    });
    // Tue 09:00, still paused: nothing runs down while we wait.
    await at(dir, '2026-03-03T09:00:00-05:00', async (srv) => {
      const t = await get(srv, agent, n);
      assert.equal(t.status, 'pending_customer');
      assert.equal(t.sla.state, 'paused');
      assert.equal(t.sla.remaining_minutes, 1320);
    });
    // Tue 10:00: resumed. Paused open time: Mon 11:00-18:30 = 450 + Tue
    // 08:00-10:00 = 120 -> 570 min. New due = Wed 12:00 + 570 open min:
    // Wed 12:00-18:30 = 390, 180 left -> Thu 08:00 + 3:00 = Thu 11:00.
    // (Check: 1320 left from Tue 10:00: 510 Tue + 630 Wed + 180 Thu.)
    await at(dir, '2026-03-03T10:00:00-05:00', async (srv) => {
      const t = await patch(srv, agent, n, { status: 'open' });
      assert.equal(t.sla.state, 'running');
      assert.equal(t.sla.due_at, '2026-03-05T11:00:00-05:00');
      assert.equal(t.sla.remaining_minutes, 1320);
    });
    // A second pause by the customer's silence, resumed by the customer's
    // own message: Wed 08:00 (510 Tue + 0 = 510 used since Tue 10:00; 1320
    // - 510 = 810 left) paused until Wed 10:30 (150 open min) -> due Thu
    // 11:00 + 150 = Thu 13:30.
    await at(dir, '2026-03-04T08:00:00-05:00', async (srv) => {
      const t = await patch(srv, agent, n, { status: 'pending_customer' });
      assert.equal(t.sla.state, 'paused');
      assert.equal(t.sla.remaining_minutes, 810);
    });
    await at(dir, '2026-03-04T10:30:00-05:00', async (srv) => {
      await say(srv, maria, n, 'Adjunto la captura.');
      const t = await get(srv, agent, n);
      assert.equal(t.status, 'open');
      assert.equal(t.sla.state, 'running');
      assert.equal(t.sla.due_at, '2026-03-05T13:30:00-05:00');
      assert.equal(t.sla.remaining_minutes, 810);
      // The agent answers: met. Used = open time from Mon 09:00 to Wed
      // 10:30 (570 + 630 + 150 = 1350) minus the paused 570 + 150 -> 630.
      await say(srv, agent, n, 'Gracias, ya lo vemos.');
      const m = await get(srv, agent, n);
      assert.equal(m.sla.state, 'met');
      assert.equal(m.sla.remaining_minutes, null);
      const evs = await events(srv, agent, n);
      const met = evs.filter((e) => e.kind === 'sla.met');
      assert.equal(met.length, 1);
      assert.equal(met[0].data.used_minutes, 630);
      assert.equal(met[0].data.on_time, true);
    });
    assert.equal(sql(dir, `SELECT used_minutes, paused_seconds / 60 FROM sla_targets WHERE ticket_id = (SELECT id FROM tickets WHERE number = ${n})`), '630|720');
  } finally {
    cleanup(dir);
  }
});

test('an agent reply meets the target, a late one breaches it, a note does not count, a follow-up starts a new one', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const maria = token(dir, 'maria@acme.pe');
    let onTime, late;
    await at(dir, T0, async (srv) => {
      onTime = (await create(srv, maria, 'A tiempo')).number;
      late = (await create(srv, maria, 'Tarde')).number;
    });
    // Mon 11:00: an internal note on both, a public reply on the first.
    await at(dir, '2026-03-02T11:00:00-05:00', async (srv) => {
      await say(srv, agent, late, 'Revisar la licencia', 'note');
      await say(srv, agent, onTime, 'Hola María, ¿qué navegador usa?');
      const a = await get(srv, agent, onTime);
      assert.equal(a.sla.state, 'met');
      assert.equal(a.status, 'open');
      const b = await get(srv, agent, late);
      assert.equal(b.sla.state, 'running');
      // 1440 - 120 used (Mon 09:00-11:00).
      assert.equal(b.sla.remaining_minutes, 1320);
      assert.equal(count(await events(srv, agent, late), 'sla.met'), 0);
    });
    // Tue 10:00: the customer follows up on the answered ticket: a new
    // target from Tue 10:00, 1440 min: 510 Tue + 630 Wed = 1140, 300 left
    // -> Thu 08:00 + 5:00 = Thu 13:00.
    await at(dir, '2026-03-03T10:00:00-05:00', async (srv) => {
      await say(srv, maria, onTime, 'Chrome 120. ¿Alguna novedad?');
      const a = await get(srv, agent, onTime);
      assert.equal(a.sla.state, 'running');
      assert.equal(a.sla.due_at, '2026-03-05T13:00:00-05:00');
      assert.equal(a.sla.started_at, '2026-03-03T10:00:00-05:00');
      assert.equal(a.sla.remaining_minutes, 1440);
      // A second customer message while one is running starts nothing.
      await say(srv, maria, onTime, 'Olvidé decir que es urgente.');
      assert.equal(sql(dir, `SELECT COUNT(*) FROM sla_targets WHERE ticket_id = (SELECT id FROM tickets WHERE number = ${onTime})`), '2');
    });
    // Thu 09:00: the second ticket is past its due (Wed 12:00) by Wed
    // 12:00-18:30 = 390 + Thu 08:00-09:00 = 60 -> 450 open minutes.
    await at(dir, '2026-03-05T09:00:00-05:00', async (srv) => {
      const b = await get(srv, agent, late);
      assert.equal(b.sla.state, 'breached');
      assert.equal(b.sla.due_at, '2026-03-04T12:00:00-05:00');
      assert.equal(b.sla.remaining_minutes, -450);
      await say(srv, agent, late, 'Disculpe la demora.');
      const after = await get(srv, agent, late);
      assert.equal(after.sla.state, 'breached');
      const evs = await events(srv, agent, late);
      const met = evs.filter((e) => e.kind === 'sla.met');
      assert.equal(met.length, 1);
      assert.equal(met[0].data.on_time, false);
      // 570 Mon + 630 Tue + 630 Wed + 60 Thu.
      assert.equal(met[0].data.used_minutes, 1890);
    });
    assert.equal(sql(dir, `SELECT used_minutes, CASE WHEN met_at > due_at THEN 1 ELSE 0 END FROM sla_targets WHERE ticket_id = (SELECT id FROM tickets WHERE number = ${late})`), '1890|1');
  } finally {
    cleanup(dir);
  }
});

test('editing a level changes the deadlines computed after the edit only', async () => {
  const dir = dataDir();
  try {
    const admin = token(dir, 'admin@ayuda.localhost');
    const agent = token(dir, 'agente@ayuda.localhost');
    const lucia = token(dir, 'lucia@socioandino.com');
    await at(dir, T0, async (srv) => {
      const old = await create(srv, lucia, 'Antes del cambio');
      assert.equal(old.sla.due_at, '2026-03-03T10:30:00-05:00'); // 720 min
      const e = await api(srv, 'PATCH', '/api/v1/sla/levels/partner_gold', {
        tok: admin, json: { response_minutes: 240, name_en: 'Gold partner (4 h)' },
      });
      assert.equal(e.status, 200, JSON.stringify(e.body));
      assert.equal(e.body.version, 2);
      assert.equal(e.body.response_minutes, 240);
      assert.equal(e.body.name.en, 'Gold partner (4 h)');
      assert.equal(e.body.name.es, 'Partner Oro');
      const bad = await api(srv, 'PATCH', '/api/v1/sla/levels/partner_gold', { tok: admin, json: { response_minutes: -5 } });
      assert.equal(bad.status, 422);
      assert.equal((await api(srv, 'PATCH', '/api/v1/sla/levels/nope', { tok: admin, json: { response_minutes: 5 } })).status, 404);
      // A new ticket: 240 min from Mon 09:00 -> Mon 13:00, version 2.
      const neu = await create(srv, lucia, 'Después del cambio');
      assert.equal(neu.sla.due_at, '2026-03-02T13:00:00-05:00');
      assert.equal(neu.sla.policy_version, 2);
      // The old ticket keeps version 1 and its due.
      const o = await get(srv, agent, old.number);
      assert.equal(o.sla.policy_version, 1);
      assert.equal(o.sla.due_at, '2026-03-03T10:30:00-05:00');
      // ... also for its next target: reply, then a follow-up at Mon 09:00
      // again gets 720 minutes, not 240.
      await say(srv, agent, old.number, 'Respuesta');
      await say(srv, lucia, old.number, 'Otra pregunta');
      const o2 = await get(srv, agent, old.number);
      assert.equal(o2.sla.due_at, '2026-03-03T10:30:00-05:00');
      assert.equal(o2.sla.policy_version, 1);
      const evs = await api(srv, 'GET', '/api/v1/sla/levels', { tok: agent });
      assert.equal(evs.body.levels.find((l) => l.code === 'partner_gold').version, 2);
    });
    assert.equal(sql(dir, "SELECT version, response_minutes, current FROM sla_levels WHERE code = 'partner_gold' ORDER BY version"), '1|720|0\n2|240|1');
  } finally {
    cleanup(dir);
  }
});

test('identifying the requester or changing the category reassesses the level', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const jorge = token(dir, 'jorge@acme.pe');
    const maria = token(dir, 'maria@acme.pe');
    let n, m;
    await at(dir, T0, async (srv) => {
      const t = await create(srv, jorge, 'Sin contacto');
      n = t.number;
      assert.equal(t.sla.level, 'unidentified');
      assert.equal(t.sla.state, 'none');
      m = (await create(srv, maria, 'Pausado y recategorizado')).number;
    });
    // The company endorses Jorge as a support contact and registers his
    // address with the licence (the accounts module does this; here
    // straight in the database, server stopped).
    sql(dir, "UPDATE users SET is_contact = 1 WHERE email = 'jorge@acme.pe'");
    sql(dir, "INSERT INTO company_ids (company_id, kind, value, created_at) SELECT id, 'license_email', 'jorge@acme.pe', 0 FROM companies WHERE name = 'Acme Perú SAC'");
    // Mon 11:00: an agent asks to reassess: commercial, and the clock starts
    // now (there was none while unidentified): 1440 min from Mon 11:00 =
    // 450 Mon + 630 Tue = 1080, 360 left -> Wed 08:00 + 6:00 = Wed 14:00.
    await at(dir, '2026-03-02T11:00:00-05:00', async (srv) => {
      assert.equal((await api(srv, 'POST', `/api/v1/tickets/${n}/sla/reassess`, { tok: jorge })).status, 404);
      const r = await api(srv, 'POST', `/api/v1/tickets/${n}/sla/reassess`, { tok: agent });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.sla.level, 'commercial');
      assert.equal(r.body.sla.reason, 'licencia comercial activa (cloud professional), contacto de soporte de Acme Perú SAC');
      assert.equal(r.body.sla.due_at, '2026-03-04T14:00:00-05:00');
      assert.equal(r.body.sla.state, 'running');
      const ev = (await events(srv, agent, n)).find((e) => e.kind === 'sla.level');
      assert.deepEqual([ev.data.from, ev.data.to], ['unidentified', 'commercial']);
      // Maria's ticket waits for her from Mon 11:00 (120 min used).
      await patch(srv, agent, m, { status: 'pending_customer' });
    });
    // Tue 10:00, still pending: the category becomes commercial (sales);
    // the level is the same, so nothing changes. Then out of scope: no
    // clock at all.
    await at(dir, '2026-03-03T10:00:00-05:00', async (srv) => {
      const a = await patch(srv, agent, m, { category: 'commercial' });
      assert.equal(a.sla.level, 'commercial');
      assert.equal(a.sla.state, 'paused');
      assert.equal(a.sla.remaining_minutes, 1320);
      const b = await patch(srv, agent, m, { category: 'out_of_scope' });
      assert.equal(b.sla.level, 'out_of_scope');
      assert.equal(b.sla.state, 'none');
      assert.equal(b.sla.due_at, null);
    });
  } finally {
    cleanup(dir);
  }
});

test('development: review due after 60 days, notice, extension by 60 days with a new notice', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const maria = token(dir, 'maria@acme.pe');
    let dev, plain, recat;
    await at(dir, T0, async (srv) => {
      const d = await create(srv, maria, 'Error en el módulo de facturas', { category: 'development' });
      dev = d.number;
      assert.equal(d.sla.level, 'development');
      assert.equal(d.sla.target, 'review');
      // 60 calendar days: Mar 2 09:00 -> May 1 09:00 (a holiday: calendar days count).
      assert.equal(d.sla.due_at, '2026-05-01T09:00:00-05:00');
      assert.equal(d.sla.state, 'running');
      plain = (await create(srv, maria, 'Otra consulta')).number;
      recat = (await create(srv, maria, 'Resulta ser un bug')).number;
      // Extending a ticket that is not escalated is refused; a customer
      // cannot extend at all.
      assert.equal((await api(srv, 'POST', `/api/v1/tickets/${plain}/sla/extend`, { tok: agent })).status, 422);
      assert.equal((await api(srv, 'POST', `/api/v1/tickets/${dev}/sla/extend`, { tok: maria })).status, 404);
    });
    // Tue 10:00: an agent escalates the third ticket; its response clock
    // stops and the review is due 60 days later: Tue Mar 3 10:00 + 60 d =
    // Sat May 2 10:00.
    await at(dir, '2026-03-03T10:00:00-05:00', async (srv) => {
      const t = await patch(srv, agent, recat, { category: 'development' });
      assert.equal(t.sla.level, 'development');
      assert.equal(t.sla.due_at, '2026-05-02T10:00:00-05:00');
      const evs = await events(srv, agent, recat);
      assert.equal(evs.find((e) => e.kind === 'sla.level').data.to, 'development');
    });
    // May 1 09:30: the first review falls due: one notice to the customer.
    await at(dir, '2026-05-01T09:30:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, dev, (e) => count(e, 'development.review_due') === 1, 'review notice');
      // An overdue review is not an SLA breach: 30 minutes overdue.
      const due = await get(srv, agent, dev);
      assert.equal(due.sla.state, 'running');
      assert.equal(due.sla.remaining_minutes, -30);
      await rerunJobs(srv);
      assert.equal(count(await events(srv, agent, dev), 'development.review_due'), 1);
      assert.equal(count(await events(srv, agent, recat), 'development.review_due'), 0);
      // The agent extends: May 1 09:00 + 60 days = Jun 30 09:00.
      const x = await api(srv, 'POST', `/api/v1/tickets/${dev}/sla/extend`, { tok: agent });
      assert.equal(x.status, 200, JSON.stringify(x.body));
      assert.equal(x.body.sla.due_at, '2026-06-30T09:00:00-05:00');
      assert.equal(x.body.sla.state, 'running');
      assert.equal(count(await events(srv, agent, dev), 'development.extended'), 1);
    });
    const rows = sql(dir, `SELECT kind, recipient FROM outbox WHERE ticket_id = (SELECT id FROM tickets WHERE number = ${dev}) AND kind LIKE 'development%' ORDER BY id`);
    assert.equal(rows, 'development_review|maria@acme.pe\ndevelopment_extended|maria@acme.pe');
    // Jun 30 09:00: the extended review falls due: a second notice.
    await at(dir, '2026-06-30T09:00:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, dev, (e) => count(e, 'development.review_due') === 2, 'second review notice');
    });
  } finally {
    cleanup(dir);
  }
});

test('pending_customer: a reminder after 3 business days, auto-close after 10', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const maria = token(dir, 'maria@acme.pe');
    let n, quiet;
    await at(dir, T0, async (srv) => {
      n = (await create(srv, maria, 'Falta información')).number;
      quiet = (await create(srv, maria, 'Otra')).number;
      await say(srv, agent, n, '¿Nos envía el registro de errores?');
      await patch(srv, agent, n, { status: 'pending_customer' });
    });
    const reminders = () => sql(dir, `SELECT COUNT(*) FROM outbox WHERE kind = 'pending_reminder' AND ticket_id = (SELECT id FROM tickets WHERE number = ${n})`);
    // 3 business days = 3 * 630 = 1890 open minutes from Mon 09:00: 570
    // Mon + 630 Tue + 630 Wed = 1830, 60 left -> Thu Mar 5 09:00.
    await at(dir, '2026-03-05T08:59:00-05:00', async (srv) => {
      await rerunJobs(srv);
      assert.equal(count(await events(srv, agent, n), 'ticket.pending_reminder'), 0);
    });
    assert.equal(reminders(), '0');
    await at(dir, '2026-03-05T09:00:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, n, (e) => count(e, 'ticket.pending_reminder') === 1, 'reminder');
    });
    // Later runs do not repeat it.
    await at(dir, '2026-03-06T12:00:00-05:00', async (srv) => {
      await rerunJobs(srv);
      assert.equal(count(await events(srv, agent, n), 'ticket.pending_reminder'), 1);
    });
    assert.equal(reminders(), '1');
    assert.equal(sql(dir, `SELECT recipient FROM outbox WHERE kind = 'pending_reminder' AND ticket_id = (SELECT id FROM tickets WHERE number = ${n})`), 'maria@acme.pe');
    // 10 business days = 6300 open minutes = ten whole days from Mon 09:00
    // -> Mon Mar 16 09:00 (no holiday in between).
    await at(dir, '2026-03-16T08:59:00-05:00', async (srv) => {
      await rerunJobs(srv);
      assert.equal((await get(srv, agent, n)).status, 'pending_customer');
    });
    await at(dir, '2026-03-16T09:00:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, n, (e) => count(e, 'ticket.auto_closed') === 1, 'auto-close');
      const t = await get(srv, agent, n);
      assert.equal(t.status, 'closed');
      assert.equal(count(await events(srv, agent, quiet), 'ticket.auto_closed'), 0);
    });
    assert.equal(sql(dir, `SELECT COUNT(*), MIN(recipient) FROM outbox WHERE kind = 'pending_closed' AND ticket_id = (SELECT id FROM tickets WHERE number = ${n})`), '1|maria@acme.pe');
  } finally {
    cleanup(dir);
  }
});

test('the reminder and close periods are configurable', async () => {
  const dir = dataDir();
  try {
    const conf = '[sla]\njobs_interval = 3600\npending_reminder_days = 1\npending_close_days = 2\n';
    execFileSync('tee', [join(dir, 'ayuda.conf')], { input: conf, stdio: ['pipe', 'ignore', 'inherit'] });
    const agent = token(dir, 'agente@ayuda.localhost');
    const maria = token(dir, 'maria@acme.pe');
    let n;
    await at(dir, T0, async (srv) => {
      n = (await create(srv, maria, 'Espera')).number;
      await patch(srv, agent, n, { status: 'pending_customer' });
    });
    // One business day from Mon 09:00 -> Tue 09:00; two -> Wed 09:00.
    await at(dir, '2026-03-03T09:00:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, n, (e) => count(e, 'ticket.pending_reminder') === 1, 'reminder');
      assert.equal((await get(srv, agent, n)).status, 'pending_customer');
    });
    await at(dir, '2026-03-04T09:00:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, n, (e) => count(e, 'ticket.auto_closed') === 1, 'auto-close');
    });
  } finally {
    cleanup(dir);
  }
});

test('a closed ticket stops its clock: no breach is reported for it, a reopen resumes it', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const maria = token(dir, 'maria@acme.pe');
    let n;
    await at(dir, T0, async (srv) => {
      n = (await create(srv, maria, 'Ya lo resolví yo')).number;
      await patch(srv, maria, n, { status: 'closed' });
    });
    // Fri: long past Wed 12:00.
    await at(dir, '2026-03-06T12:00:00-05:00', async (srv) => {
      await rerunJobs(srv);
      const evs = await events(srv, agent, n);
      assert.equal(count(evs, 'sla.breached'), 0);
      assert.equal(count(evs, 'sla.warning'), 0);
      // The clock stands still while closed.
      assert.equal((await get(srv, agent, n)).sla.state, 'paused');
      // The customer reopens it on Fri 12:00: the clock resumes with all
      // the time it stood still added back: 1440 min left from Fri 12:00 =
      // 390 Fri + 630 Mon 9 (1020) + 420 -> Tue 10 08:00 + 7:00 = 15:00.
      const r = await patch(srv, maria, n, { status: 'open' });
      assert.equal(r.sla.state, 'running');
      assert.equal(r.sla.due_at, '2026-03-10T15:00:00-05:00');
      assert.equal(r.sla.remaining_minutes, 1440);
    });
  } finally {
    cleanup(dir);
  }
});

test('calendars: read, add a holiday (admin only), due times skip it, public iCalendar feed', async () => {
  const dir = dataDir();
  try {
    const admin = token(dir, 'admin@ayuda.localhost');
    const agent = token(dir, 'agente@ayuda.localhost');
    const lucia = token(dir, 'lucia@socioandino.com');
    await at(dir, T0, async (srv) => {
      const c = await api(srv, 'GET', '/api/v1/calendars/lima', { tok: agent });
      assert.equal(c.status, 200);
      assert.equal(c.body.timezone, 'America/Lima');
      assert.deepEqual(c.body.hours.mon, [['08:00', '18:30']]);
      assert.deepEqual(c.body.hours.sat, []);
      assert.ok(c.body.holidays.some((h) => h.easter === -3 && h.name === 'Jueves Santo'));
      const list = await api(srv, 'GET', '/api/v1/calendars', { tok: agent });
      assert.deepEqual(list.body.calendars.map((x) => x.name), ['lima']);
      assert.equal((await api(srv, 'GET', '/api/v1/calendars/nope', { tok: agent })).status, 404);

      const holiday = { date: '2026-03-03', name: 'Feriado de prueba' };
      assert.equal((await api(srv, 'POST', '/api/v1/calendars/lima/holidays', { tok: agent, json: holiday })).status, 403);
      assert.equal((await api(srv, 'POST', '/api/v1/calendars/lima/holidays', { tok: lucia, json: holiday })).status, 403);
      const bad = await api(srv, 'POST', '/api/v1/calendars/lima/holidays', { tok: admin, json: { date: '2026-02-30', name: 'x' } });
      assert.equal(bad.status, 422);
      const h = await api(srv, 'POST', '/api/v1/calendars/lima/holidays', { tok: admin, json: holiday });
      assert.equal(h.status, 201, JSON.stringify(h.body));
      assert.ok(h.body.holidays.some((x) => x.date === '2026-03-03'));
      // Gold, 720 min from Mon 09:00: 570 Mon, Tue closed, 150 -> Wed 10:30.
      const t = await create(srv, lucia, 'Con feriado');
      assert.equal(t.sla.due_at, '2026-03-04T10:30:00-05:00');

      // An emergency closure Wed 08:00-12:00 pushes the next one: 570 Mon,
      // Tue holiday, Wed 12:00 + 2:30 -> 14:30.
      const cl = await api(srv, 'POST', '/api/v1/calendars/lima/closures', {
        tok: admin, json: { from: '2026-03-04T08:00:00-05:00', to: '2026-03-04T12:00:00-05:00', reason: 'Corte de energía' },
      });
      assert.equal(cl.status, 201, JSON.stringify(cl.body));
      const t2 = await create(srv, lucia, 'Con cierre');
      assert.equal(t2.sla.due_at, '2026-03-04T14:30:00-05:00');
      const evs = await api(srv, 'GET', `/api/v1/tickets/${t.number}`, { tok: agent });
      assert.equal(evs.body.sla.due_at, '2026-03-04T14:30:00-05:00'); // a running due moves with the closure

      // The public feed: no token needed.
      const ics = await api(srv, 'GET', '/calendars/lima.ics');
      assert.equal(ics.status, 200);
      assert.match(ics.headers.get('content-type'), /^text\/calendar/);
      assert.match(ics.body, /^BEGIN:VCALENDAR\r\n/);
      assert.match(ics.body, /DTSTART;VALUE=DATE:20260402\r\n/); // Holy Thursday 2026
      assert.match(ics.body, /DTSTART;VALUE=DATE:20261208\r\n/);
      assert.match(ics.body, /SUMMARY:Jueves Santo\r\n/);
      assert.match(ics.body, /SUMMARY:Feriado de prueba\r\n/);
      assert.match(ics.body, /DTSTART;VALUE=DATE:20270325\r\n/); // Holy Thursday 2027
      const y = await api(srv, 'GET', '/calendars/lima.ics?year=2027');
      assert.equal(y.status, 200);
      assert.doesNotMatch(y.body, /DTSTART;VALUE=DATE:2026/);
      assert.equal((await api(srv, 'GET', '/calendars/nope.ics')).status, 404);
    });
  } finally {
    cleanup(dir);
  }
});

test('a restarted server still sends the warnings and breaches that fell due while it was down', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const maria = token(dir, 'maria@acme.pe');
    let n, agentId;
    // Mon 09:00: commercial, due Wed 12:00; 80% = 1152 min: 570 Mon, 582
    // left -> Tue 08:00 + 9:42 = Tue 17:42.
    await at(dir, T0, async (srv) => {
      n = (await create(srv, maria, 'Se cae la sincronización')).number;
      agentId = (await api(srv, 'GET', '/api/v1/me', { tok: agent })).body.id;
      await patch(srv, agent, n, { assignee_id: agentId });
    });
    const outbox = (kind) => sql(dir, `SELECT recipient FROM outbox WHERE kind = '${kind}' AND ticket_id = (SELECT id FROM tickets WHERE number = ${n}) ORDER BY recipient`);
    // Down until Tue 17:41: nothing is due yet.
    await at(dir, '2026-03-03T17:41:00-05:00', async (srv) => {
      await rerunJobs(srv);
      assert.equal(count(await events(srv, agent, n), 'sla.warning'), 0);
    });
    assert.equal(outbox('sla_warning'), '');
    // Down past 80% (Wed 09:00): the warning is sent at start, once.
    await at(dir, '2026-03-04T09:00:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, n, (e) => count(e, 'sla.warning') === 1, 'warning');
      await rerunJobs(srv);
      const evs = await events(srv, agent, n);
      assert.equal(count(evs, 'sla.warning'), 1);
      assert.equal(count(evs, 'sla.breached'), 0);
    });
    // Another restart before the due: nothing new.
    await at(dir, '2026-03-04T11:00:00-05:00', async (srv) => {
      await rerunJobs(srv);
      assert.equal(count(await events(srv, agent, n), 'sla.warning'), 1);
    });
    // Down past 100% (Wed 13:00): the breach, once.
    await at(dir, '2026-03-04T13:00:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, n, (e) => count(e, 'sla.breached') === 1, 'breach');
      const t = await get(srv, agent, n);
      assert.equal(t.sla.state, 'breached');
      assert.equal(t.sla.remaining_minutes, -60);
    });
    await at(dir, '2026-03-05T13:00:00-05:00', async (srv) => {
      await rerunJobs(srv);
      const evs = await events(srv, agent, n);
      assert.equal(count(evs, 'sla.warning'), 1);
      assert.equal(count(evs, 'sla.breached'), 1);
    });
    // One outbox row per staff recipient: the assignee and the supervisor.
    assert.equal(outbox('sla_warning'), 'agente@ayuda.localhost\nsupervisora@ayuda.localhost');
    assert.equal(outbox('sla_breach'), 'agente@ayuda.localhost\nsupervisora@ayuda.localhost');
  } finally {
    cleanup(dir);
  }
});

test('a server down past both 80% and 100% reports the breach once and no stale warning', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const lucia = token(dir, 'lucia@socioandino.com');
    let n;
    await at(dir, T0, async (srv) => {
      n = (await create(srv, lucia, 'Urgente')).number; // gold: due Tue 10:30
    });
    await at(dir, '2026-03-03T11:00:00-05:00', async (srv) => {
      await eventsUntil(srv, agent, n, (e) => count(e, 'sla.breached') === 1, 'breach');
      await rerunJobs(srv);
      const evs = await events(srv, agent, n);
      assert.equal(count(evs, 'sla.breached'), 1);
      assert.equal(count(evs, 'sla.warning'), 0);
    });
    // No assignee: the supervisor alone is told.
    assert.equal(sql(dir, `SELECT recipient FROM outbox WHERE kind = 'sla_breach' AND ticket_id = (SELECT id FROM tickets WHERE number = ${n})`), 'supervisora@ayuda.localhost');
  } finally {
    cleanup(dir);
  }
});

test('a backlog larger than one batch (500) is cleared in one run', async () => {
  const dir = dataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const maria = token(dir, 'maria@acme.pe');
    let a, b;
    await at(dir, T0, async (srv) => {
      a = (await create(srv, maria, 'Sin respuesta')).number; // due Wed 12:00
      b = (await create(srv, maria, 'Esperando al cliente')).number;
      await patch(srv, agent, b, { status: 'pending_customer' });
    });
    // 600 copies of each, made in the database while the server is down.
    const copies = (from, n0) => `
      WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 600)
      INSERT INTO tickets (number, subject, status, category, channel, requester_id, company_id,
        sla_level, sla_reason, sla_level_id, pending_since, created_at, updated_at)
      SELECT ${n0} + i, subject, status, category, channel, requester_id, company_id, sla_level,
        sla_reason, sla_level_id, pending_since, created_at, updated_at FROM tickets, k WHERE number = ${from};`;
    sql(dir, copies(a, 10000) + copies(b, 20000) + `
      INSERT INTO sla_targets (ticket_id, level_id, kind, started_at, minutes, due_at, warn_at)
      SELECT t.id, st.level_id, st.kind, st.started_at, st.minutes, st.due_at, st.warn_at
      FROM tickets t, sla_targets st WHERE t.number > 10000 AND t.number <= 10600
      AND st.ticket_id = (SELECT id FROM tickets WHERE number = ${a});`);
    const breached = () => sql(dir, "SELECT COUNT(*) FROM events WHERE kind = 'sla.breached' AND ticket_id IN (SELECT id FROM tickets WHERE number > 10000 AND number <= 10600)");
    const reminded = () => sql(dir, "SELECT COUNT(*) FROM events WHERE kind = 'ticket.pending_reminder' AND ticket_id IN (SELECT id FROM tickets WHERE number > 20000)");
    // Thu 10:00: past the due (Wed 12:00) and the 3-day reminder (Thu 09:00).
    await at(dir, '2026-03-05T10:00:00-05:00', async (srv) => {
      // The first run ends with its log line, after its commit; 1,200 rows
      // with a savepoint each take a while on a loaded PostgreSQL.
      for (let i = 0; i < 1200 && jobRuns(srv) < 1; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(jobRuns(srv) >= 1, 'the SLA jobs never finished a run');
      assert.equal(count(await events(srv, agent, b), 'ticket.pending_reminder'), 1);
      assert.equal(breached(), '600');
      assert.equal(reminded(), '600');
    });
  } finally {
    cleanup(dir);
  }
});

test('CLI: ayuda sla due and --batch print ISO 8601 in the calendar zone', () => {
  const due = (...args) => ayuda(['sla', 'due', ...args, '--data', '/nonexistent']).trim();
  // Tue Dec 1 17:00: 90 open min, 90 left -> Wed Dec 2 08:00 + 1:30.
  assert.equal(due('--start', '2026-12-01T17:00:00-05:00', '--minutes', '180', '--clock', 'business', '--calendar', 'lima'), '2026-12-02T09:30:00-05:00');
  assert.equal(due('--start', '2026-12-01T17:00:00-05:00', '--minutes', '180'), '2026-12-02T09:30:00-05:00');
  const out = ayuda(['sla', 'due', '--batch', '--data', '/nonexistent'], {
    input: [
      '2026-12-01T17:00:00-05:00 180 business lima',
      // Mon Dec 7 17:00: 90 min, Dec 8 and 9 are holidays -> Thu Dec 10 08:30.
      '2026-12-07T17:00:00-05:00 120 business lima',
      // Wall-clock: + 2 h.
      '2026-12-07T17:00:00-05:00 120 calendar lima',
      // Used up exactly at the close: due at 18:30, not the next opening.
      '2026-12-01T08:00:00-05:00 630 business lima',
      // Saturday: counts from Monday's opening.
      '2026-12-05T10:00:00-05:00 60 business lima',
      // UTC input, Lima output: 13:00Z = 08:00 -05:00.
      '2026-12-01T13:00:00Z 30 business lima',
      // Holy Thursday example: Wed Apr 1 16:00, gold 720: 150 Wed, Thu/Fri
      // holidays, weekend, 570 Mon Apr 6 -> 17:30.
      '2026-04-01T16:00:00-05:00 720 business lima',
    ].join('\n') + '\n',
  });
  assert.equal(out, [
    '2026-12-02T09:30:00-05:00',
    '2026-12-10T08:30:00-05:00',
    '2026-12-07T19:00:00-05:00',
    '2026-12-01T18:30:00-05:00',
    '2026-12-07T09:00:00-05:00',
    '2026-12-01T08:30:00-05:00',
    '2026-04-06T17:30:00-05:00',
  ].join('\n') + '\n');
  // Usage errors exit 2; an unknown calendar exits 1.
  assert.throws(() => due('--minutes', '10'), (e) => e.status === 2);
  assert.throws(() => due('--start', '2026-12-01T17:00:00-05:00', '--minutes', '10', '--calendar', 'marte'), (e) => e.status === 1);
});

test('CLI: ayuda calendar holiday add changes the due times of the data dir', async () => {
  const dir = dataDir();
  try {
    const due = () => ayuda(['sla', 'due', '--start', '2026-11-30T17:00:00-05:00', '--minutes', '180', '--data', dir]).trim();
    // Mon Nov 30 17:00: 90 min, 90 left -> Tue Dec 1 09:30.
    assert.equal(due(), '2026-12-01T09:30:00-05:00');
    const shown = JSON.parse(ayuda(['calendar', 'holiday', 'add', '--date', '2026-12-01', '--name', 'Cierre anual', '--data', dir]));
    assert.ok(shown.holidays.some((h) => h.date === '2026-12-01' && h.name === 'Cierre anual'));
    // Tue Dec 1 is now closed -> Wed Dec 2 09:30.
    assert.equal(due(), '2026-12-02T09:30:00-05:00');
    // An invalid date is refused with EX_DATAERR and changes nothing.
    assert.throws(() => ayuda(['calendar', 'holiday', 'add', '--date', '2026-13-01', '--name', 'x', '--data', dir]), (e) => e.status === 65);
    assert.equal(due(), '2026-12-02T09:30:00-05:00');
    const ics = ayuda(['calendar', 'show', '--ics', '--year', '2026', '--data', dir]);
    assert.match(ics, /SUMMARY:Cierre anual\r\n/);
    // The server sees it too.
    const lucia = token(dir, 'lucia@socioandino.com');
    await at(dir, '2026-11-30T17:00:00-05:00', async (srv) => {
      // Gold 720: 90 Mon, Tue closed, 630 Wed -> 720 at Wed 18:30.
      const t = await create(srv, lucia, 'Antes del cierre anual');
      assert.equal(t.sla.due_at, '2026-12-02T18:30:00-05:00');
    });
  } finally {
    cleanup(dir);
  }
});
