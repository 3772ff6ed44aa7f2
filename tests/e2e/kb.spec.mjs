// The knowledge base in the browser (issue 12): the public pages the
// server renders (working without JavaScript, axe-core on each, phone and
// desktop), and the articles suggested while a customer writes a ticket.
import { test, expect, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

const EXPORT = 'Exportar contactos del CRM a Excel o CSV';

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the help centre, a search and an article, and "¿Le sirvió?" as a form', async ({ page }, testInfo) => {
    await page.goto('/kb');
    await ready(page, 'Centro de ayuda');
    await expect(page.getByRole('heading', { name: 'Lo más leído' })).toBeVisible();
    await expect(page.getByRole('link', { name: /Licencias y niveles de servicio/ })).toBeVisible();
    await shot(page, 'kb-home', testInfo);

    await page.getByLabel('Buscar en el centro de ayuda').fill('exportación');
    await page.getByRole('button', { name: 'Buscar' }).click();
    await expect(page).toHaveURL(/\/kb\/buscar\?q=exportaci/);
    const hit = page.getByRole('link', { name: EXPORT });
    await expect(hit).toBeVisible();
    await shot(page, 'kb-search', testInfo);

    await hit.click();
    await ready(page, EXPORT);
    await expect(page.locator('link[rel=canonical]')).toHaveAttribute('href', /^\/kb\/\d+-exportar-contactos-del-crm-a-excel-o-csv$/);
    await expect(page.getByRole('table').or(page.getByRole('list')).first()).toBeVisible();
    await shot(page, 'kb-article', testInfo);

    // The English text, by the language switch.
    await page.getByRole('link', { name: 'English' }).click();
    await ready(page, 'Exporting CRM contacts to Excel or CSV');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByRole('link', { name: 'Español' }).click();
    await ready(page, EXPORT);

    await page.getByRole('button', { name: 'Sí' }).click();
    await expect(page.getByRole('status')).toHaveText('Gracias: nos alegra que le sirviera.');
    await shot(page, 'kb-article-thanks', testInfo);

    // An address that is no article: a page of its own, 404.
    const res = await page.goto('/kb/99999-nada');
    expect(res.status()).toBe(404);
    await ready(page, 'Página no encontrada');
  });
});

// axe-core needs script in the page: the same pages (which have none of
// their own) with JavaScript on.
test('axe-core on every page of the help centre', async ({ page }) => {
  for (const path of ['/kb', '/kb?lang=en', '/kb/buscar?q=licencia', '/kb/buscar?q=zzzz', '/kb/buscar?categoria=tickets',
    '/kb/99999-nada']) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await checkA11y(page);
  }
  await page.goto('/kb/buscar?q=exportar');
  await page.getByRole('link', { name: EXPORT }).click();
  await ready(page, EXPORT);
  await checkA11y(page);
  await page.getByRole('link', { name: 'English' }).click();
  await checkA11y(page);
  await page.getByRole('button', { name: 'Yes' }).click();
  await expect(page.getByRole('status')).toHaveText('Thank you: we are glad it helped.');
  await checkA11y(page);
});

test('a customer writing a ticket sees the right article and opens it', async ({ page, server }, testInfo) => {
  await login(page, { email: 'pedro@bodegalibre.pe', password: DEMO_PASSWORD });
  await page.goto('/tickets/nuevo');
  await ready(page, 'Enviar un ticket');
  await page.getByLabel('Asunto').pressSequentially('No puedo exportar los contactos', { delay: 20 });
  const box = page.getByRole('region', { name: 'Quizá esto le ayude' });
  const first = box.getByRole('link').first();
  await expect(first).toHaveText(EXPORT);
  // Only articles near the best one: the others match a word by chance.
  await expect(box.getByRole('link')).toHaveCount(1);
  await checkA11y(page);
  await shot(page, 'kb-suggest', testInfo);

  await first.click();
  await ready(page, EXPORT);
  // Opened from the form and no ticket sent: the report counts it.
  const sup = apiAs(server, 'supervisora@ayuda.localhost');
  const rep = await sup(page, 'GET', '/reports/kb');
  expect(rep.suggestions_opened).toBeGreaterThan(0);
  expect(rep.deflected).toBeGreaterThan(0);

  // Back to the form: what was typed is still there.
  await page.goBack();
  await ready(page, 'Enviar un ticket');
  await expect(page.getByLabel('Asunto')).toHaveValue('No puedo exportar los contactos');
});
