// Versions of the SLA levels (the admin console's /admin/sla): each save of
// a level is a new immutable version with who made it and when; a ticket
// keeps the version it started on, and its deadline; the difference between
// two versions field by field; the open tickets of each version and the
// queue filtered to them; a value that is not acceptable changes nothing.
//
// Times against the "lima" calendar (Mon-Fri 08:00-18:30, America/Lima):
// Lucía (demo, gold partner: 720 business minutes) writes Mon 2026-03-02
// 09:00: 570 min on Monday, 150 on Tuesday: due Tue 10:30.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';
import { sql } from './auth_helpers.mjs';

const T0 = '2026-03-02T09:00:00-05:00';
const unix = (iso) => Date.parse(iso) / 1000;

// Run fn(srv, tokens, dir) against a new demo data dir whose server's clock
// reads T0, then, the server stopped, after(dir); the dir is removed.
async function scenario(fn, after = () => {}) {
  const dir = newDataDir({
    env: { ...process.env, AYUDA_FAKE_NOW: String(unix('2026-03-02T08:00:00-05:00')) },
    conf: '[sla]\njobs_interval = 3600\n',
  });
  try {
    const tok = {
      admin: token(dir, 'admin@ayuda.localhost'),
      agent: token(dir, 'agente@ayuda.localhost'),
      lucia: token(dir, 'lucia@socioandino.com'),
    };
    const srv = await serve(dir, { AYUDA_FAKE_NOW: String(unix(T0)) });
    try {
      await fn(srv, tok);
    } finally {
      await stop(srv);
    }
    after(dir);
  } finally {
    cleanup(dir);
  }
}

async function create(srv, tok, subject) {
  const r = await api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject, body: 'Detalle de la consulta.' } });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function ok(srv, tok, method, path, json) {
  const r = await api(srv, method, path, { tok, json });
  assert.equal(r.status, 200, `${method} ${path}: ${JSON.stringify(r.body)}`);
  return r.body;
}

// The numbers of the unsolved tickets of a level's version in the queue.
async function queueOf(srv, tok, level, version) {
  const out = await ok(srv, tok, 'GET', `/api/v1/tickets?view=unsolved&level=${level}&level_version=${version}&limit=200`);
  return out.tickets.map((t) => t.number);
}

test('a save makes a version with who and when; an old ticket keeps its version and deadline', () =>
  scenario(async (srv, { admin, agent, lucia }) => {
    const me = await ok(srv, admin, 'GET', '/api/v1/me');
    const codes = async () => (await ok(srv, admin, 'GET', '/api/v1/sla/levels')).levels.map((l) => l.code);
    const order = await codes();
    const old = await create(srv, lucia, 'Antes del cambio');
    assert.equal(old.sla.due_at, '2026-03-03T10:30:00-05:00');
    const before = await ok(srv, admin, 'GET', '/api/v1/sla/levels/partner_gold/versions');
    assert.equal(before.versions.length, 1);
    const openV1 = before.versions[0].open_tickets;
    assert.ok(openV1 >= 1, JSON.stringify(before));

    const saved = await ok(srv, admin, 'PATCH', '/api/v1/sla/levels/partner_gold', { response_minutes: 240, base_version: 1 });
    assert.equal(saved.version, 2);
    assert.equal(saved.response_minutes, 240);
    // The levels keep their order (the landing page's, the console's).
    assert.deepEqual(await codes(), order);

    const v = await ok(srv, admin, 'GET', '/api/v1/sla/levels/partner_gold/versions');
    assert.deepEqual(v.versions.map((x) => [x.version, x.current]), [[2, true], [1, false]]);
    assert.equal(v.current.version, 2);
    assert.deepEqual(v.versions[0].created_by, { id: me.id, name: me.name });
    assert.equal(v.versions[0].created_at, '2026-03-02T14:00:00Z');
    assert.equal(v.versions[0].response_minutes, 240);
    assert.equal(v.versions[1].response_minutes, 720);
    assert.equal(v.versions[1].created_by, null); // made by `ayuda init`
    // The old ticket still runs on version 1 with its deadline.
    assert.equal(v.versions[1].open_tickets, openV1);
    assert.equal(v.versions[0].open_tickets, 0);
    const o = await ok(srv, agent, 'GET', `/api/v1/tickets/${old.number}`);
    assert.equal(o.sla.policy_version, 1);
    assert.equal(o.sla.due_at, '2026-03-03T10:30:00-05:00');

    // A new ticket runs on version 2: 240 min from Mon 09:00.
    const neu = await create(srv, lucia, 'Después del cambio');
    assert.equal(neu.sla.policy_version, 2);
    assert.equal(neu.sla.due_at, '2026-03-02T13:00:00-05:00');
    const after = await ok(srv, admin, 'GET', '/api/v1/sla/levels/partner_gold/versions');
    assert.deepEqual(after.versions.map((x) => x.open_tickets), [1, openV1]);
    const usage = await ok(srv, admin, 'GET', '/api/v1/sla/usage');
    assert.deepEqual(usage.levels.find((l) => l.code === 'partner_gold'),
      { code: 'partner_gold', version: 2, versions: 2, open_tickets: openV1 + 1, open_on_current: 1 });

    // The queue filtered to a version lists exactly its tickets.
    assert.deepEqual(await queueOf(srv, agent, 'partner_gold', 2), [neu.number]);
    const v1 = await queueOf(srv, agent, 'partner_gold', 1);
    assert.equal(v1.length, openV1);
    assert.ok(v1.includes(old.number) && !v1.includes(neu.number));
    const noLevel = await api(srv, 'GET', '/api/v1/tickets?view=unsolved&level_version=2', { tok: agent });
    assert.equal(noLevel.status, 422);
    assert.equal(noLevel.body.error.field, 'level_version');
  }));

