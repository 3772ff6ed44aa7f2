// Canned answers (issue 11 item 6): an agent inserts one from the
// composer by keyboard alone, the customer's mail carries it filled in and
// the status it sets is applied; the note composer in English does the
// same; a supervisor manages them on /agente/respuestas.
import { test, expect, newCustomer, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };
const SUPERVISOR = { email: 'supervisora@ayuda.localhost', password: DEMO_PASSWORD };

test('an agent inserts a canned answer by keyboard, sends it, and its status is applied', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { name: 'Ana Pérez' });
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', { subject: 'Exportar a Excel', body: 'La descarga sale vacía.' });
  const agent = apiAs(server, AGENT.email);
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: Exportar a Excel`);
  // Managing them is for supervisors: no link for an agent.
  await expect(page.getByRole('link', { name: 'Respuestas predefinidas' })).toHaveCount(0);

  // r, a signature, back to the start; Shift+Tab reaches "Respuesta predefinida".
  await page.keyboard.press('r');
  const reply = page.getByLabel('Responder al cliente');
  await expect(reply).toBeFocused();
  await page.keyboard.type('-- Soporte');
  await page.keyboard.press('Control+Home');
  await page.keyboard.press('Shift+Tab');
  const combo = page.getByRole('combobox', { name: 'Respuesta predefinida' });
  await expect(combo).toBeFocused();
  await page.keyboard.type('recordat');
  const option = page.getByRole('option', { name: /Recordatorio: esperamos su respuesta/ });
  await expect(option).toBeVisible();
  await expect(option).toHaveAttribute('aria-selected', 'true');
  await expect(combo).toHaveAttribute('aria-expanded', 'true');
  await expect(combo).toHaveAttribute('aria-activedescendant', await option.getAttribute('id'));
  await checkA11y(page);
  await shot(page, 'agente-respuesta-predefinida', testInfo);
  await page.keyboard.press('Enter');

  // In at the cursor, filled in for this ticket; what it will change is said.
  await expect(reply).toBeFocused();
  await expect(reply).toHaveValue(new RegExp(`^Hola Ana Pérez:\\n\\nLe escribimos sobre Ticket#${tk.number} \\(«Exportar a Excel»\\)[^]*Álvaro Agente\\n-- Soporte$`));
  await expect(page.getByText('Al enviar: estado → En espera del cliente')).toBeVisible();
  await expect(combo).toHaveAttribute('aria-expanded', 'false');
  await shot(page, 'agente-respuesta-insertada', testInfo);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'No aplicar este cambio' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Enviar respuesta a Ana Pérez' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('article', { name: /^Respuesta al cliente de / })).toContainText(`Le escribimos sobre Ticket#${tk.number}`);

  // The customer's mail carries the rendered text; the ticket waits on them.
  const mail = await server.mailTo(u.email, (m) => /Le escribimos sobre/.test(m.text));
  expect(mail.text).toContain('Hola Ana Pérez:');
  expect(mail.text).toContain(`Ticket#${tk.number}`);
  expect(mail.text).not.toContain('{cliente}');
  await expect.poll(async () => (await agent(page, 'GET', `/tickets/${tk.number}`)).status).toBe('pending_customer');
  await expect(page.getByText('Al enviar: estado →')).toHaveCount(0);
});

