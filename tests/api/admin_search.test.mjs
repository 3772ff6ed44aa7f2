// The admin's searches of people and companies ignore case and accents in
// any script, on both stores: SQLite's own lower() folds ASCII only, so
// "perú" missed "ACME PERÚ" there (store/sqlite.c registers ay_fold()).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withDemoServer, api, ayuda } from './helpers.mjs';

let srv, admin;

withDemoServer({
  admin: 'admin@ayuda.localhost',
}, (d) => ({ srv, admin } = d), {
  setup: (dir) => {
    ayuda(['company', 'add', '--name', 'ACME PERÚ', '--data', dir]);
    ayuda(['company', 'add', '--name', 'Óptica Ñandú', '--data', dir]);
    ayuda(['company', 'add', '--name', 'Ábaco Digital', '--data', dir]);
    ayuda(['user', 'add', '--email', 'angela@optica.pe', '--name', 'ÁNGELA NÚÑEZ', '--role', 'customer',
      '--company', 'Óptica Ñandú', '--data', dir]);
    ayuda(['user', 'add', '--email', 'eleni@example.gr', '--name', 'Ελένη Παπαδοπούλου', '--role', 'customer', '--data', dir]);
  },
});

const companies = async (q) =>
  (await api(srv, 'GET', `/api/v1/companies?q=${encodeURIComponent(q)}`, { tok: admin })).body.companies.map((c) => c.name).sort();
const people = async (q) =>
  (await api(srv, 'GET', `/api/v1/users?q=${encodeURIComponent(q)}`, { tok: admin })).body.users.map((u) => u.email).sort();

test('a company is found whatever the case and accents of the search', async () => {
  for (const q of ['Acme Perú', 'perú', 'PERU', 'acme peru']) {
    assert.deepEqual(await companies(q), ['ACME PERÚ', 'Acme Perú SAC'], q);
  }
  for (const q of ['ÓPTICA', 'ñandú', 'NANDU', 'optica ñandu']) {
    assert.deepEqual(await companies(q), ['Óptica Ñandú'], q);
  }
});

test('a person is found by name whatever the case and accents, in any script', async () => {
  for (const q of ['ángela', 'Angela Núñez', 'NUNEZ', 'ÁnGeLa']) {
    assert.deepEqual(await people(q), ['angela@optica.pe'], q);
  }
  for (const q of ['ελένη', 'ΕΛΈΝΗ', 'ελενη', 'ΠΑΠΑΔΟΠΟΎΛΟΥ']) {
    assert.deepEqual(await people(q), ['eleni@example.gr'], q);
  }
});

test('the lists sort names without regard to case and accents', async () => {
  const all = (await api(srv, 'GET', '/api/v1/companies?limit=100', { tok: admin })).body.companies.map((c) => c.name);
  const at = (name) => all.indexOf(name);
  assert.ok(at('Ábaco Digital') >= 0 && at('Ábaco Digital') < at('ACME PERÚ'), all.join(', '));
  assert.ok(at('Bodega Libre') < at('Óptica Ñandú'), all.join(', '));
});
