// The catalogs web/i18n/{es,en}.json (and their parts, NAME.{es,en}.json):
// the same keys, the same {placeholders}
// in each string, and every key the code asks for with t('literal') exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const WEB = new URL('../../web/', import.meta.url).pathname;
// A language's catalog: i18n/LANG.json and the parts i18n/NAME.LANG.json
// (loadStrings), which never repeat a key.
const load = (l) => {
  const all = JSON.parse(readFileSync(join(WEB, 'i18n', `${l}.json`), 'utf8'));
  for (const f of readdirSync(join(WEB, 'i18n')).filter((n) => n.endsWith(`.${l}.json`))) {
    const part = JSON.parse(readFileSync(join(WEB, 'i18n', f), 'utf8'));
    const twice = Object.keys(part).filter((k) => k in all);
    if (twice.length) throw new Error(`${f} repeats ${twice.join(', ')}`);
    Object.assign(all, part);
  }
  return all;
};
const es = load('es');
const en = load('en');
const holes = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('es and en have the same keys', () => {
  const only = (a, b) => Object.keys(a).filter((k) => !(k in b));
  assert.deepEqual(only(es, en), [], 'keys missing from en.json');
  assert.deepEqual(only(en, es), [], 'keys missing from es.json');
});

test('each string has the same placeholders in both languages', () => {
  for (const k of Object.keys(es)) {
    assert.equal(typeof es[k], 'string', `es ${k}`);
    assert.equal(typeof en[k], 'string', `en ${k}`);
    assert.deepEqual(holes(en[k]), holes(es[k]), `placeholders of ${k}`);
    assert.ok(es[k].trim() && en[k].trim(), `empty string for ${k}`);
  }
});

function sources(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (f === 'vendor') return [];
    if (statSync(p).isDirectory()) return sources(p);
    return f.endsWith('.js') ? [p] : [];
  });
}

test("every t('key') in web/ exists in the catalogs", () => {
  const missing = [];
  for (const file of sources(WEB)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) if (!(m[1] in es)) missing.push(`${file.slice(WEB.length)}: ${m[1]}`);
  }
  assert.deepEqual(missing, []);
});

// Counted strings: "KEY_one" is the singular of KEY, which tn(KEY, n, ...)
// picks by the language's plural rule (web/i18n.js), so no one reads
// "Reintentar los 1 fallidos". A Spanish string whose placeholder is
// followed by a plural word ("{n} días", "{n} fallidos") is a count and
// needs its singular, but for these, whose count is never 1:
const NEVER_ONE = {
  'adm.sla.err.name_es_long': 'the field length limits (80 and 500)',
  'adm.sla.err.name_en_long': 'the field length limits (80 and 500)',
  'adm.sla.err.desc_es_long': 'the field length limits (80 and 500)',
  'adm.sla.err.desc_en_long': 'the field length limits (80 and 500)',
  'sup.data': 'the data table of a figure is folded only past 12 rows',
};
const NOT_PLURAL = new Set(['más', 'es', 'son']);

test('a string that counts things has its singular', () => {
  const missing = [];
  for (const [k, v] of Object.entries(es)) {
    if (k.endsWith('_one') || `${k}_one` in es || k in NEVER_ONE) continue;
    for (const m of v.matchAll(/\{\w+\}\)? (\p{L}{2,})\b/gu)) {
      if (m[1].endsWith('s') && !NOT_PLURAL.has(m[1])) missing.push(`${k}: ${v}`);
    }
  }
  assert.deepEqual(missing, [], 'add "KEY_one" (es and en) and ask for it with tn()');
  for (const k of Object.keys(NEVER_ONE)) assert.ok(k in es, `NEVER_ONE lists ${k}, which is gone`);
});

test('a string with a singular is asked for with tn(), which picks the form', () => {
  const wrong = [];
  for (const file of sources(WEB)) {
    const text = readFileSync(file, 'utf8');
    const at = file.slice(WEB.length);
    for (const m of text.matchAll(/\btn\(\s*'([\w.-]+)'/g)) if (!(`${m[1]}_one` in es)) wrong.push(`${at}: tn('${m[1]}') has no ${m[1]}_one`);
    for (const m of text.matchAll(/\bt\(\s*'([\w.-]+)'/g)) if (`${m[1]}_one` in es) wrong.push(`${at}: t('${m[1]}') has a singular: tn()`);
    for (const m of text.matchAll(/=== 1 \? t\(|'[\w.-]+_one'/g)) wrong.push(`${at}: ${m[0]}: tn() chooses the form`);
  }
  assert.deepEqual(wrong, []);
});