test('the note composer in English offers them too, Escape closes the list, and an agent only reads the page', async ({ page, server }) => {
  const u = newCustomer(server, { name: 'Ann Smith', lang: 'en' });
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', { subject: 'Licence check', body: 'Which level am I?' });
  const email = server.uniqueEmail('agent');
  server.ayuda(['user', 'add', '--email', email, '--name', 'Sam Agent', '--role', 'agent', '--lang', 'en', '--password-stdin'], 'clave-segura-123\n');
  await login(page, { email, password: 'clave-segura-123' });
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: Licence check`);
  await page.keyboard.press('n');
  await expect(page.getByLabel('Internal note')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  const combo = page.getByRole('combobox', { name: 'Canned answer' });
  await expect(combo).toBeFocused();
  await page.keyboard.type('zzzz');
  await expect(page.getByText('No canned answer matches').first()).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(combo).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Escape');
  await expect(combo).toHaveValue('');
  await page.keyboard.type('licence');
  await expect(page.getByRole('option', { name: /Licence email needed/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  const note = page.getByLabel('Internal note');
  await expect(note).toHaveValue(new RegExp(`^Hello Ann Smith,\\n\\nThank you for writing to us about "Licence check" \\(Ticket#${tk.number}\\)[^]*Sam Agent$`));
  await expect(page.getByText('When sent: status → Waiting for the customer')).toBeVisible();
  await page.getByRole('button', { name: 'Save internal note (team only)' }).click();
  await expect(page.getByRole('article', { name: /^Internal note by / })).toContainText('Hello Ann Smith');
  const agent = apiAs(server, AGENT.email);
  await expect.poll(async () => (await agent(page, 'GET', `/tickets/${tk.number}`)).status).toBe('pending_customer');

  // An agent reads the canned answers' page but changes nothing there.
  await page.goto('/agente/respuestas');
  await ready(page, 'Canned answers');
  await expect(page.getByText('Only supervisors and admins create, edit and delete canned answers.')).toBeVisible();
  await expect(page.getByRole('heading', { name: /Licence email needed/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'New canned answer' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^(Edit|Delete) / })).toHaveCount(0);
  await checkA11y(page);
});

test('a supervisor creates, previews and deletes a canned answer on its page', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { name: 'Rosa Díaz' });
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', { subject: 'Alta de usuarios', body: '¿Cómo invito a mi equipo?' });
  await login(page, SUPERVISOR);
  await page.goto('/agente');
  await page.getByRole('link', { name: 'Respuestas predefinidas' }).click();
  await ready(page, 'Respuestas predefinidas');
  await expect(page.getByRole('heading', { name: /Fuera de alcance: desarrollo a medida/ })).toBeVisible();
  await checkA11y(page);

  await page.getByRole('button', { name: 'Nueva respuesta predefinida' }).click();
  await expect(page.getByLabel('Nombre')).toBeFocused();
  await page.getByRole('button', { name: 'Guardar respuesta' }).click();
  await expect(page.getByRole('alert').getByText('Indique el nombre de la respuesta')).toBeVisible();
  const name = `Invitar usuarios ${testInfo.project.name}`;
  await page.getByLabel('Nombre').fill(name);
  await page.getByLabel('Texto').fill('Hola {cliente}: para {ticket}, invite a su equipo desde Empleados. Llámenos al {telefono}.\n{agente}');
  await page.getByLabel('Estado al enviar').selectOption('resolved');
  await checkA11y(page);
  await shot(page, 'agente-respuestas-nueva', testInfo);
  await page.getByRole('button', { name: 'Guardar respuesta' }).click();
  await expect(page.getByText(`Respuesta «${name}» guardada.`)).toBeVisible();
  const item = page.locator('.macro-item', { has: page.getByRole('heading', { name: new RegExp(name) }) });
  await expect(item).toContainText('Al enviar: estado → Resuelto');

  // The preview fills it in with a ticket's data and points out {telefono}.
  await item.getByRole('button', { name: `Vista previa «${name}»` }).click();
  await expect(page.getByLabel('Número de ticket')).toBeFocused();
  await expect(page.getByLabel('Respuesta', { exact: true })).toHaveValue(/\d+/);
  await page.getByLabel('Número de ticket').fill(String(tk.number));
  await page.getByRole('button', { name: 'Ver vista previa' }).click();
  const rendered = page.locator('.macro-rendered');
  await expect(rendered).toContainText(`Hola Rosa Díaz: para Ticket#${tk.number}, invite a su equipo`);
  await expect(rendered).toContainText('Sofía Supervisora');
  await expect(rendered).toContainText('Marcadores sin valor que quedaron en el texto: {telefono}');
  await checkA11y(page);
  await shot(page, 'agente-respuestas', testInfo);

  // An agent finds it from the composer's API; then it is deleted.
  const agent = apiAs(server, AGENT.email);
  expect((await agent(page, 'GET', `/macros?q=${encodeURIComponent(name)}`)).macros.map((m) => m.name)).toEqual([name]);
  await item.getByRole('button', { name: `Borrar «${name}»` }).click();
  await page.getByRole('button', { name: 'Sí, borrar' }).click();
  await expect(page.getByText(`Respuesta «${name}» borrada.`)).toBeVisible();
  await expect(item).toHaveCount(0);
  expect((await agent(page, 'GET', `/macros?q=${encodeURIComponent(name)}`)).macros).toEqual([]);
});
