// Policy 3.vi: "el número máximo de responsables de soporte es definido en
// la etapa comercial". The command line endorses support contacts through
// the same rule as the API: a company with a cap of 1 ends with 1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api, ayuda } from './helpers.mjs';

let dir, srv, agent;

before(async () => {
  dir = newDataDir();
  agent = token(dir, 'agente@ayuda.localhost');
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

function run(args) {
  try {
    return { code: 0, out: ayuda([...args, '--data', dir]) };
  } catch (e) {
    return { code: e.status, out: e.stdout, err: e.stderr };
  }
}

test('a company bought one support contact: the second `user add --contact` is refused', async () => {
  const co = JSON.parse(run(['company', 'add', '--name', 'Ferretería Uno', '--license-product', 'cloud',
    '--license-plan', 'standard', '--license-status', 'active', '--max-contacts', '1']).out);
  const first = run(['user', 'add', '--email', 'rosa@ferreteria.pe', '--name', 'Rosa', '--role', 'customer',
    '--company', 'Ferretería Uno', '--contact']);
  assert.equal(first.code, 0, first.err);
  assert.equal(JSON.parse(first.out).support_contact, true);
  const second = run(['user', 'add', '--email', 'tito@ferreteria.pe', '--name', 'Tito', '--role', 'customer',
    '--company', 'Ferretería Uno', '--contact']);
  assert.equal(second.code, 65);
  assert.match(second.err, /ya tiene 1 de 1 contactos de soporte/);
  // A contact needs a company.
  const alone = run(['user', 'add', '--email', 'sin@empresa.pe', '--name', 'Sin', '--role', 'customer', '--contact']);
  assert.equal(alone.code, 65);
  assert.match(alone.err, /compañía/);

  srv = await serve(dir);
  const contacts = await api(srv, 'GET', `/api/v1/companies/${co.id}/contacts`, { tok: agent });
  assert.equal(contacts.status, 200);
  assert.deepEqual(contacts.body.contacts.map((c) => c.email), ['rosa@ferreteria.pe']);
  // Nothing half-done: Tito was not created either, so he can register.
  const users = await api(srv, 'GET', '/api/v1/users', { tok: agent });
  assert.ok(!JSON.stringify(users.body).includes('tito@ferreteria.pe'));
  // The API says the same for a third person.
  const c = await api(srv, 'GET', `/api/v1/companies/${co.id}`, { tok: agent });
  assert.equal(c.body.contacts, 1);
});