test('the diff lists exactly the fields that changed, with before and after', () =>
  scenario(async (srv, { admin }) => {
    const diff = (from, to) => ok(srv, admin, 'GET', `/api/v1/sla/levels/commercial/diff?from=${from}&to=${to}`);
    await ok(srv, admin, 'PATCH', '/api/v1/sla/levels/commercial', { name_en: 'Commercial (24 h)', clock: 'calendar', name_es: 'Cliente comercial' });
    await ok(srv, admin, 'PATCH', '/api/v1/sla/levels/commercial', { license_email_only: false });
    const d = await diff(1, 2);
    assert.deepEqual(d.changes, [
      { field: 'name_en', before: 'Commercial customer', after: 'Commercial (24 h)' },
      { field: 'clock', before: 'business', after: 'calendar' },
    ]);
    assert.deepEqual([d.from.version, d.to.version], [1, 2]);
    const d13 = await diff(1, 3);
    assert.deepEqual(d13.changes.map((c) => c.field), ['name_en', 'clock', 'license_email_only']);
    assert.deepEqual(d13.changes[2], { field: 'license_email_only', before: true, after: false });
    // Backwards, the same fields the other way round; a version with
    // itself: nothing.
    assert.deepEqual((await diff(2, 1)).changes[1], { field: 'clock', before: 'calendar', after: 'business' });
    assert.deepEqual((await diff(3, 3)).changes, []);
    const missing = await api(srv, 'GET', '/api/v1/sla/levels/commercial/diff?from=1&to=9', { tok: admin });
    assert.equal(missing.status, 404);
    const bad = await api(srv, 'GET', '/api/v1/sla/levels/commercial/diff?from=uno&to=2', { tok: admin });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.field, 'from');
  }));

// [level, body, the field named, what the message says]
const BAD = [
  ['partner_gold', { response_minutes: -5 }, 'response_minutes', /minutos entre 1 y 525600/],
  ['partner_gold', { response_minutes: '24h' }, 'response_minutes', /minutos/],
  ['partner_gold', { clock: 'lunar' }, 'clock', /business.*calendar/],
  ['partner_gold', { calendar: 'marte' }, 'calendar', /no existe el calendario «marte»/],
  ['partner_gold', { name_es: '   ' }, 'name_es', /nombre/],
  ['partner_gold', { name_en: 'x'.repeat(81) }, 'name_en', /80 caracteres/],
  ['partner_gold', { license_email_only: true }, 'license_email_only', /solo el nivel comercial/],
  ['commercial', { license_email_only: 'sí' }, 'license_email_only', /true o false/],
  // One good field beside a bad one: neither is saved.
  ['partner_gold', { name_en: 'Gold', response_minutes: 0 }, 'response_minutes', /minutos/],
  ['partner_gold', { colour: 'oro' }, 'colour', /campo desconocido/],
  ['partner_gold', {}, 'level', /campos a cambiar/],
];

