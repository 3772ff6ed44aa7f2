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
