// /sla/comercial and /sla/no-comercial: the policy's two forms with exactly
// its fields, the levels explained beside them; a request is a ticket.
import { test, expect, newCustomer, login, checkA11y, shot, ready } from './harness.mjs';

test('the commercial form: its four fields, the levels beside it, a ticket once sent', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { name: 'Rosa Huamán' });
  await login(page, u);
  await page.goto('/sla/comercial');
  await ready(page, 'Solicitar la inclusión en el SLA comercial');
  await expect(page.getByRole('heading', { name: 'Niveles de servicio' })).toBeVisible();
  await expect(page.locator('.level-here')).toContainText('24 horas hábiles');
  await expect(page.getByLabel('Su nombre completo')).toHaveValue('Rosa Huamán');
  await expect(page.locator('form .field')).toHaveCount(5); // four of the policy, one optional note
  await checkA11y(page);
  await shot(page, 'sla-commercial', testInfo);
  await page.getByLabel('Su nombre completo').fill('');
  await page.getByRole('button', { name: 'Enviar solicitud' }).click();
  await expect(page.locator('.error-summary').getByRole('link')).toHaveText([
    'Escriba su nombre completo', 'Escriba su cargo en la empresa', 'Escriba el nombre completo de la empresa',
    'Escriba el nombre de su consultor Bitrix24']);
  await checkA11y(page);
  await page.getByLabel('Su nombre completo').fill('Rosa Huamán Quispe');
  await page.getByLabel('Su cargo en la empresa').fill('Jefa de sistemas');
  await page.getByLabel('El nombre completo de la empresa').fill('Acme Perú S.A.C.');
  await page.getByLabel('El nombre del consultor Bitrix24 que lo atiende').fill('Luis Rojas');
  await page.getByRole('button', { name: 'Enviar solicitud' }).click();
  const number = Number((await page.getByText(/^Ticket#\d+$/).textContent()).slice(7));
  const inc = await (await page.request.get(`/api/v1/tickets/${number}/inclusion`)).json();
  expect(JSON.stringify(inc)).toContain('Luis Rojas');
  expect(JSON.stringify(inc)).toContain('Jefa de sistemas');
});

test('the non-commercial form: contact details and instance, in English too', async ({ page, server }, testInfo) => {
  await login(page, newCustomer(server));
  await page.goto('/sla/comercial');
  await page.getByRole('link', { name: 'Use el formulario de soporte no comercial' }).click();
  await ready(page, 'Solicitar la inclusión en el soporte no comercial');
  await expect(page.locator('.level-here')).toContainText('120 horas hábiles');
  await expect(page.locator('form .field')).toHaveCount(6);
  await page.getByLabel('Su cargo en la empresa').fill('Dueño');
  await page.getByLabel('El nombre completo de la empresa').fill('Bodega Libre E.I.R.L.');
  await page.getByLabel('Sus datos de contacto').fill('+51 999 888 777, Av. Lima 123');
  await page.getByLabel('Su instancia de Bitrix24 Cloud o los datos de su instalación Self-Hosted').fill('bodegalibre.bitrix24.es');
  await checkA11y(page);
  await shot(page, 'sla-non-commercial', testInfo);
  await page.getByRole('button', { name: 'Enviar solicitud' }).click();
  await expect(page.getByText(/^Ticket#\d+$/)).toBeVisible();

  await page.emulateMedia({ colorScheme: 'dark' });
  await login(page, newCustomer(server, { lang: 'en', name: 'Ann Smith' }));
  await page.goto('/sla/no-comercial');
  await ready(page, 'Ask to be included in non-commercial support');
  await checkA11y(page);
  await shot(page, 'sla-non-commercial-en-dark', testInfo);
});
