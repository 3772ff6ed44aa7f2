// The supervisor's dashboard (GET /api/v1/reports/dashboard): SLA outcomes
// by level and agent, first response, backlog, created and solved per day,
// satisfaction, reviews; and every figure's tickets through the queue's
// report= filter, the same number as the figure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api, sql as sqlRun } from './helpers.mjs';

// Mon 2026-03-02 09:00 in Lima (-05:00).
const T = 1772460000;
const at = (s) => ({ AYUDA_FAKE_NOW: String(s) });
const PERIOD = 'from=2026-03-01&to=2026-03-06';

// Each figure of the dashboard d with the queue filter that lists it.
function figures(d) {
  const out = [];
  const p = { from: d.from, to: d.to };
  const add = (count, report, extra = {}, where = p) => out.push({ count, q: { view: 'all', report, ...where, ...extra } });
  for (const k of ['met_on_time', 'met_late', 'breached', 'running']) {
    add(d.sla[k], k);
    for (const r of d.sla_by_level) add(r[k], k, { level: r.level });
    for (const r of d.sla_by_agent) add(r[k], k, { assignee: r.agent ? String(r.agent.id) : 'none' });
  }
  add(d.first_response.tickets, 'first_response');
  for (const r of d.satisfaction.ratings) add(r.count, `rating_${r.rating}`);
  for (const r of d.days) {
    add(r.created, 'created', {}, { from: r.from, to: r.to });
    add(r.solved, 'solved', {}, { from: r.from, to: r.to });
  }
  for (const r of d.backlog.by_age) add(r.count, 'created', { view: 'unsolved' }, { from: r.from, to: r.to });
  add(d.supervisor_reviews.requested, 'review_requested');
  add(d.supervisor_reviews.answered, 'review_answered');
  add(d.supervisor_reviews.open, 'review_open', {}, {});
  add(d.development_reviews.due, 'dev_due', {}, {});
  return out;
}

