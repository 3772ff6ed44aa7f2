// The shell, the router, the language switch, the log-in page and the API
// client's "log in and come back", at both widths.
import { test, expect, newCustomer, login, checkA11y, shot, ready } from './harness.mjs';

test('the landing page renders, passes axe, in light and dark', async ({ page }, testInfo) => {
  await page.goto('/');
  await ready(page, '¿En qué podemos ayudarle?');
  await expect(page.getByRole('link', { name: 'Haga su pregunta' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Enviar ticket' })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'landing', testInfo);
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page);
  await shot(page, 'landing-dark', testInfo);
});

test('a deep link serves the shell and an unknown one a 404 page', async ({ page }, testInfo) => {
  const res = await page.goto('/entrar?volver=%2Ftickets');
  expect(res.status()).toBe(200);
  await ready(page, 'Entrar');
  const missing = await page.goto('/no-existe/para-nada');
  expect(missing.status()).toBe(404);
  await ready(page, 'No encontramos esta página');
  await checkA11y(page);
  await shot(page, 'not-found', testInfo);
});

test('the language switch turns every string to English and is remembered', async ({ page }, testInfo) => {
  await page.goto('/entrar');
  await ready(page, 'Entrar');
  await page.getByRole('button', { name: 'English' }).click();
  await ready(page, 'Log in');
  await expect(page).toHaveTitle(/Log in/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await ready(page, 'Log in');
  await expect(page.getByLabel('Email address')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'login-en', testInfo);
  await page.getByRole('button', { name: 'Español' }).click();
  await ready(page, 'Entrar');
});

test('log in: errors listed on top and beside each field, then back where the person was going', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  await page.goto('/entrar?volver=%2Fno-existe');
  await ready(page, 'Entrar');
  await page.getByRole('button', { name: 'Entrar' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link', { name: 'Escriba su correo electrónico' })).toBeVisible();
  await expect(page.getByLabel('Correo electrónico')).toHaveAttribute('aria-invalid', 'true');
  await checkA11y(page);
  await shot(page, 'login-errors', testInfo);
  await summary.getByRole('link', { name: 'Escriba su contraseña' }).click();
  await expect(page.getByLabel('Contraseña')).toBeFocused();

  await page.getByLabel('Correo electrónico').fill(u.email);
  await page.getByLabel('Contraseña').fill('mala-clave');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(summary).toContainText('El correo o la contraseña no son correctos.');

  await page.getByLabel('Contraseña').fill(u.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page).toHaveURL(/\/no-existe$/);
  await expect(page.getByRole('button', { name: 'Salir' })).toBeVisible();
});

test('log in never sends the person to another site', async ({ page, server }) => {
  const u = newCustomer(server);
  for (const bad of ['//example.com/x', '/\\example.com', 'https://example.com/']) {
    await page.context().clearCookies();
    await page.goto(`/entrar?volver=${encodeURIComponent(bad)}`);
    await page.getByLabel('Correo electrónico').fill(u.email);
    await page.getByLabel('Contraseña').fill(u.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(page.getByRole('button', { name: 'Salir' })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(server.url);
    expect(new URL(page.url()).pathname).toBe('/');
  }
});

test('the keyboard alone: skip link first, then the form, Enter sends', async ({ page, server }) => {
  const u = newCustomer(server);
  await page.goto('/entrar');
  await ready(page, 'Entrar');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Saltar al contenido' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.getByLabel('Correo electrónico').focus();
  await page.keyboard.type(u.email);
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Contraseña')).toBeFocused();
  await page.keyboard.type(u.password);
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('button', { name: 'Salir' })).toBeVisible();
});

test('a session that ends sends the person to log in and back', async ({ page, server }) => {
  const u = newCustomer(server);
  await login(page, u);
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Salir' })).toBeVisible();
  // The session ends behind the page's back (another tab logs out).
  await page.context().clearCookies();
  const lang = page.getByRole('button', { name: 'English' });
  await lang.click(); // PATCH /me answers 401
  await expect(page).toHaveURL(/\/entrar\?volver=%2F/);
  await expect(page.getByText('Log in again to continue where you were.')).toBeVisible();
});

test.describe('a browser that asks for English', () => {
  test.use({ locale: 'en-US' });
  test('gets English before anyone chooses', async ({ page }) => {
    await page.goto('/');
    await ready(page, 'How can we help you?');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  });
});

test.describe('Windows high contrast (forced colors)', () => {
  test.use({ forcedColors: 'active' });
  test('the log-in errors stay readable and outlined', async ({ page }, testInfo) => {
    await page.goto('/entrar');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(page.locator('.error-summary')).toBeFocused();
    await checkA11y(page);
    await shot(page, 'login-errors-forced-colors', testInfo);
  });
});

test('too many attempts: the page says how long to wait', async ({ page, server }) => {
  const u = newCustomer(server);
  await page.goto('/entrar');
  await page.getByLabel('Correo electrónico').fill(u.email);
  const summary = page.locator('.error-summary');
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Contraseña').fill(`mala-${i}`);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await expect(summary).toContainText('El correo o la contraseña no son correctos.');
    await page.getByLabel('Contraseña').fill('');
  }
  await page.getByLabel('Contraseña').fill(u.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(summary).toContainText(/Demasiadas solicitudes seguidas: espere \d+ s y vuelva a intentarlo\./);
});

test("a page whose module does not arrive says so and offers to reload", async ({ page }) => {
  await page.route('**/portal/forgot.js*', (route) => route.abort());
  await page.goto('/clave');
  await ready(page, 'No pudimos abrir esta página');
  await page.unroute('**/portal/forgot.js*');
  await page.getByRole('button', { name: 'Volver a cargar' }).click();
  await ready(page, '¿Olvidó su contraseña?');
});
