// web/fold.js: the lists the browser filters by what a person types match
// with case and accents aside, as the server's searches do (ay_fold(),
// src/util/fold.h), and every such filter in web/ goes through it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fold, matches } from '../../web/fold.js';

const WEB = new URL('../../web/', import.meta.url).pathname;

test('fold() drops case and accents, as ay_fold() does', () => {
  for (const s of ['ACME PERÚ', 'Acme Perú', 'acme peru']) assert.equal(fold(s), 'acme peru');
  assert.equal(fold('Señalización del almacén'), 'senalizacion del almacen');
  assert.equal(fold('AÇÃO Über'), 'acao uber');
  // Already decomposed (a Mac's file names, some keyboards): the same.
  assert.equal(fold('Peru\u0301'), 'peru');
  assert.equal(fold(null), '');
  assert.equal(fold(42), '42');
});

test('matches(): every word of the query, in any order, accents and case aside', () => {
  assert.equal(matches('Calendario Lima (Perú)', 'peru'), true);
  assert.equal(matches('Calendario Lima (Perú)', 'PERÚ lima'), true);
  assert.equal(matches('Cambiar la categoría', 'categoria'), true);
  assert.equal(matches('Ir a la cola: Sin asignar', '  asig  cola '), true);
  assert.equal(matches('Calendario Lima (Perú)', 'peru cusco'), false);
  assert.equal(matches('Perú', 'perú!'), false);
  assert.equal(matches('Cualquier cosa', ''), true);
  assert.equal(matches('Cualquier cosa', '   '), true);
});

function jsFiles(dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return f === 'vendor' ? [] : jsFiles(p);
    return f.endsWith('.js') ? [p] : [];
  });
}

test('no list in web/ folds text by itself: each uses web/fold.js', () => {
  // A filter of its own: normalize() or a lowercased text searched in.
  const own = /\.normalize\(|toLowerCase\(\)\s*\.\s*(includes|indexOf|startsWith)\(|toLowerCase\(\)\)\s*\.\s*(includes|indexOf|startsWith)\(/;
  const found = jsFiles(WEB).filter((p) => !p.endsWith('/web/fold.js') && own.test(readFileSync(p, 'utf8')))
    .map((p) => relative(WEB, p));
  assert.deepEqual(found, [], 'use fold() or matches() of web/fold.js');
});
