// Every link in every kind of account mail the outbox renders opens a
// working page of the application (issue 10, item 13, for account mail).
import { test, expect, newCustomer, login, ready } from './harness.mjs';

test('every link in every account mail lands on a working page', async ({ page, server }) => {
  test.setTimeout(120_000);
  const a = newCustomer(server, { name: 'Ana Uno' });
  const b = newCustomer(server, { name: 'Beto Dos', lang: 'en' });
  const fresh = server.uniqueEmail('nuevo');
  const post = async (path, data) => {
    const r = await page.request.post(`/api/v1${path}`, { data, headers: csrf ? { 'X-CSRF-Token': csrf } : {} });
    expect(r.status(), `${path}: ${await r.text()}`).toBeLessThan(300);
    return r.json();
  };
  let csrf = null;
  await post('/auth/register', { name: 'Nueva Persona', email: fresh, password: 'una clave larga' }); // account_verify
  await post('/auth/register', { name: 'Otra vez', email: a.email, password: 'una clave larga' }); // account_exists
  await post('/auth/password-reset', { email: a.email }); // password_reset
  csrf = (await post('/auth/login', { email: b.email, password: b.password })).csrf_token;
  await post('/me/email', { email: a.email, password: b.password }); // email_taken, to a
  const moved = server.uniqueEmail('movido');
  await post('/me/email', { email: moved, password: b.password }); // email_change_verify
  const change = await server.mailTo(moved, (m) => /new email address|nueva dirección/i.test(m.subject));
  await post('/auth/verify', { token: /#token=([0-9a-f]+)/.exec(change.text)[1] }); // email_changed, to b
  csrf = (await post('/auth/login', { email: moved, password: b.password })).csrf_token;
  await post('/me/password', { current_password: b.password, new_password: 'otra clave larga' }); // password_changed

  const kinds = {
    account_verify: [fresh, /Confirme su dirección de correo/],
    account_exists: [a.email, /Intento de registro/],
    password_reset: [a.email, /Restablecer su contraseña/],
    email_taken: [a.email, /Intento de usar su dirección/],
    email_change_verify: [moved, /Confirm your new email address/],
    email_changed: [b.email, /email address has changed/i],
    password_changed: [moved, /password has changed/i],
  };
  const links = new Map();
  for (const [kind, [to, subject]] of Object.entries(kinds)) {
    const mail = await server.mailTo(to, (m) => subject.test(m.subject));
    const urls = mail.text.match(/https?:\/\/[^\s<>"]+/g) || [];
    expect(urls.length, `${kind} carries a link`).toBeGreaterThan(0);
    for (const u of urls) links.set(u.replace(/[.,;)]+$/, ''), kind);
  }
  for (const [url, kind] of links) {
    expect(url.startsWith(server.url), `${kind}: ${url} is ours`).toBe(true);
    await page.goto('about:blank');
    const res = await page.goto(url);
    expect(res.status(), `${kind}: ${url}`).toBe(200);
    await expect(page.getByRole('heading', { level: 1 }), `${kind}: ${url}`).toBeVisible();
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText(/No encontramos|cannot find/);
  }
  // The "someone tried to register with your address" link: the
  // forgotten-password form.
  await page.goto('about:blank');
  await page.goto(`${server.url}/account/reset`);
  await ready(page, '¿Olvidó su contraseña?');
  await expect(page.getByLabel('Correo electrónico')).toBeVisible();
  await login(page, a);
});
