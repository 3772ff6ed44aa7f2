// The SLA levels of the admin console (issue 13, item 6): the admin changes
// a level's target by keyboard alone, sees version 2 (the next one) in the
// history and the difference as a table; the open tickets of the old
// version are one link away in the agent console's queue and keep their
// due time; a form with mistakes is refused with GOV.UK's error summary;
// anyone but an admin is told the page is not theirs; dark mode and
// English. The tests of one worker share its server (with other specs), so
// each reads the level's version first and works from there, and none
// changes what another spec reads (the gold level's hours, the Spanish
// names).
import { test, expect, login, checkA11y, shot, ready, newCustomer, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

const ADMIN = { email: 'admin@ayuda.localhost', password: DEMO_PASSWORD };
const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };

// The texts of a row's cells, without the column names a phone shows.
const cellTexts = (row) => row.locator('th, td').evaluateAll((els) => els.map((e) => [...e.childNodes]
  .filter((n) => !(n.classList && n.classList.contains('adm-sla-label'))).map((n) => n.textContent).join('').trim()));

// Log in as the admin, reading in Spanish whatever a spec before (on this
// worker's server) left the admin's language at.
async function asAdmin(page, server) {
  await apiAs(server, ADMIN.email)(page, 'PATCH', '/me', { lang: 'es' });
  await login(page, ADMIN);
}

async function current(page, code) {
  const res = await page.request.get(`/api/v1/sla/levels/${code}/versions`);
  expect(res.ok()).toBeTruthy();
  return (await res.json()).current;
}

test('the admin changes a level\'s target by keyboard and sees the new version and the difference', async ({ page, server }, testInfo) => {
  test.setTimeout(120_000); // five pages, each checked whole
  // An open ticket on the version about to be replaced: a bronze partner's.
  const company = `Socio Bronce ${testInfo.project.name} ${Date.now()}`;
  server.ayuda(['company', 'add', '--name', company, '--partner-tier', 'bronze', '--partner-active']);
  const partner = apiAs(server, newCustomer(server, { company }).email);
  await asAdmin(page, server);
  const tk = await partner(page, 'POST', '/tickets', { subject: 'Antes del cambio de nivel', body: 'Una consulta.' });
  expect(tk.sla.level).toBe('partner_bronze');
  const before = await current(page, 'partner_bronze');
  const v = before.version;
  const hours = before.response_minutes / 60 - 1;

  await page.goto('/admin');
  await ready(page, 'Administración');
  const nav = page.getByRole('navigation', { name: 'Administración' });
  await nav.getByRole('link', { name: 'Niveles de SLA' }).focus();
  await page.keyboard.press('Enter');
  await ready(page, 'Niveles de SLA');
  await expect(nav.getByRole('link', { name: 'Niveles de SLA' })).toHaveAttribute('aria-current', 'page');
  const row = page.getByRole('table', { name: 'Niveles de SLA' }).getByRole('row', { name: /Partner Bronce/ });
  await expect(row).toBeVisible();
  expect((await cellTexts(row))[2]).toBe(String(v));
  await checkA11y(page);
  await shot(page, 'admin-sla', testInfo);

  await row.getByRole('link', { name: 'Partner Bronce' }).focus();
  await page.keyboard.press('Enter');
  await ready(page, 'Nivel: Partner Bronce');
  await checkA11y(page);
  await shot(page, 'admin-sla-nivel', testInfo);

  // Keyboard only: the target field, a new value, Enter sends the form.
  await page.getByLabel('Plazo de respuesta, en horas').focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(String(hours));
  await page.keyboard.press('Enter');
  const notice = page.getByRole('status').filter({ hasText: `Guardado como versión ${v + 1}` });
  await expect(notice).toBeVisible();
  await expect(notice).toBeFocused();

  const history = page.getByRole('table', { name: 'Historial de versiones' });
  await expect(history.getByRole('row', { name: new RegExp(`Versión ${v + 1} actual`) })).toContainText('Ana Administradora');
  const diff = page.getByRole('table', { name: `Cambios de la versión ${v} a la ${v + 1}` });
  await expect(diff).toBeVisible();
  await expect(diff.locator('tbody tr')).toHaveCount(1);
  expect(await cellTexts(diff.locator('tbody tr').first())).toEqual(['Plazo de respuesta, en horas', `${before.response_minutes / 60} h (${before.response_minutes} min)`,
    `${hours} h (${hours * 60} min)`]);
  await expect(page).toHaveURL(new RegExp(`/admin/sla/partner_bronze\\?desde=${v}&hasta=${v + 1}$`));
  await checkA11y(page);
  await shot(page, 'admin-sla-version', testInfo);

  // Two versions chosen by keyboard: the same one twice is no difference.
  await page.getByLabel('Desde la versión').selectOption(String(v + 1));
  await page.getByRole('button', { name: 'Comparar' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(`Las versiones ${v + 1} y ${v + 1} son iguales.`)).toBeVisible();

  // The old version's open tickets, in the agent console's queue; the
  // ticket kept its version and its due time.
  const old = history.getByRole('row', { name: new RegExp(`Versión ${v}(?!\\d)`) });
  await old.getByRole('link', { name: new RegExp(`tickets? abiertos? con la versión ${v}$`) }).click();
  await ready(page, 'Cola: sin resolver');
  await expect(page).toHaveURL(new RegExp(`nivel=partner_bronze&version=${v}`));
  await expect(page.getByText(`Solo los tickets con la versión ${v} del nivel.`)).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(`Ticket#${tk.number}\\b`) })).toBeVisible();
  await checkA11y(page);
  const now = await (await page.request.get(`/api/v1/tickets/${tk.number}`)).json();
  expect(now.sla.policy_version).toBe(v);
  expect(now.sla.due_at).toBe(tk.sla.due_at);
});

