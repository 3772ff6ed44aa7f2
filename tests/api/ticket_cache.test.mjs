// A ticket's answer: the same for a whole minute while its SLA clock runs
// (so a poll gets 304s), and never stale after a change, for any viewer.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, cleanup, api, serveAt, serve, stop, sql } from './helpers.mjs';

test('a running ticket keeps its ETag within a minute: a 304 forty seconds later, a new answer the next minute', async () => {
  const dir = newDataDir();
  try {
    const agent = token(dir, 'agente@ayuda.localhost');
    const pedro = token(dir, 'pedro@bodegalibre.pe');
    // Tuesday 10:00:05 in Lima, inside open hours: the clock runs.
    const n = await serveAt(dir, '2026-12-01T10:00:05-05:00', async (srv) => {
      const c = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: 'reloj', body: 'x' } });
      assert.equal(c.status, 201);
      return c.body.number;
    });
    const path = `/api/v1/tickets/${n}`;
    const first = {};
    await serveAt(dir, '2026-12-01T10:03:10-05:00', async (srv) => {
      for (const [who, tok] of [['agent', agent], ['pedro', pedro]]) {
        const a = await api(srv, 'GET', path, { tok });
        assert.equal(a.status, 200);
        assert.equal(a.body.sla.state, 'running');
        // The figures are those of the minute's start, and say so.
        assert.equal(a.body.sla.as_of, '2026-12-01T10:03:00-05:00');
        first[who] = { tag: a.headers.get('etag'), sla: a.body.sla };
      }
    });
    await serveAt(dir, '2026-12-01T10:03:50-05:00', async (srv) => {
      for (const [who, tok] of [['agent', agent], ['pedro', pedro]]) {
        const same = await api(srv, 'GET', path, { tok, headers: { 'If-None-Match': first[who].tag } });
        assert.equal(same.status, 304, who);
        const again = await api(srv, 'GET', path, { tok });
        assert.equal(again.headers.get('etag'), first[who].tag, who);
      }
    });
    await serveAt(dir, '2026-12-01T10:04:01-05:00', async (srv) => {
      const next = await api(srv, 'GET', path, { tok: pedro, headers: { 'If-None-Match': first.pedro.tag } });
      assert.equal(next.status, 200);
      assert.notEqual(next.headers.get('etag'), first.pedro.tag);
      assert.equal(next.body.sla.as_of, '2026-12-01T10:04:00-05:00');
      assert.equal(next.body.sla.remaining_minutes, first.pedro.sla.remaining_minutes - 1);
    });
  } finally {
    cleanup(dir);
  }
});