test('the dashboard counts each figure, and the queue lists exactly its tickets', async () => {
  const dir = newDataDir({ env: { ...process.env, ...at(T) } });
  const tok = Object.fromEntries(['agente@ayuda.localhost', 'supervisora@ayuda.localhost', 'maria@acme.pe', 'lucia@socioandino.com', 'pedro@bodegalibre.pe']
    .map((e) => [e.split('@')[0], token(dir, e)]));
  const sql = (q) => sqlRun(dir, q);
  const agentId = Number(sql(`SELECT id FROM users WHERE email = 'agente@ayuda.localhost'`));
  let srv = await serve(dir, at(T));
  const made = [];
  try {
    // Mon 09:00: commercial A (assigned), partner gold B, free C.
    for (const [who, subject] of [['maria', 'A'], ['lucia', 'B'], ['pedro', 'C']]) {
      made.push((await api(srv, 'POST', '/api/v1/tickets', { tok: tok[who], json: { subject, body: 'x' } })).body.number);
    }
    assert.equal((await api(srv, 'PATCH', `/api/v1/tickets/${made[0]}`, { tok: tok.agente, json: { assignee_id: agentId } })).status, 200);
  } finally { await stop(srv); }
  const [a, b] = made;

  // Mon 11:00: A answered on time (120 business minutes), closed, rated.
  srv = await serve(dir, at(T + 2 * 3600));
  try {
    assert.equal((await api(srv, 'POST', `/api/v1/tickets/${a}/messages`, { tok: tok.agente, json: { body: 'Hola' } })).status, 201);
    await api(srv, 'PATCH', `/api/v1/tickets/${a}`, { tok: tok.agente, json: { status: 'closed' } });
    const survey = JSON.parse(sql(`SELECT payload FROM outbox WHERE kind = 'survey'`)).token;
    assert.equal((await api(srv, 'POST', `/api/v1/surveys/${survey}`, { json: { rating: 4, comment: 'Rápido y claro' } })).status, 200);
    assert.equal((await api(srv, 'POST', `/api/v1/tickets/${b}/supervisor-review`, { tok: tok.lucia, json: { reason: 'Nadie responde' } })).status < 300, true);
  } finally { await stop(srv); }

  // Thu 09:00: B (partner gold, due Tue) answered late, after 1890 minutes.
  srv = await serve(dir, at(T + 3 * 86400));
  try {
    assert.equal((await api(srv, 'POST', `/api/v1/tickets/${b}/messages`, { tok: tok.agente, json: { body: 'Tarde' } })).status, 201);
    const dash = (q = '', t = tok.supervisora) => api(srv, 'GET', `/api/v1/reports/dashboard?${PERIOD}${q}`, { tok: t });
    const r = await dash();
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const d = r.body;
    // Dates are local midnights of the desk's calendar (Lima, -05:00).
    assert.equal(d.from, '2026-03-01T00:00:00-05:00');
    assert.equal(d.to, '2026-03-06T00:00:00-05:00');
    assert.equal(d.zone, 'America/Lima');
    assert.equal(d.sla.met_on_time, 1);
    assert.equal(d.sla.met_late, 1);
    // The demo's gold and commercial tickets are past due; C (120 h) runs.
    assert.equal(d.sla.breached, 2);
    assert.equal(d.sla.compliance_percent, 25);
    const gold = d.sla_by_level.find((x) => x.level === 'partner_gold');
    assert.deepEqual({ ...gold }, { level: 'partner_gold', name: 'Partner Oro', met_on_time: 0, met_late: 1, breached: 1, running: 0, compliance_percent: 0 });
    const mine = d.sla_by_agent.find((x) => x.agent && x.agent.id === agentId);
    assert.equal(mine.met_on_time, 1);
    assert.equal(mine.agent.name.length > 0, true);
    assert.deepEqual(d.first_response, { tickets: 2, median_business_minutes: 1890, p90_business_minutes: 1890 });
    const mon = d.days.find((x) => x.day === '2026-03-02');
    assert.deepEqual([mon.created, mon.solved], [6, 1]);
    assert.equal(d.days.length, 5);
    assert.deepEqual(d.satisfaction.ratings.map((x) => x.count), [0, 0, 0, 1, 0]);
    assert.equal(d.satisfaction.average, 4);
    assert.deepEqual(d.satisfaction.comments.map((c) => [c.number, c.rating, c.comment]), [[a, 4, 'Rápido y claro']]);
    // The answer to B answered Lucía's request for a review too.
    assert.deepEqual(d.supervisor_reviews, { requested: 1, answered: 1, open: 0 });
    assert.deepEqual(d.backlog.by_status.map((x) => x.status), ['new', 'open']);
    assert.equal(d.backlog.by_age.reduce((s, x) => s + x.count, 0), d.backlog.by_status.reduce((s, x) => s + x.count, 0));

    // Every figure is the length of its list in the queue.
    for (const f of figures(d)) {
      const q = new URLSearchParams({ ...f.q, limit: '200' });
      const l = await api(srv, 'GET', `/api/v1/tickets?${q}`, { tok: tok.supervisora });
      assert.equal(l.status, 200, `${q}: ${JSON.stringify(l.body)}`);
      assert.equal(l.body.tickets.length, f.count, String(q));
    }
    const late = await api(srv, 'GET', `/api/v1/tickets?view=all&report=met_late&from=${encodeURIComponent(d.from)}&to=${encodeURIComponent(d.to)}`, { tok: tok.supervisora });
    assert.deepEqual(late.body.tickets.map((x) => x.number), [b]);

    // Filters: one level, one agent, nobody.
    const g = (await dash('&level=partner_gold')).body;
    assert.deepEqual([g.sla.met_on_time, g.sla.met_late, g.filter.level], [0, 1, 'partner_gold']);
    const ag = (await dash(`&agent=${agentId}`)).body;
    assert.deepEqual([ag.sla.met_on_time, ag.sla.met_late, ag.first_response.tickets, ag.filter.agent], [1, 0, 1, agentId]);
    assert.equal((await dash('&agent=none')).body.sla.met_on_time, 0);

    // Only supervisors and admins; bad bounds are a 422 naming them.
    assert.equal((await dash('', tok.agente)).status, 404);
    assert.equal((await dash('', tok.maria)).status, 404);
    const bad = await api(srv, 'GET', '/api/v1/reports/dashboard?from=ayer', { tok: tok.supervisora });
    assert.deepEqual([bad.status, bad.body.error.field], [422, 'from']);
    assert.equal((await api(srv, 'GET', '/api/v1/reports/dashboard?from=2026-03-06&to=2026-03-01', { tok: tok.supervisora })).status, 422);
    assert.equal((await api(srv, 'GET', '/api/v1/reports/dashboard?agent=ana', { tok: tok.supervisora })).body.error.field, 'agent');
    const unknown = await api(srv, 'GET', '/api/v1/tickets?view=all&report=nada', { tok: tok.supervisora });
    assert.deepEqual([unknown.status, unknown.body.error.field], [422, 'report']);
    const noPeriod = await api(srv, 'GET', '/api/v1/tickets?view=all&report=created', { tok: tok.supervisora });
    assert.deepEqual([noPeriod.status, noPeriod.body.error.field], [422, 'from']);
  } finally { await stop(srv); }
  cleanup(dir);
});
