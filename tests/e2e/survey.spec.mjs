// /encuesta#token=T, the link mailed when a ticket closes: a page of the
// application now, signed in or not; answered once.
import { test, expect, newCustomer, checkA11y, shot, ready } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

test('the mailed survey link: rate once, without logging in', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', { subject: 'Encuesta por correo', body: 'x' });
  await apiAs(server, 'agente@ayuda.localhost')(page, 'PATCH', `/tickets/${tk.number}`, { status: 'closed' });
  const mail = await server.mailTo(u.email, (m) => /\/encuesta#token=/.test(m.text));
  const link = /https?:\/\/\S+\/encuesta#token=[0-9a-f]{64}/.exec(mail.text)[0];

  await page.goto(link);
  await ready(page, '¿Cómo lo atendimos?');
  expect(page.url()).not.toContain('token'); // taken off the address bar
  await expect(page.getByText(`Sobre el Ticket#${tk.number}: Encuesta por correo`)).toBeVisible();
  await checkA11y(page);
  await shot(page, 'survey', testInfo);
  await page.getByLabel('4 buena').check();
  await page.getByRole('button', { name: 'Enviar valoración' }).click();
  await expect(page.getByText('¡Gracias por su valoración!')).toBeVisible();
  await shot(page, 'survey-done', testInfo);

  await page.goto('/');
  await page.goto(link); // the same link again, another day
  await expect(page.getByText('Esta encuesta ya fue respondida. ¡Gracias!')).toBeVisible();
  await page.goto('/');
  await page.goto('/encuesta#token=abc');
  await ready(page, 'El enlace de la encuesta no es válido');
  await checkA11y(page);
});
