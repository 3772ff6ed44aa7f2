// The admin console's mail pages and audit log (issue 13, items 8 and 9):
// a test mail sent by keyboard arrives at the sink; a failed notice is
// retried from the outbox and delivered; a template previews in Spanish
// and English from a real ticket; the audit log filters to one person's
// changes and shows each field before and after, in the address. axe on
// every page, screenshots at both widths and in dark mode, and English.
import { writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, login, checkA11y, checkBothSchemes, shot, ready, newCustomer, DEMO_PASSWORD } from './harness.mjs';

const ADMIN = { email: 'admin@ayuda.localhost', password: DEMO_PASSWORD };

// Log in on the page's context and return the headers of a write (the
// session's CSRF token).
async function signIn(page, user) {
  const res = await page.request.post('/api/v1/auth/login', { data: { email: user.email, password: user.password } });
  expect(res.status()).toBe(200);
  return { 'X-CSRF-Token': (await res.json()).csrf_token };
}
const SUPERVISOR = { email: 'supervisora@ayuda.localhost', password: DEMO_PASSWORD };

test('settings, a test mail sent by keyboard, and a mailbox that is not configured, in plain words', async ({ page, server }, testInfo) => {
  await login(page, ADMIN);
  await page.goto('/admin');
  await ready(page, 'Administración');
  await page.getByRole('navigation', { name: 'Administración' }).getByRole('link', { name: 'Correo' }).click();
  await ready(page, 'Correo');
  await expect(page.getByRole('region', { name: 'Correo saliente (SMTP)' })).toContainText(/smtp:\/\/127\.0\.0\.1:\d+/);
  await expect(page.getByRole('region', { name: 'Correo entrante (IMAP)' })).toContainText('sin configurar');

  const to = server.uniqueEmail('prueba');
  await page.getByLabel('Dirección de destino').focus();
  await page.keyboard.type(to);
  await page.keyboard.press('Enter');
  const answer = page.locator('#adm-mail-test-answer');
  await expect(answer).toContainText(`El servidor aceptó el correo para ${to}.`);
  await expect(answer).toContainText('250 2.0.0 Message accepted');
  const m = await server.mailTo(to);
  expect(m.subject).toBe('Correo de prueba de ayuda');

  await page.getByRole('button', { name: 'Leer el buzón' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('#adm-mail-fetch-answer')).toContainText('El correo no está configurado');
  await checkA11y(page);
  await shot(page, 'admin-correo', testInfo);

  // Anyone else is told the page is not theirs.
  await page.context().clearCookies();
  await login(page, SUPERVISOR);
  await page.goto('/admin/correo');
  await ready(page, 'Correo');
  await expect(page.getByText('Esta sección es solo para administradores.')).toBeVisible();
});

test('a failed notice is retried from the outbox and delivered', async ({ page, server }, testInfo) => {
  const who = newCustomer(server, { name: 'Rita Reintento' });
  const reject = join(server.work, 'smtp', 'reject-all');
  writeFileSync(reject, '');
  let n;
  try {
    const headers = await signIn(page, who);
    const r = await page.request.post('/api/v1/tickets', { headers, data: { subject: 'Aviso que falla', body: 'El primer envío se rechaza.' } });
    expect(r.status()).toBe(201);
    n = (await r.json()).number;
    await page.context().clearCookies();
    await login(page, ADMIN);
    await page.goto('/admin/correo/salida?estado=fallidos');
    await ready(page, 'Bandeja de salida');
    const row = page.getByRole('row', { name: new RegExp(`Ticket#${n}\\b`) });
    await expect(async () => {
      await page.reload();
      await expect(row).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 20_000 });
    await expect(row).toContainText(who.email);
    await expect(row).toContainText('554');
    await expect(row).toContainText('fallido');
    // Read on a phone without scrolling sideways: each mail a card, still
    // a table (its rows and column headers) for a screen reader.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(page.viewportSize().width);
    await expect(page.getByRole('table', { name: /Bandeja de salida/ }).getByRole('columnheader')).toHaveCount(8);
    await expect(row.getByRole('rowheader')).toHaveText(who.email);
    await checkBothSchemes(page, 'admin-correo-salida', testInfo);
  } finally {
    unlinkSync(reject);
  }
  await page.getByRole('button', { name: new RegExp(`Reintentar el envío \\d+ a ${who.email.replace(/[.+]/g, '\\$&')}`) }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(`El correo a ${who.email} se enviará de nuevo en unos segundos.`)).toBeVisible();
  const m = await server.mailTo(who.email, (x) => x.subject.includes(`[Ticket#${n}]`));
  expect(m.text).toContain(`registrado con el número ${n}`);
});

test('a template previews in Spanish and English from a real ticket', async ({ page }, testInfo) => {
  await login(page, ADMIN);
  const tk = await (await page.request.get('/api/v1/tickets?limit=1')).json();
  const n = tk.tickets[0].number;
  await page.goto('/admin/correo/plantillas');
  await ready(page, 'Plantillas de los avisos');
  await page.getByRole('navigation', { name: 'Avisos' }).getByRole('link', { name: 'Estado: resuelto' }).click();
  await expect(page).toHaveURL(/plantilla=status_changed-resolved/);
  await page.getByLabel('Ticket del ejemplo').fill(String(n));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`ticket=${n}`));
  const es = page.getByRole('region', { name: 'Español' });
  const en = page.getByRole('region', { name: 'English' });
  await expect(es).toContainText(`El estado de su ticket ${n} ha cambiado a: resuelto.`);
  await expect(en).toContainText(`The status of your ticket ${n}`);
  await expect(es).toContainText(`[Ticket#${n}]`);
  await checkA11y(page);
  await shot(page, 'admin-correo-plantillas', testInfo);
  await page.emulateMedia({ colorScheme: 'dark' });
  await shot(page, 'admin-correo-plantillas-oscuro', testInfo);
  await checkA11y(page);
});