test('a form with mistakes, or saved over another admin\'s save, is refused with the error summary; others may not come in', async ({ page, server }, testInfo) => {
  await asAdmin(page, server);
  const before = await current(page, 'partner_silver');
  await page.goto('/admin/sla/partner_silver');
  await ready(page, 'Nivel: Partner Plata');
  await page.getByLabel('Nombre en español').fill('');
  await page.getByLabel('Plazo de respuesta, en horas').fill('dos días');
  await page.getByRole('button', { name: 'Guardar nueva versión' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'Hay un problema' });
  await expect(summary).toBeVisible();
  await expect(summary.getByRole('link')).toHaveText(['Escriba el nombre en español',
    'Escriba el plazo en horas, como 24 o 1,5 (hasta 8760), o déjelo vacío']);
  await summary.getByRole('link', { name: 'Escriba el nombre en español' }).click();
  await expect(page.getByLabel('Nombre en español')).toBeFocused();
  await checkA11y(page);
  await shot(page, 'admin-sla-errores', testInfo);
  expect((await current(page, 'partner_silver')).version).toBe(before.version);

  // Another admin saves first: this save is refused, not written over it.
  await apiAs(server, 'admin@ayuda.localhost')(page, 'PATCH', '/sla/levels/partner_silver', { name_en: `Silver partner (${before.version + 1})`, base_version: before.version });
  await page.getByLabel('Nombre en español').fill('Partner Plata');
  await page.getByLabel('Plazo de respuesta, en horas').fill('40');
  await page.getByRole('button', { name: 'Guardar nueva versión' }).click();
  await expect(summary).toContainText('Otra persona cambió esto mientras tanto. Recargue la página.');
  const after = await current(page, 'partner_silver');
  expect([after.version, after.name_en, after.response_minutes]).toEqual([before.version + 1, `Silver partner (${before.version + 1})`, before.response_minutes]);

  await page.context().clearCookies();
  await apiAs(server, AGENT.email)(page, 'PATCH', '/me', { lang: 'es' });
  await login(page, AGENT);
  for (const path of ['/admin/sla', '/admin/sla/partner_silver']) {
    await page.goto(path);
    await ready(page, 'Niveles de SLA');
    await expect(page.getByText('Esta sección es solo para administradores.')).toBeVisible();
  }
  await checkA11y(page);
});

test('the level pages in dark mode and in English', async ({ page, server }, testInfo) => {
  test.setTimeout(120_000);
  await asAdmin(page, server);
  const v = (await current(page, 'commercial')).version;
  await page.goto('/admin/sla/commercial');
  await ready(page, 'Nivel: Cliente comercial');
  // The licence-address rule is the commercial level's alone.
  await expect(page.getByLabel('Solo desde la dirección registrada con la licencia')).toBeChecked();
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page);
  await shot(page, 'admin-sla-oscuro', testInfo);
  await page.emulateMedia({ colorScheme: 'light' });

  await page.getByRole('button', { name: 'English' }).click();
  await ready(page, 'Level: Commercial customer');
  await page.getByLabel('Name in English').fill(`Commercial customer (v${v + 1})`);
  await page.getByRole('button', { name: 'Save new version' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Saved as version ${v + 1}.` })).toBeVisible();
  const diff = page.getByRole('table', { name: `Changes from version ${v} to ${v + 1}` });
  await expect(diff.getByRole('row', { name: /Name in English/ })).toContainText(`Commercial customer (v${v + 1})`);
  await checkA11y(page);
  await shot(page, 'admin-sla-en', testInfo);
  await page.goto('/admin/sla');
  await ready(page, 'SLA levels');
  const row = page.getByRole('table', { name: 'SLA levels' }).getByRole('row', { name: /Commercial customer/ });
  await expect(row).toBeVisible();
  expect((await cellTexts(row))[2]).toBe(String(v + 1));
  await checkA11y(page);
  await page.getByRole('button', { name: 'Español' }).click();
  await ready(page, 'Niveles de SLA');
});
