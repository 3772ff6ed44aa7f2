// The console worked from the keyboard alone (issue 11, items 11, 12, 14):
// a queue triaged with j/k, x, a, o, s, r and g q; "/" and the search page;
// Ctrl+K and the command palette; a shortcut typed in the composer is text.
import { test, expect, newCustomer, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };
const AGENT_NAME = 'Álvaro Agente';

// A customer of a company of their own, so that the queue filtered by it
// (?empresa=ID) holds only this test's tickets, in arrival order.
function customerOfOwnCompany(server, tag) {
  const name = `Comercial ${tag} ${Date.now() % 1000000}`;
  server.ayuda(['company', 'add', '--name', name]);
  return newCustomer(server, { company: name });
}

// Press `key` until `locator` has the focus (at most `max` times).
async function pressUntilFocused(page, key, locator, max = 12) {
  for (let i = 0; i < max; i++) {
    if (await locator.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  await expect(locator).toBeFocused();
}

test('triage by keyboard alone: j/k, x and a in the queue; o, a, s, r and send in the ticket; g q back', async ({ page, server }, testInfo) => {
  const u = customerOfOwnCompany(server, 'teclado');
  const as = apiAs(server, u.email);
  const first = await as(page, 'POST', '/tickets', { subject: 'La impresora no responde', body: 'Desde el lunes no imprime.' });
  const second = await as(page, 'POST', '/tickets', { subject: 'Cambio de contraseña', body: 'No me llega el correo.' });
  expect(first.company && first.company.id).toBeTruthy();
  await login(page, AGENT);
  await page.goto(`/agente?empresa=${first.company.id}`);
  await ready(page, 'Cola: sin resolver');
  const link = (n) => page.getByRole('link', { name: new RegExp(`Ticket#${n}\\b`) });
  const row = (n) => page.locator('.queue-row', { has: link(n) });
  await expect(link(second.number)).toBeVisible();

  // j twice, k once: the first ticket has the focus.
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(link(second.number)).toBeFocused();
  await page.keyboard.press('k');
  await expect(link(first.number)).toBeFocused();
  // j, x: the second one is selected; a assigns the selection to me.
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  await expect(page.getByLabel(`Seleccionar Ticket#${second.number}`)).toBeChecked();
  await expect(page.getByRole('heading', { name: 'Cambiar los seleccionados (1)' })).toBeVisible();
  await page.keyboard.press('a');
  await expect(page.getByText('Hecho. Tickets cambiados: 1.')).toBeVisible();
  await expect(row(second.number)).toContainText(AGENT_NAME);
  await expect(row(first.number)).toContainText('Sin asignar');

  // k, s: the first one (nothing selected) is selected and the status
  // control of the selection takes the focus; "e" picks "En espera del
  // cliente", Tab reaches its button, Enter applies it.
  await page.keyboard.press('k');
  await expect(link(first.number)).toBeFocused();
  await page.keyboard.press('s');
  const bulkStatus = page.getByLabel('Estado nuevo');
  await expect(bulkStatus).toBeFocused();
  await expect(page.getByLabel(`Seleccionar Ticket#${first.number}`)).toBeChecked();
  await page.keyboard.press('e');
  await expect(bulkStatus).toHaveValue('pending_customer');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Cambiar estado de 1' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row(first.number)).toContainText('En espera del cliente');

  // o opens the ticket in hand.
  await page.keyboard.press('o');
  await ready(page, `Ticket#${first.number}: La impresora no responde`);
  await expect(page.getByRole('article', { name: /^Mensaje del cliente / })).toContainText('Desde el lunes no imprime.');

  // a: mine.
  await page.keyboard.press('a');
  await expect(page.getByRole('button', { name: 'Asignado a usted' })).toBeVisible();

  // s: the ticket's status control has the focus; "a" picks "Abierto".
  await page.keyboard.press('s');
  const status = page.getByLabel('Estado', { exact: true });
  await expect(status).toBeFocused();
  await page.keyboard.press('a');
  await expect(status).toHaveValue('open');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Cambiar estado' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('.facts')).toContainText('Abierto');
  // c: the category control; Tab leaves it (its button is off while the
  // category is the same) for the next control, out of the fields.
  await page.keyboard.press('c');
  await expect(page.getByLabel('Categoría', { exact: true })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect.poll(() => page.evaluate(() => document.activeElement.matches('input, textarea, select'))).toBe(false);

  // r: the answer, typed and sent from the keyboard.
  await page.keyboard.press('r');
  const answer = page.getByLabel('Responder al cliente');
  await expect(answer).toBeFocused();
  await page.keyboard.type('Hola Ana, reinstale el controlador de la impresora, por favor.');
  await pressUntilFocused(page, 'Tab', page.getByRole('button', { name: `Enviar respuesta a ${u.name}` }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('article', { name: /^Respuesta al cliente de / })).toContainText('reinstale el controlador');
  await server.mailTo(u.email, (m) => /reinstale el controlador/.test(m.text));

  // g q: back to the queue.
  await page.keyboard.press('g');
  await page.keyboard.press('q');
  await ready(page, 'Cola: sin resolver');
  await shot(page, 'agente-teclado-cola', testInfo);
});

test('a shortcut typed in the composer is text; "?" lists every key', async ({ page, server }) => {
  const u = newCustomer(server);
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', { subject: 'Atajos dentro del texto', body: 'x' });
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: Atajos dentro del texto`);
  await page.keyboard.press('r');
  const answer = page.getByLabel('Responder al cliente');
  await expect(answer).toBeFocused();
  await page.keyboard.type('a s c n x j k / g q ?');
  await expect(answer).toHaveValue('a s c n x j k / g q ?');
  await expect(answer).toBeFocused();
  await expect(page).toHaveURL(new RegExp(`/agente/tickets/${tk.number}$`));
  await expect(page.getByRole('button', { name: 'Asignármelo' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // Tab leaves the box (to its send button); then ? is a key again.
  await page.keyboard.press('Tab');
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Atajos de teclado' });
  await expect(help).toBeVisible();
  for (const k of ['j', 'k', 'o', 'x', 'a', 's', 'c', 'r', 'n', '/', 'g q', 'Ctrl+K', '?']) {
    await expect(help.locator('kbd', { hasText: new RegExp(`^${k.replace(/[?/+]/g, '\\$&')}$`) })).toHaveCount(1);
  }
});

test('"/" searches as the agent types: an accent-less word finds the ticket, Enter opens it', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { company: 'Bodega Libre' });
  const tag = Date.now() % 1000000;
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', {
    subject: `Señalización${tag} del almacén`, body: 'Los carteles de evacuación están mal ubicados.' });
  await login(page, AGENT);
  await page.goto('/agente');
  await ready(page, 'Cola: sin resolver');
  await page.keyboard.press('/');
  await ready(page, 'Buscar tickets');
  const box = page.getByRole('searchbox', { name: 'Palabras a buscar' });
  await expect(box).toBeFocused();
  await page.keyboard.type(`senalizacion${tag}`);
  const hit = page.getByRole('link', { name: new RegExp(`Ticket#${tk.number}\\b`) });
  await expect(hit).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: `«senalizacion${tag}»: 1` })).toBeVisible();
  const result = page.locator('.find-result', { has: hit });
  await expect(result).toContainText(`Señalización${tag} del almacén`);
  await expect(result).toContainText('Ana Pérez');
  await expect(result).toContainText('Bodega Libre');
  await expect(result).toContainText('Nuevo');
  await expect(result.locator('mark')).toHaveText(`Señalización${tag}`);
  // The address is the search: bookmarkable.
  await expect(page).toHaveURL(new RegExp(`/agente/buscar\\?q=senalizacion${tag}$`));
  await checkA11y(page);
  await shot(page, 'agente-buscar', testInfo);
  // The arrows walk into the list and back to the box.
  await page.keyboard.press('ArrowDown');
  await expect(hit).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(box).toBeFocused();
  await page.keyboard.press('Enter');
  await ready(page, `Ticket#${tk.number}: Señalización${tag} del almacén`);

  // A reload of the bookmarked address shows the same results.
  await page.goto('/agente/buscar?q=carteles+evacuacion');
  await ready(page, 'Buscar tickets');
  await expect(box).toHaveValue('carteles evacuacion');
  await expect(hit).toBeVisible();
  await expect(page.locator('.find-result', { has: hit }).locator('mark')).toHaveText(['carteles', 'evacuación']);
  // Nothing found is said so.
  await box.fill(`zzzz${tag}`);
  await expect(page.getByText(`Ningún ticket coincide con «zzzz${tag}».`)).toBeVisible();
  // Enter typed before the answer came opens the first result when it comes.
  await box.fill(`almacen senalizacion${tag}`);
  await page.keyboard.press('Enter');
  await ready(page, `Ticket#${tk.number}: Señalización${tag} del almacén`);
});

test('Ctrl+K: the command palette opens a ticket by number, filters as typed, Escape gives the focus back', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', { subject: 'Abrir por número', body: 'x' });
  await login(page, AGENT);
  await page.goto('/agente');
  await ready(page, 'Cola: sin resolver');
  const focused = page.locator('.queue-link').first();
  await expect(focused).toBeVisible();
  await page.keyboard.press('j');
  await expect(focused).toBeFocused();

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Paleta de comandos' });
  await expect(palette).toBeVisible();
  const box = palette.getByRole('combobox', { name: 'Un comando, un número de ticket o palabras para buscar' });
  await expect(box).toBeFocused();
  // With a row in hand, the queue's actions are offered.
  await expect(palette.getByRole('option', { name: /^Asignármelo/ })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'agente-paleta', testInfo);
  // Filtered as typed, accents aside: "asig" keeps "Sin asignar", not "Todos".
  await page.keyboard.type('asig');
  await expect(palette.getByRole('option', { name: 'Ir a la cola: Sin asignar' })).toBeVisible();
  await expect(palette.getByRole('option', { name: 'Ir a la cola: Todos' })).toHaveCount(0);
  // Case and accents aside (web/fold.js): "CATEGORIA" finds "Cambiar la categoría".
  await box.fill('CATEGORIA');
  await expect(palette.getByRole('option', { name: /^Cambiar la categoría/ })).toBeVisible();
  await expect(palette.getByRole('option', { name: /^Asignármelo/ })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();
  await expect(focused).toBeFocused();

  // A number: "Abrir Ticket#N" is the active option; Enter opens it.
  await page.keyboard.press('Control+k');
  await expect(box).toBeFocused();
  await page.keyboard.type(String(tk.number));
  const open = palette.getByRole('option', { name: `Abrir Ticket#${tk.number}` });
  await expect(open).toHaveAttribute('aria-selected', 'true');
  await expect(box).toHaveAttribute('aria-activedescendant', await open.getAttribute('id'));
  await page.keyboard.press('Enter');
  await ready(page, `Ticket#${tk.number}: Abrir por número`);
  // On a ticket the palette changes its status: the control takes the focus.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('estado');
  await expect(palette.getByRole('option', { name: /^Cambiar el estado/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByLabel('Estado', { exact: true })).toBeFocused();

  // From the ticket: ArrowDown to "Buscar «…»" and Enter searches.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('numero abrir');
  await page.keyboard.press('ArrowUp');
  await expect(palette.getByRole('option', { name: 'Buscar «numero abrir»' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await ready(page, 'Buscar tickets');
  await expect(page.getByRole('link', { name: new RegExp(`Ticket#${tk.number}\\b`) })).toBeVisible();

  // The one-key shortcuts turned off from the palette (WCAG 2.1.4); the
  // list of keys, opened from it too, shows the switch off.
  await page.keyboard.press('Control+k');
  await page.keyboard.type('atajos');
  await expect(palette.getByRole('option', { name: 'Desactivar los atajos de una tecla' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('atajos');
  await expect(palette.getByRole('option', { name: 'Activar los atajos de una tecla' })).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await expect(palette.getByRole('option', { name: 'Ver los atajos de teclado' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const help = page.getByRole('dialog', { name: 'Atajos de teclado' });
  await expect(help).toBeVisible();
  await expect(help.getByLabel('Atajos de una tecla activados')).not.toBeChecked();
});