test('the audit log filters to one person\'s changes and shows before and after', async ({ page, server }, testInfo) => {
  const headers = await signIn(page, ADMIN);
  const co = await (await page.request.get('/api/v1/companies')).json();
  const acme = (co.companies || co).find((c) => c.name === 'Acme Perú SAC');
  const cap = acme.max_contacts;
  expect((await page.request.patch(`/api/v1/companies/${acme.id}`, { headers, data: { max_contacts: cap + 1 } })).status()).toBe(200);
  // A change of another kind, which the filter must leave out.
  const other = newCustomer(server);
  expect((await page.request.post('/api/v1/admin/mail/test', { headers, data: { to: other.email } })).status()).toBe(200);

  await page.goto('/admin/auditoria');
  await ready(page, 'Registro de cambios');
  await page.getByLabel('Tipo de objeto').selectOption({ label: 'Compañía' });
  await expect(page).toHaveURL(/tipo=company/);
  const entry = page.getByRole('article', { name: /Compañía modificada · Compañía Acme Perú SAC/ }).first();
  await expect(entry).toBeVisible();
  // Someone else's changes only: the admin's are gone.
  await page.getByLabel('Quién').selectOption({ label: 'Sofía Supervisora' });
  await expect(page).toHaveURL(/actor=\d+/);
  await expect(page.getByText('Ningún cambio coincide con los filtros.')).toBeVisible();
  await page.getByLabel('Quién').selectOption({ label: 'Ana Administradora' });
  await expect(entry).toBeVisible();
  const diff = entry.getByRole('row', { name: /max_contacts/ });
  await expect(diff.getByRole('cell').nth(0)).toHaveText(String(cap));
  await expect(diff.getByRole('cell').nth(1)).toHaveText(String(cap + 1));
  await expect(page.getByRole('article', { name: /Correo de prueba enviado/ })).toHaveCount(0);
  await checkA11y(page);
  await shot(page, 'admin-auditoria', testInfo);

  // The address keeps the filters: a reload shows the same, and English.
  await page.reload();
  await ready(page, 'Registro de cambios');
  await page.getByRole('button', { name: 'English' }).click();
  await ready(page, 'Audit log');
  await expect(page.getByLabel('Kind of object')).toHaveValue('company');
  await expect(page.getByRole('article', { name: /Company changed · Company Acme Perú SAC/ }).first()).toBeVisible();
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page);
  await shot(page, 'admin-auditoria-en-oscuro', testInfo);
  // The choice of language is the admin's, kept by the server: give it
  // back, as later tests on this server sign in as the same admin.
  await page.getByRole('button', { name: 'Español' }).click();
  await ready(page, 'Registro de cambios');
  await page.request.patch(`/api/v1/companies/${acme.id}`, { headers, data: { max_contacts: cap } });
});