// One server for the tests below, its clock stopped on a Tuesday morning in
// Lima (the SLA clocks run), so that every answer can be kept.
describe('a kept answer never outlives a change', () => {
  const NOW = '2026-12-01T10:00:00-05:00';
  let dir, srv, agent, admin, sup, jorge, maria, agentId, acme;
  before(async () => {
    dir = newDataDir();
    agent = token(dir, 'agente@ayuda.localhost');
    admin = token(dir, 'admin@ayuda.localhost');
    sup = token(dir, 'supervisora@ayuda.localhost');
    jorge = token(dir, 'jorge@acme.pe'); // Acme, not its contact
    maria = token(dir, 'maria@acme.pe'); // Acme's support contact
    srv = await serve(dir, { AYUDA_FAKE_NOW: String(Date.parse(NOW) / 1000) });
    agentId = (await api(srv, 'GET', '/api/v1/me', { tok: agent })).body.id;
    acme = (await api(srv, 'GET', '/api/v1/companies', { tok: admin })).body.companies.find((c) => /Acme/.test(c.name));
    // The supervisor reads in English: another kind of reader.
    const supId = (await api(srv, 'GET', '/api/v1/me', { tok: sup })).body.id;
    await ok(api(srv, 'PATCH', `/api/v1/users/${supId}`, { tok: admin, json: { lang: 'en' } }));
  });
  after(async () => {
    await stop(srv);
    cleanup(dir);
  });

  const cacheHits = async () => Number((await api(srv, 'GET', '/metrics')).body
    .match(/ayuda_ticket_answers_total\{source="cache"\} (\d+)/)[1]);
  // Who reads maria's tickets: the staff in Spanish and in English, and
  // maria, Acme's support contact (her level's clock runs).
  const viewers = () => ({ agent, sup, maria });
  const WHO = ['agent', 'sup', 'maria'];
  // Each viewer's answer of ticket n, read twice: the second read must come
  // from the cache (so that what follows checks a kept answer).
  async function kept(n, v = viewers()) {
    const out = {};
    for (const tok of Object.values(v)) assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok })).status, 200);
    const h0 = await cacheHits();
    for (const [who, tok] of Object.entries(v)) out[who] = (await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok })).body;
    assert.equal(await cacheHits(), h0 + Object.keys(v).length, 'every viewer\'s answer was kept');
    return out;
  }
  async function read(n, v = viewers()) {
    const out = {};
    for (const [who, tok] of Object.entries(v)) out[who] = (await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok })).body;
    return out;
  }
  const ok = async (p, status = 200) => {
    const r = await p;
    assert.equal(r.status, status, JSON.stringify(r.body));
    return r.body;
  };
  const newTicket = async (subject, tok = maria) => (await ok(api(srv, 'POST', '/api/v1/tickets', { tok, json: { subject, body: 'Primera línea' } }), 201)).number;

  test('a reply shows to everyone; an internal note to the staff only, even once the staff\'s answer with it is kept', async () => {
    // Jorge's ticket: Jorge and Maria (Acme's contact) read it as customers.
    const n = await newTicket('respuestas', jorge);
    const v = { agent, jorge, maria };
    await kept(n, v);
    await ok(api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { kind: 'note', body: 'Nota interna secreta' } }), 201);
    let now = await read(n, v);
    assert.equal(now.agent.messages.at(-1).body, 'Nota interna secreta');
    for (const who of ['jorge', 'maria']) assert.ok(!JSON.stringify(now[who]).includes('secreta'), who);
    // Kept again, with the note in the agent's answer: the customers' still lack it.
    now = await kept(n, v);
    assert.equal(now.agent.messages.at(-1).kind, 'note');
    for (const who of ['jorge', 'maria']) {
      assert.ok(!JSON.stringify(now[who]).includes('secreta'), who);
      assert.ok(now[who].messages.every((m) => m.kind !== 'note'), who);
    }
    await ok(api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { kind: 'reply', body: 'Respuesta pública' } }), 201);
    now = await read(n, v);
    for (const who of Object.keys(v)) assert.equal(now[who].messages.at(-1).body, 'Respuesta pública', who);
  });

  test('status, assignment and category show on the next read, for every viewer', async () => {
    const n = await newTicket('campos');
    await kept(n);
    await ok(api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { assignee_id: agentId } }));
    let now = await read(n);
    for (const who of WHO) assert.equal(now[who].assignee?.id, agentId, who);
    await kept(n);
    await ok(api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { status: 'pending_customer' } }));
    now = await read(n);
    for (const who of WHO) {
      assert.equal(now[who].status, 'pending_customer', who);
      assert.equal(now[who].sla.state, 'paused', who);
    }
    await kept(n);
    await ok(api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: agent, json: { category: 'development' } }));
    now = await read(n);
    for (const who of WHO) {
      assert.equal(now[who].category, 'development', who);
      assert.equal(now[who].sla.target, 'review', who);
    }
    // The review's extension (policy: 60 more days) moves its date.
    const before = (await kept(n)).agent.sla.due_at;
    await ok(api(srv, 'POST', `/api/v1/tickets/${n}/sla/extend`, { tok: agent }));
    now = await read(n);
    for (const who of WHO) assert.ok(now[who].sla.due_at > before, who);
  });

  test('a holiday that moves a due time, and a new name of the company or of the requester, show on the next read', async () => {
    const n = await newTicket('calendario');
    const before = await kept(n);
    const due = before.maria.sla.due_at;
    await ok(api(srv, 'POST', '/api/v1/calendars/lima/holidays', { tok: admin, json: { date: due.slice(0, 10), name: 'Feriado de prueba' } }), 201);
    let now = await read(n);
    for (const who of WHO) assert.ok(now[who].sla.due_at > due, `${who}: ${now[who].sla.due_at}`);
    await kept(n);
    await ok(api(srv, 'PATCH', `/api/v1/companies/${acme.id}`, { tok: admin, json: { name: 'Acme Renombrada SAC' } }));
    now = await read(n);
    for (const who of WHO) assert.equal(now[who].company.name, 'Acme Renombrada SAC', who);
    // A write by another process (the database's own triggers keep the
    // stamp, whoever writes).
    await kept(n);
    sql(dir, "UPDATE users SET name = 'María Nueva' WHERE email = 'maria@acme.pe'");
    now = await read(n);
    for (const who of WHO) assert.equal(now[who].requester.name, 'María Nueva', who);
    await kept(n);
    sql(dir, `UPDATE tickets SET subject = 'asunto cambiado fuera' WHERE number = ${n}`);
    now = await read(n);
    for (const who of WHO) assert.equal(now[who].subject, 'asunto cambiado fuera', who);
  });

  test('an attachment and a supervisor\'s review show on the next read', async () => {
    const n = await newTicket('adjuntos');
    await kept(n);
    const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const up = await fetch(`${srv.url}/api/v1/uploads?filename=captura.png`, { method: 'POST', headers: { Authorization: `Bearer ${maria}` }, body: PNG });
    assert.equal(up.status, 201);
    const id = (await up.json()).id;
    await ok(api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: maria, json: { body: 'Adjunto la captura', attachments: [id] } }), 201);
    let now = await read(n);
    for (const who of WHO) assert.equal(now[who].messages.at(-1).attachments[0].filename, 'captura.png', who);
    await kept(n);
    await ok(api(srv, 'POST', `/api/v1/tickets/${n}/supervisor-review`, { tok: maria, json: { reason: 'Sin solución' } }), 201);
    now = await read(n);
    for (const who of WHO) assert.equal(now[who].supervisor_review?.state, 'requested', who);
  });

  test('who may read is asked every time: a support contact removed no longer reads the company\'s ticket she had', async () => {
    const n = await newTicket('acceso', jorge);
    await kept(n, { jorge, maria });
    const mariaId = (await api(srv, 'GET', '/api/v1/me', { tok: maria })).body.id;
    await ok(api(srv, 'DELETE', `/api/v1/companies/${acme.id}/contacts/${mariaId}`, { tok: admin }));
    assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: maria })).status, 404);
    assert.equal((await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: jorge })).status, 200);
  });
});
