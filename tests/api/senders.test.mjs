// Every sender is someone: each address that can receive mail, dotless
// intranet domains included, becomes its own unverified requester; only a
// From that is no address at all goes to the shared placeholder, whose
// tickets nobody can join by mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, newDataDir, cleanup, sql as sqlRun } from './helpers.mjs';

let dir;

before(() => {
  dir = newDataDir({ demo: false, conf: '[mail]\nsupport_address = soporte@ayuda.test\n' });
});

after(() => cleanup(dir));

function mailIn(from, subject, id) {
  const raw = [`From: ${from}`, 'To: soporte@ayuda.test', `Subject: ${subject}`,
    `Message-ID: <${id}>`, 'Date: Tue, 01 Dec 2026 10:00:00 -0500', '', 'Texto.', ''].join('\r\n');
  const r = spawnSync(BIN, ['mail-in', '--data', dir], { input: raw, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim());
}

function sql(q) {
  return sqlRun(dir, q);
}

const requester = (n) => sql(`SELECT u.email || '|' || u.name || '|' || COALESCE(CAST(u.verified_at AS TEXT), 'unverified')
  FROM tickets t JOIN users u ON u.id = t.requester_id WHERE t.number = ${n}`);

test('senders at dotless domains are each their own unverified requester', () => {
  const maria = mailIn('María <maria@localhost>', 'No imprime', 'm1@localhost');
  const root = mailIn('root@vm', 'Disco lleno', 'r1@vm');
  assert.equal(maria.action, 'created');
  assert.equal(requester(maria.ticket), 'maria@localhost|María|unverified');
  assert.equal(requester(root.ticket), 'root@vm|root|unverified');
  // The acknowledgement goes to the real address.
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE kind = 'ticket_received' AND recipient = 'maria@localhost'`), '1');
  // root@vm cannot write on María's ticket by naming it; María can.
  const guess = mailIn('root@vm', `Re: [Ticket#${maria.ticket}] No imprime`, 'r2@vm');
  assert.equal(guess.action, 'created');
  assert.notEqual(guess.ticket, maria.ticket);
  const reply = mailIn('maria@localhost', `Re: [Ticket#${maria.ticket}] No imprime`, 'm2@localhost');
  assert.deepEqual([reply.action, reply.ticket], ['appended', maria.ticket]);
});

test('a From that is no address goes to the placeholder, which joins no ticket by tag', () => {
  const first = mailIn('maria@', 'Sin dirección', 'x1@nowhere.test');
  assert.equal(first.action, 'created');
  assert.match(requester(first.ticket), /^remitente-desconocido@invalid\.example\|/);
  const second = mailIn('"pedro x"@acme.pe', `Re: [Ticket#${first.ticket}] Sin dirección`, 'x2@nowhere.test');
  assert.equal(second.action, 'created');
  assert.notEqual(second.ticket, first.ticket);
  // Nobody to answer: no acknowledgement is queued for either.
  assert.equal(sql(`SELECT COUNT(*) FROM outbox o JOIN tickets t ON t.id = o.ticket_id
    WHERE t.number IN (${first.ticket}, ${second.ticket})`), '0');
});
