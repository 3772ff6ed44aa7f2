// What a request costs in waits for PostgreSQL (issue 14, item 7): the
// reads of a ticket's GET after its row go out together (libpq's pipeline
// mode: one wait for all), and a create's BEGIN, savepoints, history
// events and notices wait for no answer of their own. /metrics counts the
// waits (ayuda_db_round_trips_total) and the statements they carried
// (ayuda_db_statements_total); SQLite has none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api, sql, PG } from './helpers.mjs';

let dir, srv, admin;

before(async () => {
  // One worker thread: one reader connection, whose statements are
  // prepared by the warm-up requests. No tickets' answers kept: what is
  // counted is a GET that reads the ticket (a kept one reads its stamp
  // only: tests/api/ticket_cache.test.mjs).
  dir = newDataDir({ conf: '[server]\nthreads = 1\nticket_cache_mb = 0\n' });
  admin = token(dir, 'admin@ayuda.localhost');
  srv = await serve(dir);
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

async function counters() {
  const text = (await api(srv, 'GET', '/metrics')).body;
  const get = (name) => Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))[1]);
  return { trips: get('ayuda_db_round_trips_total'), statements: get('ayuda_db_statements_total') };
}

// The waits and statements of one call of fn (the mean of n), less what
// reading /metrics costs itself.
async function cost(fn, n) {
  const a = await counters();
  const b = await counters();
  for (let i = 0; i < n; i++) await fn();
  const c = await counters();
  return {
    trips: (c.trips - b.trips - (b.trips - a.trips)) / n,
    statements: (c.statements - b.statements - (b.statements - a.statements)) / n,
  };
}

const getTicket = async () => {
  const r = await api(srv, 'GET', '/api/v1/tickets/1', { tok: admin });
  assert.equal(r.status, 200);
  assert.ok(r.body.messages.length > 0);
};

const create = async () => {
  const r = await api(srv, 'POST', '/api/v1/tickets', {
    tok: admin,
    json: { subject: 'Idas y vueltas', description: 'No puedo exportar los contactos del CRM.' },
  });
  assert.equal(r.status, 201);
};

test('a ticket\'s GET waits for PostgreSQL a few times, its reads sent together', { skip: !PG && 'PostgreSQL only (api-pg/db_round_trips)' }, async () => {
  for (let i = 0; i < 3; i++) await getTicket();
  const c = await cost(getTicket, 10);
  // Before: BEGIN, the session's epoch, the ticket, its SLA state, the
  // calendar, description, suggestion, environment, review, messages,
  // attachments, COMMIT: 12 waits for 12 statements. Now the reads after
  // the ticket's row share one.
  assert.ok(c.statements >= 10, `${c.statements} statements a GET`);
  assert.ok(c.trips <= 6, `${c.trips} round trips a GET for ${c.statements} statements`);
});

test('a create waits for PostgreSQL fewer times than it runs statements', { skip: !PG && 'PostgreSQL only (api-pg/db_round_trips)' }, async () => {
  for (let i = 0; i < 2; i++) await create();
  const c = await cost(create, 5);
  // Before: about 23 statements, each a wait.
  assert.ok(c.statements >= 20, `${c.statements} statements a create`);
  assert.ok(c.trips <= c.statements - 6, `${c.trips} round trips a create for ${c.statements} statements`);
});

test('SQLite has no round trips to count', { skip: PG && 'SQLite only (api/db_round_trips)' }, async () => {
  await getTicket();
  await create();
  assert.deepEqual(await counters(), { trips: 0, statements: 0 });
});

test('a connection PostgreSQL ends is a temporary failure (503), then the server connects again', { skip: !PG && 'PostgreSQL only (api-pg/db_round_trips)' }, async () => {
  // A server of its own, its connections named so that only they end.
  const name = `ayuda-rt-${process.pid}`;
  const url = process.env.AYUDA_STORE_URL;
  const own = await serve(dir, { AYUDA_STORE_URL: `${url}${url.includes('?') ? '&' : '?'}application_name=${name}` });
  try {
    const get = async () => (await api(own, 'GET', '/api/v1/tickets/1', { tok: admin })).status;
    const post = async () => (await api(own, 'POST', '/api/v1/tickets', {
      tok: admin, json: { subject: 'Tras la caída', description: 'La base se reinició.' },
    })).status;
    assert.equal(await get(), 200);
    assert.equal(await post(), 201);
    const ended = sql(dir, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '${name}'`);
    assert.ok(Number(ended) >= 2, `${ended} connections ended`);
    // Each connection's next statement finds it gone: a 503 (nothing was
    // acknowledged), then it is opened again.
    const gets = [await get(), await get()];
    assert.ok(gets.every((s) => s === 200 || s === 503), gets.join(' '));
    assert.equal(await get(), 200);
    assert.ok([201, 503].includes(await post()));
    assert.equal(await post(), 201);
  } finally {
    await stop(own);
  }
});
