// The agent console (issue 11): the queue in arrival order, refreshed
// without a reload; views and filters in the address; bulk actions; the
// keyboard. Agents are the demo data's (agente@ayuda.localhost).
import { test, expect, newCustomer, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };

test('queue: a customer\'s ticket arrives without a reload, in arrival order, with its SLA in words', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { company: 'Bodega Libre' });
  const as = apiAs(server, u.email);
  const first = await as(page, 'POST', '/tickets', { subject: 'Primero en llegar', body: 'x' });
  await login(page, AGENT);
  await page.goto('/agente');
  await ready(page, 'Cola: sin resolver');
  const row = (n) => page.locator('.queue-row', { has: page.getByRole('link', { name: new RegExp(`Ticket#${n}\\b`) }) });
  await expect(row(first.number)).toBeVisible();
  // The agent selects the first one; a new ticket arrives and the page keeps the selection.
  await page.getByLabel(`Seleccionar Ticket#${first.number}`).check();
  const late = await as(page, 'POST', '/tickets', { subject: 'Llegó después', body: 'y' });
  await expect(row(late.number)).toBeVisible({ timeout: 15000 });
  await expect(page.getByLabel(`Seleccionar Ticket#${first.number}`)).toBeChecked();
  const numbers = await page.locator('.queue-number').allTextContents();
  expect(numbers.indexOf(`Ticket#${first.number}`)).toBeLessThan(numbers.indexOf(`Ticket#${late.number}`));
  await expect(row(late.number)).toContainText('Ana Pérez · Bodega Libre');
  await expect(row(late.number)).toContainText('Sin asignar');
  await expect(row(late.number).locator('.sla-clock')).toContainText(/quedan|en riesgo|vencido|sin plazo/);
  await checkA11y(page);
  await shot(page, 'agente-cola', testInfo);

  // Bulk: assign the selected one to me; the view "Míos" shows it, bookmarkable.
  await page.getByLabel('Asignar a').selectOption('me');
  await page.getByRole('button', { name: 'Asignar 1' }).click();
  await expect(page.getByText('Hecho. Tickets cambiados: 1.')).toBeVisible();
  await page.getByRole('link', { name: 'Míos' }).click();
  await ready(page, 'Cola: mis tickets');
  expect(page.url()).toContain('vista=mine');
  await expect(row(first.number)).toBeVisible();
  await expect(row(late.number)).toHaveCount(0);
  await page.reload();
  await ready(page, 'Cola: mis tickets');

  // Filters are in the address too.
  await page.goto('/agente?vista=all&estado=pending_customer');
  await ready(page, 'Cola: todos');
  await expect(page.getByLabel('Estado', { exact: true })).toHaveValue('pending_customer');
  await expect(row(first.number)).toHaveCount(0);
});

test('queue by keyboard: j/k move, x selects, a assigns to me, ? lists the keys, never while typing', async ({ page, server }) => {
  const u = newCustomer(server);
  const as = apiAs(server, u.email);
  const a = await as(page, 'POST', '/tickets', { subject: 'Teclado uno', body: 'x' });
  const b = await as(page, 'POST', '/tickets', { subject: 'Teclado dos', body: 'x' });
  await login(page, AGENT);
  await page.goto('/agente?vista=unassigned');
  await ready(page, 'Cola: sin asignar');
  await expect(page.getByRole('link', { name: new RegExp(`Ticket#${b.number}\\b`) })).toBeVisible();
  // Move to ticket a with j.
  const links = page.locator('.queue-link');
  const count = await links.count();
  const texts = await page.locator('.queue-number').allTextContents();
  const ia = texts.indexOf(`Ticket#${a.number}`);
  for (let i = 0; i <= ia; i++) await page.keyboard.press('j');
  await expect(links.nth(ia)).toBeFocused();
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  await expect(links.nth(ia)).toBeFocused();
  await page.keyboard.press('x');
  await expect(page.getByLabel(`Seleccionar Ticket#${a.number}`)).toBeChecked();
  expect(count).toBeGreaterThan(1);
  // Typing in a field: no shortcut fires.
  await page.getByText('Filtros').click();
  await page.getByLabel('Asignar a').focus();
  await page.keyboard.press('x');
  await expect(page.getByLabel(`Seleccionar Ticket#${a.number}`)).toBeChecked();
  await page.locator('body').click({ position: { x: 1, y: 1 } });
  await expect(page.getByRole('button', { name: 'Asignarme los seleccionados (1)' })).toHaveAttribute('aria-keyshortcuts', 'a');
  await page.keyboard.press('a');
  await expect(page.getByRole('link', { name: new RegExp(`Ticket#${a.number}\\b`) })).toHaveCount(0, { timeout: 15000 });
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog', { name: 'Atajos de teclado' })).toBeVisible();
});

test('ticket by keyboard: open from the queue, a note stays inside, the answer reaches the customer', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  const as = apiAs(server, u.email);
  const tk = await as(page, 'POST', '/tickets', { subject: 'No puedo entrar al portal', body: 'Me dice clave incorrecta.' });
  await login(page, AGENT);
  await page.goto('/agente?vista=unassigned');
  await ready(page, 'Cola: sin asignar');
  await expect(page.getByRole('link', { name: new RegExp(`Ticket#${tk.number}\\b`) })).toBeVisible();
  const texts = await page.locator('.queue-number').allTextContents();
  const i = texts.indexOf(`Ticket#${tk.number}`);
  expect(i).toBeGreaterThanOrEqual(0);
  for (let k = 0; k <= i; k++) await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await ready(page, `Ticket#${tk.number}: No puedo entrar al portal`);
  await expect(page.getByRole('article', { name: 'Mensaje del cliente Ana Pérez' })).toContainText('Me dice clave incorrecta.');

  // n: the note composer; its button says it stays with the team.
  await page.keyboard.press('n');
  await expect(page.getByLabel('Nota interna')).toBeFocused();
  await page.keyboard.type('Nota secreta: revisar el LDAP del cliente');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Guardar nota interna (solo el equipo)' })).toBeFocused();
  await page.keyboard.press('Enter');
  const note = page.getByRole('article', { name: /^Nota interna de / });
  await expect(note).toContainText('Nota secreta');
  await expect(note).toContainText('Nota interna: no la ve el cliente');

  // r: the answer, sent by keyboard, named for its recipient.
  await page.keyboard.press('r');
  await expect(page.getByLabel('Responder al cliente')).toBeFocused();
  await page.keyboard.type('Hola Ana, ya restablecimos su acceso.');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Enviar respuesta a Ana Pérez' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('article', { name: /^Respuesta al cliente de / })).toContainText('ya restablecimos');
  await expect(page.getByRole('article', { name: /^Respuesta al cliente de / })).not.toContainText('Nota secreta');

  // The answer reaches the customer's mail; the note, written before it, never does.
  await server.mailTo(u.email, (m) => /ya restablecimos/.test(m.text));
  const leaked = server.mails().filter((m) => /Nota secreta/.test(m.text) || /Nota secreta/.test(m.raw));
  expect(leaked).toEqual([]);

  await page.keyboard.press('a');
  await expect(page.getByRole('button', { name: 'Asignado a usted' })).toBeVisible();
  await page.locator('.msg-html[open]').evaluateAll((ds) => ds.forEach((d) => { d.open = false; }));
  await checkA11y(page);
  await shot(page, 'agente-ticket', testInfo);
  await page.getByText('¿Por qué este plazo?').click();
  await expect(page.locator('.ag-explain')).toContainText(/Plazo del nivel|Sin plazo/);
  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await ready(page, 'Cola: sin resolver');
});