test('a value that is not acceptable is refused with what is expected, and changes nothing', () =>
  scenario(async (srv, { admin }) => {
    for (const [code, json, field, msg] of BAD) {
      const r = await api(srv, 'PATCH', `/api/v1/sla/levels/${code}`, { tok: admin, json });
      assert.equal(r.status, 422, JSON.stringify(json));
      assert.equal(r.body.error.field, field, JSON.stringify(r.body));
      assert.match(r.body.error.message, msg);
    }
    for (const code of ['partner_gold', 'commercial']) {
      const v = await ok(srv, admin, 'GET', `/api/v1/sla/levels/${code}/versions`);
      assert.equal(v.versions.length, 1, code);
    }
    assert.equal((await ok(srv, admin, 'GET', '/api/v1/audit?kind=sla_level.changed')).events.length, 0);
  }, (dir) => {
    assert.deepEqual(sql(dir, "SELECT version, name_en, response_minutes FROM sla_levels WHERE code = 'partner_gold'"),
      [{ version: 1, name_en: 'Gold partner', response_minutes: 720 }]);
  }));

test('a save that changes nothing makes no version; a stale edit is refused', () =>
  scenario(async (srv, { admin }) => {
    const path = '/api/v1/sla/levels/partner_silver';
    const same = await ok(srv, admin, 'PATCH', path, { response_minutes: 1440, clock: 'business', base_version: 1 });
    assert.equal(same.version, 1);
    await ok(srv, admin, 'PATCH', path, { response_minutes: 1200, base_version: 1 });
    // A second admin still looking at version 1.
    const stale = await api(srv, 'PATCH', path, { tok: admin, json: { response_minutes: 900, base_version: 1 } });
    assert.equal(stale.status, 409);
    assert.match(stale.body.error.message, /versión 2/);
    const v = await ok(srv, admin, 'GET', `${path}/versions`);
    assert.deepEqual(v.versions.map((x) => [x.version, x.response_minutes]), [[2, 1200], [1, 1440]]);
  }));

const IMMUTABLE = ["UPDATE sla_levels SET response_minutes = 1 WHERE code = 'non_commercial' AND version = 1",
  "DELETE FROM sla_levels WHERE code = 'non_commercial' AND version = 1"];

test('every save is in the audit trail with before and after; versions are immutable', () =>
  scenario(async (srv, { admin, agent }) => {
    const me = await ok(srv, admin, 'GET', '/api/v1/me');
    await ok(srv, admin, 'PATCH', '/api/v1/sla/levels/non_commercial', { response_minutes: 6000, name_es: 'No comercial' });
    const audit = await ok(srv, admin, 'GET', '/api/v1/audit?kind=sla_level.changed');
    assert.equal(audit.events.length, 1);
    const e = audit.events[0];
    assert.equal(e.actor, me.id);
    assert.equal(e.data.level, 'non_commercial');
    assert.deepEqual([e.data.before.version, e.data.before.response_minutes, e.data.before.name.es], [1, 7200, 'Soporte no comercial']);
    assert.deepEqual([e.data.after.version, e.data.after.response_minutes, e.data.after.name.es], [2, 6000, 'No comercial']);
    // Only admins read versions, differences and usage.
    for (const path of ['/api/v1/sla/levels/non_commercial/versions', '/api/v1/sla/levels/non_commercial/diff?from=1&to=2', '/api/v1/sla/usage']) {
      assert.equal((await api(srv, 'GET', path, { tok: agent })).status, 403, path);
      assert.equal((await api(srv, 'GET', path)).status, 401, path);
    }
    assert.equal((await api(srv, 'GET', '/api/v1/sla/levels/nope/versions', { tok: admin })).status, 404);
  }, (dir) => {
    // The store itself refuses to rewrite or delete a version.
    for (const q of IMMUTABLE) assert.throws(() => sql(dir, q), /immutable/);
    assert.deepEqual(sql(dir, "SELECT response_minutes FROM sla_levels WHERE code = 'non_commercial' AND version = 1"), [{ response_minutes: 7200 }]);
  }));
