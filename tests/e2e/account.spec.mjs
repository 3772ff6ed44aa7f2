// The account pages, as a customer uses them: register, confirm the address
// from the mail, log in, forgotten password, change password and address,
// language and time zone, API tokens, log out.
import { test, expect, newCustomer, login, checkA11y, shot, ready } from './harness.mjs';

const link = (mail, path) => {
  const m = new RegExp(`https?://\\S+${path}\\S*`).exec(mail.text);
  expect(m, `a ${path} link in:\n${mail.text}`).not.toBeNull();
  return m[0];
};

test('register, confirm the address from the mail, log in', async ({ page, server }, testInfo) => {
  const email = server.uniqueEmail('nuevo');
  await page.goto('/registro');
  await ready(page, 'Crear una cuenta');
  await checkA11y(page);
  await shot(page, 'register', testInfo);
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(['Escriba su nombre y apellidos', 'Escriba su correo electrónico', 'Escriba su contraseña']);
  await checkA11y(page);
  await shot(page, 'register-errors', testInfo);

  await page.getByLabel('Nombre y apellidos').fill('Rosa Huamán');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill('corta');
  await page.getByLabel('Empresa (opcional)').fill('Acme Perú SAC');
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await expect(summary.getByRole('link', { name: 'La contraseña debe tener al menos 8 caracteres' })).toBeVisible();
  await page.getByLabel('Contraseña').fill('una clave larga');
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await ready(page, 'Revise su correo');
  await expect(page.getByText(`Enviamos un enlace a ${email}.`)).toBeVisible();
  await shot(page, 'register-sent', testInfo);

  const mail = await server.mailTo(email, (m) => /Confirme su dirección/.test(m.subject));
  await page.goto(link(mail, '/account/verify'));
  await ready(page, 'Dirección confirmada');
  expect(page.url()).not.toContain('token'); // taken off the address bar
  await checkA11y(page);
  await shot(page, 'verify-done', testInfo);
  await page.getByRole('link', { name: 'Entrar' }).last().click();
  await ready(page, 'Entrar');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Contraseña').fill('una clave larga');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await expect(page.getByRole('button', { name: 'Salir' })).toBeVisible();
  await page.goto('/cuenta');
  await ready(page, 'Mi cuenta');
  await expect(page.getByText('Rosa Huamán')).toBeVisible();

  // The same link again: explained, with a way on.
  await page.goto('/');
  await page.goto(link(mail, '/account/verify'));
  await ready(page, 'El enlace no es válido o caducó');
  await checkA11y(page);
  await shot(page, 'verify-bad', testInfo);
});

test('a forgotten password: the mailed link, a new password, the old link refused', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  await page.goto('/entrar');
  await page.getByRole('link', { name: '¿Olvidó su contraseña?' }).click();
  await ready(page, '¿Olvidó su contraseña?');
  await checkA11y(page);
  await shot(page, 'forgot', testInfo);
  await page.getByLabel('Correo electrónico').fill(u.email);
  await page.getByRole('button', { name: 'Enviar enlace' }).click();
  await ready(page, 'Revise su correo');
  const mail = await server.mailTo(u.email, (m) => /Restablecer/.test(m.subject));
  const url = link(mail, '/account/reset');
  await page.goto(url);
  await ready(page, 'Elija una contraseña nueva');
  await checkA11y(page);
  await shot(page, 'reset', testInfo);
  await page.getByLabel('Contraseña nueva').fill('otra clave larga');
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await ready(page, 'Contraseña guardada');
  await login(page, { email: u.email, password: 'otra clave larga' });
  await page.goto('/');
  await page.goto(url);
  await page.getByLabel('Contraseña nueva').fill('tercera clave larga');
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await ready(page, 'El enlace no es válido o caducó');
  await expect(page.getByLabel('Correo electrónico')).toBeVisible();
});

