// The admin console's people and companies (issue 13, items 5 and 10): the
// admin endorses a company's support contacts up to its cap and the next
// one is refused with the message naming the cap; disables a person, who
// can then no longer log in; issues and revokes an API token; rejects an
// SLA inclusion request with a reason, which reaches the requester by mail,
// and approves another into the company it names. By keyboard, axe-core on
// every page, screenshots at both widths, dark mode and English.
import { test, expect, login, checkA11y, shot, ready, newCustomer, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

const ADMIN = { email: 'admin@ayuda.localhost', password: DEMO_PASSWORD };
const SUPERVISOR = { email: 'supervisora@ayuda.localhost', password: DEMO_PASSWORD };

// Press a button (or follow a link) from the keyboard.
async function press(locator) {
  await locator.focus();
  await locator.page().keyboard.press('Enter');
}

// Switch the language from the header and wait until the profile keeps it
// (PATCH /me): the admin is shared with the worker's other specs, which
// expect Spanish.
async function switchLang(page, name) {
  const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
  await page.getByRole('button', { name }).click();
  expect((await saved).ok()).toBeTruthy();
}

// A company with a cap of `max` support contacts, and `people` customers
// in it (none endorsed yet): { name, id, people }.
function companyWith(server, tag, max, people) {
  const name = `Ferretería ${tag} ${Date.now() % 100000}`;
  const out = server.ayuda(['company', 'add', '--name', name, '--license-product', 'cloud', '--license-plan', 'standard',
    '--license-status', 'active', '--max-contacts', String(max)]);
  const id = JSON.parse(out.trim().split('\n').pop()).id;
  const list = people.map((p) => newCustomer(server, { name: p, company: name }));
  return { name, id, people: list };
}

test('the admin endorses contacts up to the cap, and the next one is refused with the message', async ({ page, server }, testInfo) => {
  test.setTimeout(120_000); // several pages, each checked whole
  const co = companyWith(server, 'Tope', 2, ['Rosa Uno', 'Tito Dos', 'Zoe Tres']);
  await login(page, ADMIN);
  await page.goto(`/admin/empresas?q=${encodeURIComponent(co.name)}`);
  await ready(page, 'Empresas');
  await expect(page.getByRole('status').filter({ hasText: '1 empresa' })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'admin-empresas', testInfo);
  await press(page.getByRole('link', { name: co.name }));
  await ready(page, co.name);
  await expect(page.getByText('Tiene 0 de 2 contactos de soporte')).toBeVisible();

  const pick = page.getByLabel('Persona de la empresa');
  const endorse = page.getByRole('button', { name: 'Avalar como contacto' });
  for (const p of co.people.slice(0, 2)) {
    await pick.focus();
    await pick.selectOption({ label: `${p.name} (${p.email})` });
    await press(endorse);
    await expect(page.getByText(`${p.name} es ahora contacto de soporte.`)).toBeVisible();
  }
  await expect(page.getByText('Tiene 2 de 2 contactos de soporte')).toBeVisible();
  const contacts = page.getByRole('table', { name: 'Contactos de soporte' });
  await expect(contacts.getByRole('row')).toHaveCount(3);

  // The third: refused, the summary names the cap and leads to the field.
  const third = co.people[2];
  await pick.selectOption({ label: `${third.name} (${third.email})` });
  await press(endorse);
  const message = `${co.name} ya tiene 2 contactos de soporte, el máximo contratado.`;
  const summary = page.getByRole('alert').filter({ hasText: 'Hay un problema' });
  await expect(summary).toContainText(message);
  await expect(page.locator('.error-summary')).toBeFocused();
  await press(summary.getByRole('link', { name: new RegExp(message) }));
  await expect(pick).toBeFocused();
  await expect(contacts.getByRole('row')).toHaveCount(3);
  const api = await (await page.request.get(`/api/v1/companies/${co.id}/contacts`)).json();
  expect(api.contacts.map((c) => c.email).sort()).toEqual(co.people.slice(0, 2).map((p) => p.email).sort());
  await checkA11y(page);
  await shot(page, 'admin-empresa-tope', testInfo);

  // Withdrawing one makes room: the third is endorsed. Both are audited.
  await press(contacts.getByRole('button', { name: `Retirar aval ${co.people[0].name}` }));
  await expect(page.getByText(`${co.people[0].name} ya no es contacto de soporte.`)).toBeVisible();
  await pick.selectOption({ label: `${third.name} (${third.email})` });
  await press(endorse);
  await expect(page.getByText(`${third.name} es ahora contacto de soporte.`)).toBeVisible();
  const audit = await (await page.request.get('/api/v1/audit?kind=company.contact_removed')).json();
  expect(audit.events[0].data).toMatchObject({ company: co.id, before: { support_contact: true }, after: { support_contact: false } });

  // The company's licence and cap are edited on the same page.
  await page.getByLabel('Máximo de contactos de soporte').fill('3');
  await page.getByLabel('Nivel de partner').selectOption({ label: 'Plata' });
  await press(page.getByRole('button', { name: 'Guardar la empresa' }));
  await expect(page.getByText('Datos de la empresa guardados.')).toBeVisible();
  await expect(page.getByText('Tiene 2 de 3 contactos de soporte')).toBeVisible();
  const upd = await (await page.request.get('/api/v1/audit?kind=admin.company_updated')).json();
  expect(upd.events[0].data.before.max_contacts).toBe(2);
  expect(upd.events[0].data.after.max_contacts).toBe(3);

  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page);
  await shot(page, 'admin-empresa-oscuro', testInfo);
  await page.emulateMedia({ colorScheme: 'light' });
});

