// Every kind of history event src/ writes reads as a sentence in both
// languages: the console's catalogs have "agevent.<kind>" for each one
// (web/agente/event-text.js), so the timeline never shows an internal code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
// The console's strings (web/i18n/agente.LANG.json, loadStrings('agente')).
const load = (l) => JSON.parse(readFileSync(join(ROOT, 'web/i18n', `agente.${l}.json`), 'utf8'));
const KIND = /^[a-z][a-z_]*(\.[a-z_]+)+$/;

function cFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return cFiles(p);
    return f.endsWith('.c') ? [p] : [];
  });
}

// The text of src without comments, and the arguments of the call that
// starts at the "(" at index open (split at the top-level commas).
const noComments = (s) => s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
function callArgs(s, open) {
  const args = [];
  let depth = 0;
  let cur = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      let j = i + 1;
      while (s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') { depth += 1; if (depth === 1) continue; }
    if (c === ')') { depth -= 1; if (depth === 0) { args.push(cur); return args; } }
    if (c === ',' && depth === 1) { args.push(cur); cur = ''; continue; }
    cur += c;
  }
  throw new Error('unbalanced call');
}
const literals = (s) => [...s.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);

// The kinds: the kind argument of each event_add() (4th) and
// event_add_change() (3rd); where that argument is a variable (a job
// table's member), every literal of the file that looks like a kind.
export function eventKinds() {
  const kinds = new Set();
  for (const file of cFiles(join(ROOT, 'src'))) {
    const s = noComments(readFileSync(file, 'utf8'));
    for (const m of s.matchAll(/\bevent_add(_change)?\s*\(/g)) {
      const args = callArgs(s, m.index + m[0].length - 1);
      if (/^\s*(ay_rc\s|struct\s)/.test(args[0])) continue; // the definition
      const arg = args[m[1] ? 2 : 3];
      const found = literals(arg).filter((l) => KIND.test(l));
      if (found.length) found.forEach((k) => kinds.add(k));
      else literals(s).filter((l) => KIND.test(l)).forEach((k) => kinds.add(k));
    }
  }
  return kinds;
}

test('the scan finds the kinds src/ writes, including those from tables and ternaries', () => {
  const kinds = eventKinds();
  for (const k of ['ticket.created', 'ticket.reopened', 'ticket.status', 'sla.breached', 'development.review_due',
    'vault.read', 'ticket.company_dismissed', 'sla_level.changed', 'supervisor.consulted']) {
    assert.ok(kinds.has(k), `${k} not found by the scan`);
  }
});

test('every event kind has a sentence in agente.es.json and agente.en.json', () => {
  const es = load('es');
  const en = load('en');
  const missing = [...eventKinds()].filter((k) => !es[`agevent.${k}`] || !en[`agevent.${k}`]);
  assert.deepEqual(missing, [], `add "agevent.<kind>" strings for: ${missing.join(', ')}`);
});
