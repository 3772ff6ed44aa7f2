// Satisfaction survey: invited when a ticket closes, answered once
// through the link's token, the rating in the ticket's history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api, sql as sqlRun } from './helpers.mjs';

test('closing a ticket invites the requester to rate it, once', async () => {
  const dir = newDataDir();
  const agent = token(dir, 'agente@ayuda.localhost');
  const jorge = token(dir, 'jorge@acme.pe');
  const srv = await serve(dir);
  try {
    const t = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'Encuesta', body: 'x' } });
    const n = t.body.number;
    await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { status: 'closed' } });
    const sql = (q) => sqlRun(dir, q);
    const payload = JSON.parse(sql(`SELECT o.payload FROM outbox o JOIN tickets t ON t.id = o.ticket_id WHERE t.number = ${n} AND o.kind = 'survey'`));
    assert.match(payload.token, /^[0-9a-f]{64}$/);
    // Only its hash is stored.
    assert.equal(sql(`SELECT COUNT(*) FROM surveys WHERE token_hash = '${payload.token}'`), '0');
    // Reopening and closing again does not send a second invitation.
    await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: jorge, json: { status: 'open' } });
    await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { status: 'closed' } });
    assert.equal(sql(`SELECT COUNT(*) FROM surveys s JOIN tickets t ON t.id = s.ticket_id WHERE t.number = ${n}`), '1');

    const path = `/api/v1/surveys/${payload.token}`;
    const g = await api(srv, 'GET', path);
    assert.equal(g.status, 200);
    assert.deepEqual(g.body, { number: n, subject: 'Encuesta', answered: false });
    assert.equal((await api(srv, 'GET', `/api/v1/surveys/${'0'.repeat(64)}`)).status, 404);
    assert.equal((await api(srv, 'POST', path, { json: { rating: 7 } })).status, 422);
    assert.equal((await api(srv, 'POST', path, { json: { rating: 'five' } })).status, 422);
    const ok = await api(srv, 'POST', path, { json: { rating: 4, comment: 'Rápido y claro' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.answered, true);
    const again = await api(srv, 'POST', path, { json: { rating: 1 } });
    assert.equal(again.status, 409);
    assert.equal(sql(`SELECT rating || ' ' || comment FROM surveys`), '4 Rápido y claro');
    const ev = await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent });
    assert.ok(ev.body.events.some((e) => e.kind === 'survey.answered' && e.data.rating === 4));
    // The page behind the link is the web application's shell (no inline script).
    const page = await api(srv, 'GET', '/encuesta', { headers: { Accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.match(page.body, /src="\/app\.js/);
    assert.doesNotMatch(page.body, /<script>[^<]/);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});

test('the requester answers from the ticket page, signed in, without the link', async () => {
  const dir = newDataDir();
  const agent = token(dir, 'agente@ayuda.localhost');
  const jorge = token(dir, 'jorge@acme.pe');
  const maria = token(dir, 'maria@acme.pe'); // Acme's contact: sees it, may not answer for Jorge
  const srv = await serve(dir);
  try {
    const n = (await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'Desde la página', body: 'x' } })).body.number;
    const path = `/api/v1/tickets/${n}/survey`;
    assert.deepEqual((await api(srv, 'GET', path, { tok: jorge })).body, { invited: false, answered: false, can_answer: false });
    assert.equal((await api(srv, 'POST', path, { tok: jorge, json: { rating: 5 } })).status, 409);
    await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { status: 'closed' } });
    assert.deepEqual((await api(srv, 'GET', path, { tok: jorge })).body, { invited: true, answered: false, can_answer: true });
    assert.equal((await api(srv, 'GET', path, { tok: maria })).body.can_answer, false);
    assert.equal((await api(srv, 'POST', path, { tok: maria, json: { rating: 1 } })).status, 403);
    assert.equal((await api(srv, 'POST', path, { tok: jorge, json: { rating: 6 } })).status, 422);
    assert.equal((await api(srv, 'POST', path, { tok: jorge, json: { rating: 5, note: 'x' } })).body.error.field, 'note');
    const ok = await api(srv, 'POST', path, { tok: jorge, json: { rating: 5, comment: 'Muy claro' } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { invited: true, answered: true, can_answer: false, rating: 5 });
    assert.equal((await api(srv, 'POST', path, { tok: jorge, json: { rating: 2 } })).status, 409);
    const ev = await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent });
    assert.ok(ev.body.events.some((e) => e.kind === 'survey.answered'));
    // Someone else's ticket: not there.
    const pedro = token(dir, 'pedro@bodegalibre.pe');
    assert.equal((await api(srv, 'GET', path, { tok: pedro })).status, 404);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});