test('change the address: the link goes to the new one and applies the change', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  const next = server.uniqueEmail('nueva');
  await login(page, u);
  await page.goto('/cuenta');
  await ready(page, 'Mi cuenta');
  await checkA11y(page);
  await shot(page, 'account', testInfo);
  await page.getByRole('link', { name: 'Cambiar correo electrónico' }).click();
  await ready(page, 'Cambiar su correo electrónico');
  await checkA11y(page);
  await shot(page, 'email-change', testInfo);
  await page.getByLabel('Correo electrónico nuevo').fill(next);
  await page.getByLabel('Contraseña').fill('mala clave');
  await page.getByRole('button', { name: 'Enviar enlace' }).click();
  await expect(page.locator('.error-summary')).toContainText('La contraseña no es correcta');
  await page.getByLabel('Contraseña').fill(u.password);
  await page.getByRole('button', { name: 'Enviar enlace' }).click();
  await ready(page, 'Revise su correo nuevo');
  const mail = await server.mailTo(next, (m) => /nueva dirección/.test(m.subject));
  await page.goto(link(mail, '/account/email'));
  await ready(page, 'Dirección cambiada');
  await shot(page, 'email-changed', testInfo);
  await server.mailTo(u.email, (m) => /ha cambiado/.test(m.subject));
  await page.context().clearCookies();
  await login(page, { email: next, password: u.password });
});

test('change the password: every session ends, log in with the new one', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  await login(page, u);
  await page.goto('/cuenta/clave');
  await ready(page, 'Cambiar su contraseña');
  await checkA11y(page);
  await page.getByLabel('Contraseña actual').fill('no es esta');
  await page.getByLabel('Contraseña nueva').fill('nueva clave larga');
  await page.getByRole('button', { name: 'Cambiar contraseña' }).click();
  await expect(page.locator('.error-summary')).toContainText('La contraseña no es correcta');
  await expect(page.getByLabel('Contraseña actual')).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'password-errors', testInfo);
  await page.getByLabel('Contraseña actual').fill(u.password);
  await page.getByRole('button', { name: 'Cambiar contraseña' }).click();
  await expect(page).toHaveURL(/\/entrar\?volver=%2Fcuenta&motivo=clave$/);
  await expect(page.getByRole('status')).toHaveText('Su contraseña cambió y cerramos todas sus sesiones. Entre con la contraseña nueva.');
  expect((await page.request.get('/api/v1/auth/session')).status()).toBe(401);
  await page.getByLabel('Correo electrónico').fill(u.email);
  await page.getByLabel('Contraseña').fill('nueva clave larga');
  await page.getByRole('button', { name: 'Entrar' }).click();
  await ready(page, 'Mi cuenta');
});

test('language and time zone follow the profile, and my API tokens are listed', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  server.ayuda(['token', 'create', '--user', u.email]);
  await login(page, u);
  await page.goto('/cuenta');
  await expect(page.getByRole('cell', { name: 'cli' })).toBeVisible();
  await page.getByRole('link', { name: 'Cambiar idioma' }).click();
  await ready(page, 'Idioma y zona horaria');
  await checkA11y(page);
  await shot(page, 'preferences', testInfo);
  await page.getByLabel('Idioma').selectOption('en');
  await page.getByLabel('Zona horaria').selectOption('Asia/Tokyo');
  await page.getByRole('button', { name: 'Guardar' }).click();
  await ready(page, 'My account');
  await expect(page.getByText(/^Asia\/Tokyo \(it is .* there now\)$/)).toBeVisible();
  await shot(page, 'account-en', testInfo);
  // A new device, where nothing was chosen: the profile's language wins.
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await ready(page, 'My account');
  await checkA11y(page);
});

test.describe('in dark mode', () => {
  test.use({ colorScheme: 'dark' });
  test('the account pages pass axe', async ({ page, server }, testInfo) => {
    const u = newCustomer(server);
    await page.goto('/registro');
    await ready(page, 'Crear una cuenta');
    await page.getByRole('button', { name: 'Crear cuenta' }).click();
    await checkA11y(page);
    await shot(page, 'register-errors-dark', testInfo);
    await login(page, u);
    await page.goto('/cuenta');
    await ready(page, 'Mi cuenta');
    await checkA11y(page);
    await shot(page, 'account-dark', testInfo);
  });
});

