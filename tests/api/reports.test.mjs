// Supervisor report: SLA compliance, first response, satisfaction and
// backlog, computed from what happened, for supervisors and admins only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api, sql as sqlRun } from './helpers.mjs';

// Mon 2026-03-02 09:00 in Lima (-05:00).
const T = 1772460000;
const at = (s) => ({ AYUDA_FAKE_NOW: String(s) });

async function waitFor(fn, ms = 10000) {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the summary report counts what happened, for supervisors only', async () => {
  const dir = newDataDir({ env: { ...process.env, ...at(T) } });
  const tok = Object.fromEntries(['agente@ayuda.localhost', 'supervisora@ayuda.localhost', 'admin@ayuda.localhost', 'maria@acme.pe', 'lucia@socioandino.com', 'pedro@bodegalibre.pe']
    .map((e) => [e.split('@')[0], token(dir, e)]));
  let srv = await serve(dir, at(T));
  let a, b;
  try {
    // Three more tickets at Mon 09:00: commercial, partner gold, free.
    a = (await api(srv, 'POST', '/api/v1/tickets', { tok: tok.maria, json: { subject: 'A', body: 'x' } })).body.number;
    b = (await api(srv, 'POST', '/api/v1/tickets', { tok: tok.lucia, json: { subject: 'B', body: 'x' } })).body.number;
    await api(srv, 'POST', '/api/v1/tickets', { tok: tok.pedro, json: { subject: 'C', body: 'x' } });
  } finally { await stop(srv); }

  // Mon 11:00: A answered after 120 business minutes (on time).
  srv = await serve(dir, at(T + 2 * 3600));
  try {
    assert.equal((await api(srv, 'POST', `/api/v1/tickets/${a}/messages`, { tok: tok.agente, json: { body: 'Hola' } })).status, 201);
    await api(srv, 'PATCH', `/api/v1/tickets/${a}`, { tok: tok.agente, json: { status: 'closed' } });
  } finally { await stop(srv); }

  // Thu 09:00: the partner gold target (due Tue 10:30) and the two demo
  // tickets of Acme and Socio Andino are past due; B is answered late
  // after 570 + 630 + 630 + 60 = 1890 business minutes.
  srv = await serve(dir, at(T + 3 * 86400));
  try {
    const rep = async (t) => api(srv, 'GET', '/api/v1/reports/summary?from=2026-03-01&to=2026-03-06', { tok: t });
    await waitFor(async () => (await rep(tok.supervisora)).body.sla.breached_open >= 3);
    assert.equal((await api(srv, 'POST', `/api/v1/tickets/${b}/messages`, { tok: tok.agente, json: { body: 'Tarde' } })).status, 201);
    const r = await rep(tok.supervisora);
    assert.equal(r.status, 200);
    assert.equal(r.body.tickets_created, 6);
    assert.deepEqual(r.body.sla, { met_on_time: 1, met_late: 1, breached_open: 2, running: 2, compliance_percent: 25 });
    assert.equal(r.body.first_response.median_business_minutes, 1890);
    const lv = Object.fromEntries(r.body.by_level.map((x) => [x.key, x.count]));
    assert.deepEqual(lv, { commercial: 2, partner_gold: 2, non_commercial: 2 });
    assert.deepEqual(r.body.backlog.map((x) => x.key).sort(), ['new', 'open']);
    // Only supervisors and admins see reports.
    assert.equal((await rep(tok.admin)).status, 200);
    assert.equal((await rep(tok.agente)).status, 404);
    assert.equal((await rep(tok.maria)).status, 404);
    // Maria rates the closed ticket A.
    const tokenA = JSON.parse(sqlRun(dir, `SELECT payload FROM outbox WHERE kind = 'survey'`)).token;
    assert.equal((await api(srv, 'POST', `/api/v1/surveys/${tokenA}`, { json: { rating: 5 } })).status, 200);
    const csat = (await rep(tok.supervisora)).body.satisfaction;
    assert.deepEqual(csat, { answers: 1, average: 5, ratings: [{ key: '5', count: 1 }] });
    const bad = await api(srv, 'GET', '/api/v1/reports/summary?from=ayer', { tok: tok.supervisora });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.error.field, 'from');
  } finally { await stop(srv); }
  cleanup(dir);
});
