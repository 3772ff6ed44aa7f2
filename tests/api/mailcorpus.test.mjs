// Every message of the real-world corpus goes through `ayuda mail-in`
// (each into a fresh data dir, since the corpus reuses Message-IDs): no
// crash, exit 0, and the ticket matches the expected sender, subject and
// attachment count wherever the corpus gives them. Differences must be
// listed, with a reason, in tests/data/mail/known-differences.tsv (parser)
// or tests/data/mail/known-differences-mailin.tsv (ticket rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, cleanup, sql } from './helpers.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const CORPUS = join(ROOT, 'tests/data/mail');

function tsv(file) {
  const lines = readFileSync(join(CORPUS, file), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  return lines.map((l) => l.split('\t'));
}
const unescape = (v) => (v || '').replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\\\/g, '\\');

test('every corpus message goes through mail-in and matches', () => {
  const [head, ...rows] = tsv('index.tsv');
  const col = (r, name) => unescape(r[head.indexOf(name)]);
  const known = new Set([...tsv('known-differences.tsv'), ...tsv('known-differences-mailin.tsv')]
    .map((r) => `${r[0]}\t${r[1]}`));
  const base = mkdtempSync(join(tmpdir(), 'ayuda-corpus-'));
  let compared = 0, matched = 0;
  const unexplained = [];
  for (const r of rows) {
    const file = col(r, 'file');
    const dir = join(base, file);
    execFileSync(BIN, ['init', '--data', dir], { stdio: 'ignore' });
    const raw = readFileSync(join(CORPUS, 'zammad', file));
    const res = spawnSync(BIN, ['mail-in', '--data', dir], { input: raw, encoding: 'utf8' });
    assert.equal(res.status, 0, `${file}: exit ${res.status} ${res.signal || ''} ${res.stderr}`);
    const out = JSON.parse(res.stdout.trim());
    assert.ok(['created', 'appended', 'ignored'].includes(out.action), file);
    if (out.action !== 'created') continue; // bounces of mail we never sent
    const q = `SELECT u.email, t.subject, (SELECT COUNT(*) FROM attachments a WHERE a.ticket_id = t.id) +`
      + ` (SELECT COUNT(*) FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'system' AND m.body LIKE 'Adjunto rechazado%')`
      + ` FROM tickets t JOIN users u ON u.id = t.requester_id WHERE t.number = ${out.ticket}`;
    const got = sql(dir, q, { separator: '\x1f' }).split('\x1f');
    const checks = [
      ['from_email', col(r, 'from_email').toLowerCase(), got[0]],
      ['subject', col(r, 'subject').trim(), got[1]],
      ['attachments', col(r, 'attachments_no_alt'), got[2]],
    ];
    for (const [field, want, have] of checks) {
      if (field === 'subject' && r[head.indexOf('note')].includes('subject-null')) continue;
      compared++;
      if (want === have) { matched++; continue; }
      if (!known.has(`${file}\t${field}`)) unexplained.push(`${file}\t${field}\t${JSON.stringify(want)}\t${JSON.stringify(have)}`);
    }
    cleanup(dir);
  }
  cleanup(base);
  console.log(`mail-in corpus: ${matched}/${compared} fields match (${(100 * matched / compared).toFixed(1)}%)`);
  assert.deepEqual(unexplained, [], 'differences not listed in a known-differences file');
});
