// The knowledge base in the browser (issue 12): the public pages the
// server renders (working without JavaScript, axe-core on each, phone and
// desktop), and the articles suggested while a customer writes a ticket.
import { test, expect, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { apiAs, PNG } from './fixtures.mjs';

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

test.describe('dark, without JavaScript', () => {
  test.use({ javaScriptEnabled: false, colorScheme: 'dark' });

  test('the help centre and an article follow the reader\'s dark mode', async ({ page }, testInfo) => {
    await page.goto('/kb/buscar?q=sla');
    await page.getByRole('link', { name: /^Niveles de servicio/ }).click();
    await ready(page, 'Niveles de servicio (SLA): tiempos máximos de respuesta');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe('rgb(255, 255, 255)');
    await shot(page, 'kb-article-dark', testInfo);
  });
});

// axe-core needs script in the page: the same pages (which have none of
// their own) with JavaScript on.
test('axe-core on every page of the help centre', async ({ page }) => {
  test.setTimeout(180_000); // nine pages, each checked whole
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

test('an agent links an article in an answer and drafts an article from it; a supervisor publishes it', async ({ page, browser, server }, testInfo) => {
  test.setTimeout(120_000);
  const customer = apiAs(server, 'maria@acme.pe');
  await page.goto('/'); // a page for apiAs' requests
  const tk = await customer(page, 'POST', '/tickets', { subject: 'El archivo exportado sale vacío', body: 'Exporto los contactos y el Excel llega sin filas.' });
  await login(page, { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD });
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: El archivo exportado sale vacío`);

  await page.getByText('Enlazar un artículo del centro de ayuda').first().click();
  await page.getByLabel('Buscar un artículo').first().fill('exportar');
  await page.getByRole('button', { name: `Insertar enlace: ${EXPORT}` }).click();
  const answer = page.getByRole('textbox', { name: 'Responder al cliente' });
  await expect(answer).toHaveValue(new RegExp(`^${EXPORT}: http://127\\.0\\.0\\.1:\\d+/kb/\\d+-exportar-contactos-del-crm-a-excel-o-csv\\n?$`));
  await answer.press('End');
  await answer.pressSequentially('\nRevise los filtros de la lista antes de exportar.');
  await checkA11y(page);
  await shot(page, 'kb-agent-link', testInfo);
  await page.getByRole('button', { name: /^Enviar respuesta a/ }).click();
  await expect(page.getByText('Respuesta enviada al cliente.')).toBeVisible();

  // The answer becomes a draft article, its text filled in from the ticket.
  await page.getByRole('link', { name: 'Crear un artículo con la última respuesta' }).click();
  await ready(page, 'Nuevo artículo');
  await expect(page.getByLabel('Título', { exact: true })).toHaveValue('El archivo exportado sale vacío');
  await expect(page.getByLabel('Texto', { exact: true })).toHaveValue(/Revise los filtros de la lista/);
  await expect(page.getByRole('region', { name: 'Vista previa' }).getByRole('link', { name: /http/ })).toBeVisible();
  // An image through the upload path: its Markdown at the end, shown in the preview.
  await page.getByLabel('Imágenes y archivos (opcional)').setInputFiles({ name: 'captura.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByLabel('Texto', { exact: true })).toHaveValue(/!\[captura\.png\]\(\/kb\/archivos\/\d+\)\n$/);
  await expect(page.getByRole('region', { name: 'Vista previa' }).getByRole('img', { name: 'captura.png' })).toHaveAttribute('src', /^\/kb\/archivos\/\d+$/);
  await page.getByRole('button', { name: 'Guardar artículo' }).click();
  await ready(page, 'Editar artículo');
  await expect(page.getByRole('status').filter({ hasText: 'Artículo guardado.' })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'kb-edit-draft', testInfo);
  const id = Number(/\/agente\/kb\/(\d+)/.exec(page.url())[1]);

  // A supervisor publishes it with a correction; the revisions show what changed.
  const ctx = await browser.newContext({ baseURL: server.url });
  const sup = await ctx.newPage();
  await login(sup, { email: 'supervisora@ayuda.localhost', password: DEMO_PASSWORD });
  await sup.goto('/agente/kb?estado=draft');
  await ready(sup, 'Artículos del centro de ayuda');
  // The report for supervisors: readers, feedback, what was not found.
  await expect(sup.getByRole('heading', { name: 'Los últimos 30 días' })).toBeVisible();
  await expect(sup.getByText('Tickets evitados')).toBeVisible();
  await checkA11y(sup);
  await shot(sup, 'kb-list', testInfo);
  await sup.getByRole('link', { name: 'El archivo exportado sale vacío' }).click();
  await ready(sup, 'Editar artículo');
  await sup.getByLabel('Título', { exact: true }).fill('El Excel exportado sale vacío');
  await sup.getByLabel('Estado').selectOption('published');
  await sup.getByRole('button', { name: 'Guardar artículo' }).click();
  await expect(sup.getByRole('status').filter({ hasText: 'Artículo guardado.' })).toBeVisible();
  await sup.getByRole('button', { name: /ver los cambios/ }).first().click();
  await expect(sup.getByText('Título: «El archivo exportado sale vacío» → «El Excel exportado sale vacío»')).toBeVisible();
  await checkA11y(sup);
  await shot(sup, 'kb-edit-revisions', testInfo);
  const pub = await (await sup.request.get(`/api/v1/kb/articles/${id}`)).json();
  expect(pub.state).toBe('published');
  await ctx.close();
});