test('the admin disables a person, who can no longer log in; a token is issued once and revoked', async ({ page, server, browser }, testInfo) => {
  test.setTimeout(120_000); // several pages, each checked whole
  const u = newCustomer(server, { name: 'Débora Desactivable' });
  await login(page, ADMIN);
  await page.goto('/admin/personas');
  await ready(page, 'Personas');
  await page.getByLabel('Nombre o correo').fill(u.email);
  await page.getByLabel('Nombre o correo').press('Enter');
  await expect(page).toHaveURL(/\/admin\/personas\?q=/);
  await expect(page.getByRole('status').filter({ hasText: '1 persona' })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'admin-personas', testInfo);
  await press(page.getByRole('link', { name: u.name }));
  await ready(page, u.name);

  // A token: its secret shown once, it works, then revoked it does not.
  await page.getByLabel('Nombre del token').fill('Integración CRM');
  await press(page.getByRole('button', { name: 'Crear token' }));
  const secret = page.getByLabel('Secreto del token');
  await expect(secret).toBeFocused();
  const token = await secret.inputValue();
  expect(token).toMatch(/^ayu_[0-9a-f]{64}$/);
  const me = async () => (await page.request.get('/api/v1/me', { headers: { Authorization: `Bearer ${token}` } })).status();
  expect(await me()).toBe(200);
  await checkA11y(page);
  await shot(page, 'admin-persona-token', testInfo);
  await press(page.getByRole('button', { name: 'Ya lo he copiado' }));
  await press(page.getByRole('button', { name: 'Revocar «Integración CRM»' }));
  await expect(page.getByText('Token «Integración CRM» revocado: ya no sirve.')).toBeVisible();
  expect(await me()).toBe(401);

  // Language and zone.
  await page.getByLabel('Idioma', { exact: true }).selectOption('en');
  await page.getByLabel('Zona horaria', { exact: true }).fill('America/Bogota');
  await press(page.getByRole('button', { name: 'Guardar cambios' }));
  await expect(page.getByText('Cambios guardados.')).toBeVisible();
  const after = await (await page.request.get(`/api/v1/users?q=${encodeURIComponent(u.email)}`)).json();
  expect(after.users[0].lang).toBe('en');

  // Disabled: the notice, the audit, and the log in refused.
  await press(page.getByRole('button', { name: 'Desactivar la cuenta' }));
  await expect(page.getByText(`Cuenta de ${u.name} desactivada`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Activar la cuenta' })).toBeVisible();
  const audit = await (await page.request.get('/api/v1/audit?kind=admin.user_updated')).json();
  expect(audit.events[0].data).toMatchObject({ before: { disabled: false }, after: { disabled: true } });
  await checkA11y(page);
  await shot(page, 'admin-persona', testInfo);

  const other = await browser.newContext({ baseURL: server.url, locale: 'es-PE' });
  const them = await other.newPage();
  await them.goto('/entrar');
  await ready(them, 'Entrar');
  await them.getByLabel('Correo electrónico').fill(u.email);
  await them.getByLabel('Contraseña', { exact: true }).fill(u.password);
  await them.getByLabel('Contraseña', { exact: true }).press('Enter');
  await expect(them.getByText('El correo o la contraseña no son correctos.')).toBeVisible();
  await expect(them).toHaveURL(/\/entrar/);
  await other.close();
});

test('an inclusion request is rejected with a reason, mailed to the requester; another approved', async ({ page, server }, testInfo) => {
  test.setTimeout(120_000); // several pages, each checked whole
  const co = companyWith(server, 'Inclusión', 3, []);
  const nora = newCustomer(server, { name: 'Nora Rechazada' });
  const abel = newCustomer(server, { name: 'Abel Aprobado' });
  const ask = async (who, company) => apiAs(server, who.email)(page, 'POST', '/sla-inclusion', {
    kind: 'commercial', full_name: who.name, position: 'Gerente', company_name: company, consultant: 'Álvaro Agente',
  });
  const rejected = (await ask(nora, 'Empresa Inventada SAC')).number;
  const approved = (await ask(abel, co.name.toLowerCase())).number;

  await login(page, ADMIN);
  await page.goto('/admin');
  await press(page.getByRole('navigation', { name: 'Administración' }).getByRole('link', { name: 'Inclusión en el SLA' }));
  await ready(page, 'Solicitudes de inclusión en el SLA');
  const item = (n) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: new RegExp(`Ticket#${n}\\b`) }) });
  await expect(item(rejected)).toContainText('Empresa Inventada SAC');
  await checkA11y(page);
  await shot(page, 'admin-inclusion', testInfo);
  // In English and in dark mode.
  await switchLang(page, 'English');
  await ready(page, 'SLA inclusion requests');
  await expect(item(rejected).getByRole('button', { name: 'Reject and send the reason' })).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page);
  await shot(page, 'admin-inclusion-en-oscuro', testInfo);
  await page.emulateMedia({ colorScheme: 'light' });
  await switchLang(page, 'Español');
  await ready(page, 'Solicitudes de inclusión en el SLA');

  // A rejection needs its reason; with it, the requester is told by mail.
  const reject = item(rejected).getByRole('button', { name: 'Rechazar y enviar el motivo' });
  await press(reject);
  await expect(item(rejected).getByRole('alert')).toContainText('Escriba el motivo del rechazo');
  const reason = 'No encontramos una licencia a nombre de Empresa Inventada SAC.';
  await item(rejected).getByLabel('Motivo del rechazo').fill(reason);
  await press(reject);
  await expect(page.getByText(`Solicitud del Ticket#${rejected} rechazada`)).toBeVisible();
  await expect(item(rejected)).toHaveCount(0);
  const mail = await server.mailTo(nora.email, (m) => m.text.includes(reason));
  expect(mail.subject).toContain(`#${rejected}]`);
  expect(mail.text).toContain(`Motivo: ${reason}`);

  // The other is approved into the company it names (in any case).
  const company = item(approved).getByLabel('Empresa', { exact: true });
  await expect(company.locator('option:checked')).toHaveText(co.name);
  await press(item(approved).getByRole('button', { name: 'Aprobar la solicitud' }));
  await expect(page.getByText(`${abel.name} es ahora contacto de soporte de ${co.name}.`)).toBeVisible();
  const contacts = await (await page.request.get(`/api/v1/companies/${co.id}/contacts`)).json();
  expect(contacts.contacts.map((c) => c.email)).toEqual([abel.email]);
  // The notice follows a change of language.
  await switchLang(page, 'English');
  await expect(page.getByText(`Request of Ticket#${approved} approved`)).toBeVisible();
  await switchLang(page, 'Español');
  await ready(page, 'Solicitudes de inclusión en el SLA');
});

