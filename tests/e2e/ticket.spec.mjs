// One ticket, /tickets/N: a mail's HTML in a sandboxed, titled frame; access
// data through the vault; a supervisor's review; a session that ends in the
// middle of a reply keeps the text; English in dark mode.
import { test, expect, newCustomer, login, checkA11y, shot, ready } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

async function ticketOf(page, server, u, subject = 'La tienda no carga') {
  const as = apiAs(server, u.email);
  return as(page, 'POST', '/tickets', { subject, body: 'Desde esta mañana la tienda muestra un error 500.' });
}

test('a mail in HTML shows in a sandboxed frame; access data go to the vault, explained', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { company: 'Bodega Libre' });
  const tk = await ticketOf(page, server, u);
  server.ayuda(['mail-in'], [
    `From: Ana <${u.email}>`, 'To: soporte@ayuda.test', `Subject: Re: [Ticket#${tk.number}] La tienda no carga`,
    'Message-ID: <html-1@example.com>', 'MIME-Version: 1.0', 'Content-Type: text/html; charset=utf-8', '',
    '<p>Adjunto <b>más datos</b>: el error aparece al <i>pagar</i>.</p><script>alert(1)</script>', ''].join('\r\n'));
  await login(page, u);
  await page.goto(`/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: La tienda no carga`);
  await expect(page.locator('.msg')).toHaveCount(2);
  await expect(page.locator('.due')).toContainText('Horario laboral');
  await checkA11y(page);
  await page.getByText('Ver el correo original').click();
  const frame = page.locator('iframe[title^="Correo original de"]');
  await expect(frame).toHaveAttribute('sandbox', '');
  await expect(page.frameLocator('iframe[title^="Correo original de"]').getByText('más datos')).toBeVisible();
  await page.getByText('Ver el correo original').click(); // closed again: axe cannot enter a sandbox
  await expect(frame).toHaveCount(0);

  // The vault: what it is for, who reads it, when it goes.
  await expect(page.getByText('Solo los agentes asignados a este ticket y los supervisores pueden leerlos.')).toBeVisible();
  await page.getByText('Compartir datos de acceso').click();
  await page.getByLabel('Se destruyen a los (días)').fill('31');
  await page.getByRole('button', { name: 'Guardar en la bóveda' }).click();
  await expect(page.locator('.error-summary').getByRole('link')).toHaveText(['Escriba qué acceso es', 'Escriba los datos de acceso', 'Elija un número de días entre 1 y 30']);
  await page.getByLabel('Qué es').fill('Panel de la tienda');
  await page.getByLabel('Datos de acceso', { exact: true }).fill('https://tienda.pe/admin usuario: soporte clave: 8f#kQ2');
  await page.getByLabel('Se destruyen a los (días)').fill('3');
  await page.getByRole('button', { name: 'Guardar en la bóveda' }).click();
  await expect(page.getByText('«Panel de la tienda» guardado.')).toBeVisible();
  await expect(page.locator('.vault-list')).toContainText('Panel de la tienda');
  await expect(page.locator('body')).not.toContainText('8f#kQ2');
  const secrets = await (await page.request.get(`/api/v1/tickets/${tk.number}/secrets`)).json();
  const left = (Date.parse(secrets.secrets[0].expires_at) - Date.now()) / 86400e3;
  expect(left).toBeGreaterThan(2.9);
  expect(left).toBeLessThan(3.1);
  await checkA11y(page);
  await shot(page, 'ticket-vault', testInfo);
  await page.getByRole('button', { name: 'Destruir ahora «Panel de la tienda»' }).click();
  await expect(page.locator('.vault-list')).toHaveCount(0);
});

test('asking for a supervisor\'s review', async ({ page, server }) => {
  const u = newCustomer(server);
  const tk = await ticketOf(page, server, u, 'Nadie me responde');
  await login(page, u);
  await page.goto(`/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: Nadie me responde`);
  await page.getByText('Pedir la revisión de un supervisor').click();
  await page.getByRole('button', { name: 'Pedir revisión' }).click();
  await expect(page.locator('.error-summary')).toContainText('Escriba qué debería revisar');
  await page.getByLabel('¿Qué debería revisar?').fill('Pasaron tres días sin respuesta.');
  await page.getByRole('button', { name: 'Pedir revisión' }).click();
  await expect(page.getByText('Pidió la revisión de un supervisor el')).toBeVisible();
  const t = await (await page.request.get(`/api/v1/tickets/${tk.number}`)).json();
  expect(t.supervisor_review).toMatchObject({ state: 'requested', reason: 'Pasaron tres días sin respuesta.' });
  await checkA11y(page);
});

test('a session that ends in the middle of a reply: log in, back to the ticket, the text is still there', async ({ page, server }) => {
  const u = newCustomer(server);
  const tk = await ticketOf(page, server, u);
  await login(page, u);
  await page.goto(`/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: La tienda no carga`);
  await page.getByLabel('Respuesta').fill('Probé con otro navegador y sigue igual.');
  await page.context().clearCookies(); // the session ends meanwhile
  await page.getByRole('button', { name: 'Enviar respuesta' }).click();
  await expect(page).toHaveURL(new RegExp(`/entrar\\?volver=%2Ftickets%2F${tk.number}$`));
  await page.getByLabel('Correo electrónico').fill(u.email);
  await page.getByLabel('Contraseña').fill(u.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await ready(page, `Ticket#${tk.number}: La tienda no carga`);
  await expect(page.getByLabel('Respuesta')).toHaveValue('Probé con otro navegador y sigue igual.');
  await page.getByRole('button', { name: 'Enviar respuesta' }).click();
  await expect(page.locator('.msg-mine', { hasText: 'Probé con otro navegador y sigue igual.' })).toBeVisible();
});

test('in English, dark, waiting for the customer: the clock is paused and says why', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { lang: 'en', name: 'Ann Smith', company: 'Bodega Libre' });
  const tk = await ticketOf(page, server, u, 'The shop is down');
  const agent = apiAs(server, 'agente@ayuda.localhost');
  await agent(page, 'PATCH', `/tickets/${tk.number}`, { status: 'pending_customer' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await login(page, u);
  await page.goto(`/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: The shop is down`);
  await expect(page.locator('.ticket-side')).toContainText('Waiting for your reply');
  await expect(page.locator('.due')).toContainText('Paused');
  await expect(page.locator('.due')).toContainText('It runs again as soon as you answer.');
  await checkA11y(page);
  await shot(page, 'ticket-en-dark', testInfo);
});
