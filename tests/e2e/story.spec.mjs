// The customer's whole story, as a person on a phone or a desk does it:
// register, the link from the mail, log in, a ticket with an image, the
// agent's reply appearing without a reload, a reply, close, the survey,
// reopen.
import { test, expect, checkA11y, shot, ready } from './harness.mjs';
import { PNG, apiAs } from './fixtures.mjs';

test('register, confirm, log in, ask, get an answer live, reply, close, rate, reopen', async ({ page, server }, testInfo) => {
  test.setTimeout(120_000);
  const email = server.uniqueEmail('historia');
  await page.goto('/registro');
  await page.getByLabel('Nombre y apellidos').fill('Rosa Huamán');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill('una clave larga');
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await ready(page, 'Revise su correo');
  const mail = await server.mailTo(email, (m) => /Confirme su dirección/.test(m.subject));
  await page.goto(/https?:\/\/\S+\/account\/verify\S*/.exec(mail.text)[0]);
  await ready(page, 'Dirección confirmada');
  await page.goto('/entrar');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill('una clave larga');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('button', { name: 'Salir' })).toBeVisible();

  // A ticket with an image.
  await page.goto('/tickets/nuevo');
  await ready(page, 'Enviar un ticket');
  await page.getByLabel('Asunto').fill('No llegan los correos de pedidos');
  await page.getByLabel('Descripción').fill('Desde el lunes los clientes no reciben la confirmación.');
  await page.getByLabel('Adjuntos (opcional)').setInputFiles({ name: 'error.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.locator('.upload-ok')).toHaveCount(1);
  await page.getByRole('button', { name: 'Enviar ticket' }).click();
  const number = Number((await page.getByText(/^Ticket#\d+$/).textContent()).slice(7));
  await page.getByRole('link', { name: `Ver el Ticket#${number}` }).click();
  await ready(page, `Ticket#${number}: No llegan los correos de pedidos`);
  await expect(page.getByRole('link', { name: 'error.png' })).toHaveAttribute('href', new RegExp(`/api/v1/tickets/${number}/attachments/\\d+$`));
  await checkA11y(page);
  await shot(page, 'ticket', testInfo);

  // The agent answers through the API: it shows without a reload.
  const agent = apiAs(server, 'agente@ayuda.localhost');
  const marker = await page.evaluate(() => { window.__same = true; return true; });
  await agent(page, 'POST', `/tickets/${number}/messages`, { kind: 'reply', body: 'Hola Rosa: ¿qué servidor de correo usa?' });
  await expect(page.getByText('Hola Rosa: ¿qué servidor de correo usa?')).toBeVisible({ timeout: 8000 });
  await expect(page.getByRole('status').filter({ hasText: 'Nueva respuesta de' })).toHaveCount(1);
  expect(await page.evaluate(() => window.__same)).toBe(marker); // the same document: no reload

  // Reply.
  await page.getByLabel('Respuesta').fill('Usamos el SMTP de Google Workspace.');
  await page.getByRole('button', { name: 'Enviar respuesta' }).click();
  await expect(page.locator('.msg-mine', { hasText: 'Usamos el SMTP de Google Workspace.' })).toBeVisible();
  await expect(page.getByLabel('Respuesta')).toHaveValue('');
  await page.evaluate(() => window.scrollTo(0, 0)); // the summary beside the thread is sticky
  await shot(page, 'ticket-answered', testInfo);

  // Close, rate, reopen.
  await page.getByRole('button', { name: 'Cerrar el ticket' }).click();
  await expect(page.locator('.ticket-side')).toContainText('Cerrado');
  await expect(page.getByRole('heading', { name: '¿Cómo lo atendimos?' })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'ticket-closed', testInfo);
  await page.getByRole('button', { name: 'Enviar valoración' }).click();
  await expect(page.locator('.error-summary')).toContainText('Elija una valoración de 1 a 5');
  await page.getByLabel('5 excelente').check();
  await page.getByLabel('Comentario (opcional)').fill('Rápidos y claros');
  await page.getByRole('button', { name: 'Enviar valoración' }).click();
  await expect(page.getByText('Gracias: valoró la atención con 5 de 5.')).toBeVisible();
  await page.getByRole('button', { name: 'Reabrir el ticket' }).click();
  await expect(page.locator('.ticket-side')).toContainText('En curso');
  await expect(page.getByLabel('Respuesta')).toBeVisible();
  await checkA11y(page);
});