test('log out from the header, and /salir', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  await login(page, u);
  await page.goto('/cuenta');
  await page.getByRole('button', { name: 'Salir' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('link', { name: 'Entrar' })).toBeVisible();
  await page.goto('/cuenta');
  await expect(page).toHaveURL(/\/entrar/);
  await login(page, u);
  await page.goto('/salir');
  await expect(page.getByText('Ha salido de su cuenta.')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'logout', testInfo);
  expect((await page.request.get('/api/v1/auth/session')).status()).toBe(401);
});

test('register with the keyboard alone', async ({ page, server }) => {
  const email = server.uniqueEmail('teclado');
  await page.goto('/registro');
  await ready(page, 'Crear una cuenta');
  await page.keyboard.press('Tab'); // skip link
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab'); // the first field
  await expect(page.getByLabel('Nombre y apellidos')).toBeFocused();
  await page.keyboard.type('Teo Teclado');
  await page.keyboard.press('Tab');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type('corta');
  await page.keyboard.press('Enter'); // sends the form
  await expect(page.locator('.error-summary')).toBeFocused();
  await page.keyboard.press('Tab'); // the summary's link to the field
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Contraseña')).toBeFocused();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('una clave bastante larga');
  await page.keyboard.press('Enter');
  await ready(page, 'Revise su correo');
});

test('a session that ends before sending: log in, come back, the text is still there', async ({ page, server }) => {
  const u = newCustomer(server);
  const next = server.uniqueEmail('tarde');
  await login(page, u);
  await page.goto('/cuenta/correo');
  await page.getByLabel('Correo electrónico nuevo').fill(next);
  await page.getByLabel('Contraseña').fill(u.password);
  await page.context().clearCookies(); // the session ends meanwhile
  await page.getByRole('button', { name: 'Enviar enlace' }).click();
  await expect(page).toHaveURL(/\/entrar\?volver=%2Fcuenta%2Fcorreo$/);
  await expect(page.getByText('Entre de nuevo para continuar donde estaba.')).toBeVisible();
  await page.getByLabel('Correo electrónico').fill(u.email);
  await page.getByLabel('Contraseña').fill(u.password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await ready(page, 'Cambiar su correo electrónico');
  await expect(page.getByLabel('Correo electrónico nuevo')).toHaveValue(next);
  await expect(page.getByLabel('Contraseña')).toHaveValue(''); // never kept
});

test('a password can be shown while typing it, and hidden again', async ({ page }) => {
  await page.goto('/entrar');
  const field = page.getByLabel('Contraseña', { exact: true });
  await field.fill('una clave');
  await expect(field).toHaveAttribute('type', 'password');
  await page.getByRole('button', { name: 'Mostrar contraseña' }).click();
  await expect(field).toHaveAttribute('type', 'text');
  await expect(field).toHaveValue('una clave');
  await page.getByRole('button', { name: 'Ocultar contraseña' }).click();
  await expect(field).toHaveAttribute('type', 'password');
  await checkA11y(page);
});

test.describe('in English', () => {
  test.use({ locale: 'en-GB', timezoneId: 'Europe/London' });
  test('register: the pages and the mail in English, the link confirms', async ({ page, server }, testInfo) => {
    const email = server.uniqueEmail('english');
    await page.goto('/registro');
    await ready(page, 'Create an account');
    await page.getByLabel('Full name').fill('Jane Smith');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('a long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await ready(page, 'Check your email');
    const mail = await server.mailTo(email, (m) => /Confirm your email address/.test(m.subject));
    expect(mail.text).toContain('To activate your account, open this link');
    await page.goto(link(mail, '/account/verify'));
    await ready(page, 'Address confirmed');
    await checkA11y(page);
    await shot(page, 'verify-done-en', testInfo);
    await login(page, { email, password: 'a long enough password' });
    await page.goto('/cuenta');
    await ready(page, 'My account');
    await expect(page.getByText('English', { exact: true })).toBeVisible();
  });
});
