// /tickets: the newest activity first, status, level and due time, a filter
// by status, pages that neither skip nor repeat; a company's support
// contact sees the company's tickets.
import { test, expect, newCustomer, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

test('my tickets: newest activity first, a filter, pages that neither skip nor repeat', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { company: 'Bodega Libre' }); // a free plan: non-commercial level
  const as = apiAs(server, u.email);
  const made = [];
  let last;
  for (let i = 1; i <= 23; i++) {
    last = await as(page, 'POST', '/tickets', { subject: `Consulta número ${i}`, body: 'x' });
    made.push(last.number);
  }
  // Activity counts in seconds: the change below comes in the next one.
  const wait = Date.parse(last.updated_at) + 1000 - Date.now();
  if (wait > 0) await page.waitForTimeout(wait);
  const agent = apiAs(server, 'agente@ayuda.localhost');
  await agent(page, 'PATCH', `/tickets/${made[1]}`, { status: 'pending_customer' });

  await login(page, u);
  await page.goto('/tickets');
  await ready(page, 'Mis tickets');
  const rows = page.locator('.ticket-row');
  await expect(rows).toHaveCount(20);
  // The ticket changed last comes first; its status and level in words.
  await expect(rows.first().getByRole('link')).toHaveText(`Ticket#${made[1]}Consulta número 2`);
  await expect(rows.first()).toContainText('Esperando su respuesta');
  await expect(rows.nth(1)).toContainText('No comercialvence');
  await checkA11y(page);
  await shot(page, 'tickets', testInfo);

  const first = await rows.locator('.ticket-number').allTextContents();
  await page.getByRole('link', { name: 'Ver tickets más antiguos' }).click();
  await expect(rows).toHaveCount(3);
  expect(page.url()).toContain('antes=');
  const second = await rows.locator('.ticket-number').allTextContents();
  const all = [...first, ...second];
  expect(new Set(all).size).toBe(23);
  expect(all.sort()).toEqual(made.map((n) => `Ticket#${n}`).sort());
  await page.getByRole('link', { name: 'Volver a los más recientes' }).click();
  await expect(rows).toHaveCount(20);

  await page.getByLabel('Mostrar').selectOption('pending_customer');
  await expect(rows).toHaveCount(1);
  expect(page.url()).toContain('estado=pending_customer');
  await page.getByLabel('Mostrar').selectOption('closed');
  await expect(page.getByText('No tiene tickets en este estado.')).toBeVisible();
  await page.reload(); // the address keeps the filter
  await expect(page.getByLabel('Mostrar')).toHaveValue('closed');
});

test('a support contact sees the company\'s tickets, with who sent each', async ({ page, server }, testInfo) => {
  const jorge = apiAs(server, 'jorge@acme.pe');
  const tk = await jorge(page, 'POST', '/tickets', { subject: 'Factura duplicada', body: 'x' });
  await login(page, { email: 'maria@acme.pe', password: DEMO_PASSWORD });
  await page.goto('/tickets');
  await ready(page, 'Mis tickets');
  const row = page.locator('.ticket-row', { hasText: `Ticket#${tk.number}` });
  await expect(row).toContainText('enviado por Jorge');
  await checkA11y(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'tickets-contact-dark', testInfo);
});

test('no tickets yet, in English', async ({ page, server }, testInfo) => {
  await login(page, newCustomer(server, { lang: 'en', name: 'Ann Smith' }));
  await page.goto('/tickets');
  await ready(page, 'My tickets');
  await expect(page.getByText('You have no tickets yet.')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'tickets-empty-en', testInfo);
  await page.getByRole('link', { name: 'Send a new ticket' }).click();
  await ready(page, 'Send a ticket');
});