test('people are searched, paged 25 at a time and filtered by role, all in the address', async ({ page, server }, testInfo) => {
  const tag = `Paginada${Date.now() % 100000}w${server.workerIndex}`;
  for (let i = 1; i <= 26; i++) {
    server.ayuda(['user', 'add', '--email', `${tag.toLowerCase()}-${i}@example.com`, '--name', `${tag} ${String(i).padStart(2, '0')}`, '--role', 'customer']);
  }
  await login(page, ADMIN);
  await page.goto('/admin/personas');
  await ready(page, 'Personas');
  await page.getByLabel('Nombre o correo').fill(tag);
  await press(page.getByRole('button', { name: 'Buscar' }));
  await expect(page.getByRole('status').filter({ hasText: '26 personas' })).toBeVisible();
  const pager = page.getByRole('navigation', { name: 'Páginas' });
  await expect(pager).toContainText('Página 1 de 2');
  const rows = page.getByRole('table', { name: 'Personas' }).locator('tbody tr');
  await expect(rows).toHaveCount(25);
  await press(pager.getByRole('link', { name: 'Página siguiente' }));
  await expect(page).toHaveURL(/pagina=2/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${tag} 26`);
  await checkA11y(page);
  await shot(page, 'admin-personas-pagina', testInfo);
  await page.reload();
  await ready(page, 'Personas');
  await expect(rows).toHaveCount(1);

  // A role alone: every row has it.
  await page.getByLabel('Nombre o correo').fill('');
  await page.getByLabel('Rol', { exact: true }).selectOption({ label: 'Agente' });
  await press(page.getByRole('button', { name: 'Buscar' }));
  await expect(page).toHaveURL(/\/admin\/personas\?rol=agent$/);
  await expect(rows.filter({ hasText: 'Álvaro Agente' })).toHaveCount(1);
  for (const role of await rows.locator('td:nth-of-type(2)').allTextContents()) expect(role).toContain('Agente');
});

test('a supervisor is told the people and companies pages are for administrators', async ({ page }) => {
  await login(page, SUPERVISOR);
  for (const [path, title] of [['/admin/personas', 'Personas'], ['/admin/empresas/1', 'Empresas'], ['/admin/inclusion', 'Solicitudes de inclusión en el SLA']]) {
    await page.goto(path);
    await ready(page, title);
    await expect(page.getByText('Esta sección es solo para administradores.')).toBeVisible();
  }
  await checkA11y(page);
});
