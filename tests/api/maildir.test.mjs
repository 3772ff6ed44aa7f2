// `ayuda mail-in --maildir DIR` (issue 16, item 6): every message of a
// maildir imported in arrival order (a reply finds the ticket its original
// opened, even in the same commit), each answered on its own line, the
// exit status the worst of them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, newDataDir, cleanup, sql } from './helpers.mjs';

const dirs = [];
after(() => dirs.forEach(cleanup));

function message({ from = 'maria@acme.pe', id, subject, inReplyTo }) {
  return [
    from ? `From: ${from}` : null, 'To: soporte@ayuda.test', `Message-ID: <${id}@acme.pe>`,
    inReplyTo ? `In-Reply-To: <${inReplyTo}@acme.pe>` : null, `Subject: ${subject}`, '', `Texto de ${id}.`, '',
  ].filter((l) => l !== null).join('\r\n');
}

test('a maildir is imported in arrival order: forty replies each join the ticket their original opened', () => {
  const dir = newDataDir();
  const md = mkdtempSync(join(tmpdir(), 'ayuda-maildir-'));
  dirs.push(dir, md);
  mkdirSync(join(md, 'new'));
  mkdirSync(join(md, 'cur'));
  // Maildir names start with the delivery time: each reply right after
  // its original, some in cur/ (already seen by a mail reader), which
  // sorts before new/ by path but not by time.
  let t = 1700000000;
  for (let i = 0; i < 40; i++) {
    writeFileSync(join(md, 'new', `${t++}.a${i}.host`), message({ id: `orig${i}`, subject: `Pedido ${i}` }));
    writeFileSync(join(md, i % 3 ? 'new' : 'cur', `${t++}.b${i}.host${i % 3 ? '' : ':2,S'}`), message({ id: `re${i}`, subject: `Re: Pedido ${i}`, inReplyTo: `orig${i}` }));
  }
  // One that can never be accepted, one already delivered.
  writeFileSync(join(md, 'new', `${t++}.c.host`), message({ from: null, id: 'nofrom', subject: 'Sin remitente' }));
  writeFileSync(join(md, 'new', `${t++}.d.host`), message({ id: 'orig0', subject: 'Pedido 0' }));
  const r = spawnSync(BIN, ['mail-in', '--data', dir, '--maildir', md], { encoding: 'utf8' });
  assert.equal(r.status, 65, r.stderr); // the worst: the one without a sender
  assert.match(r.stderr, /82 messages, 1 refused/);
  assert.match(r.stderr, /no sender address/);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, 81);
  assert.equal(lines.filter((l) => l.action === 'created').length, 40);
  assert.equal(lines.filter((l) => l.action === 'appended').length, 40);
  assert.deepEqual(lines.filter((l) => l.action === 'ignored').map((l) => l.reason), ['duplicate Message-ID']);
  for (let i = 0; i < 40; i++) {
    const q = (id) => sql(dir, `SELECT ticket_id FROM messages WHERE mail_message_id = '${id}@acme.pe'`);
    assert.equal(q(`re${i}`), q(`orig${i}`), `reply ${i}`);
  }
  assert.equal(sql(dir, "SELECT COUNT(*) FROM tickets WHERE subject LIKE 'Pedido %'"), '40');
});
