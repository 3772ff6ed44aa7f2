// The help centre's categories at /admin/kb (issue 12, item 8): a
// supervisor creates one, renames it in both languages, moves it with the
// keyboard, is told why a category with articles stays, deletes an empty
// one; the page says who publishes; in English and dark mode too; an agent
// is told the page is not theirs.
import { test, expect, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';

const SUP = { email: 'supervisora@ayuda.localhost', password: DEMO_PASSWORD };
const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };

const names = async (page) => page.locator('.adm-kb-table tbody th').evaluateAll((ths) => ths.map((th) => th.firstChild.textContent.trim()));
const apiNames = async (page) => (await (await page.request.get('/api/v1/kb/categories')).json()).categories.map((c) => c.name_es);

test('a supervisor creates, renames, reorders and deletes categories', async ({ page }, testInfo) => {
  await login(page, SUP);
  await page.goto('/admin');
  await ready(page, 'Administración');
  await page.getByRole('navigation', { name: 'Administración' }).getByRole('link', { name: 'Centro de ayuda' }).click();
  await ready(page, 'Categorías del centro de ayuda');
  await expect(page).toHaveURL(/\/admin\/kb$/);
  await expect(page.getByText(/Los agentes escriben borradores/)).toBeVisible();

  // A new one, both names; it comes last, here and on the public pages.
  const tag = `Facturación ${testInfo.project.name}`;
  await page.getByLabel('Nombre en español').fill(tag);
  await page.getByLabel('Nombre en inglés').fill(`Invoicing ${testInfo.project.name}`);
  await page.getByRole('button', { name: 'Crear categoría' }).click();
  await expect(page.getByRole('status')).toHaveText(`Categoría «${tag}» creada.`);
  await expect.poll(() => names(page)).toEqual(await apiNames(page));
  expect((await names(page)).at(-1)).toBe(tag);
  // An empty name is refused with the reason, at the field.
  await page.getByRole('button', { name: 'Crear categoría' }).click();
  await expect(page.getByRole('alert').getByRole('link', { name: 'Escriba el nombre en español' })).toBeVisible();

  // Rename it.
  await page.getByRole('button', { name: `Renombrar ${tag}`, exact: true }).click();
  const renamed = `Facturas ${testInfo.project.name}`;
  await expect(page.getByLabel('Nombre en español').first()).toBeFocused();
  await page.getByLabel('Nombre en español').first().fill(renamed);
  await page.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByRole('status')).toHaveText(`Categoría «${renamed}» guardada.`);

  // Move it up with the keyboard: the focus stays on its button.
  const up = page.getByRole('button', { name: `Subir ${renamed}` });
  await up.focus();
  await page.keyboard.press('Enter');
  const n = (await apiNames(page)).length;
  await expect(page.getByRole('status')).toHaveText(`«${renamed}» está ahora en el puesto ${n - 1}.`);
  await expect(up).toBeFocused();
  await expect.poll(() => names(page)).toEqual(await apiNames(page));
  expect((await apiNames(page)).at(-2)).toBe(renamed);
  await checkA11y(page);
  await shot(page, 'admin-kb', testInfo);

  // A category with articles stays, and the page says why.
  const cats = (await (await page.request.get('/api/v1/kb/categories')).json()).categories;
  const full = cats.find((c) => c.count > 0);
  await page.getByRole('button', { name: `Borrar ${full.name_es}`, exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'no se puede borrar' })).toContainText(`«${full.name_es}» no se puede borrar: tiene ${full.count} artículo`);
  expect(await apiNames(page)).toContain(full.name_es);

  // An empty one goes, after asking.
  await page.getByRole('button', { name: `Borrar ${renamed}`, exact: true }).click();
  await expect(page.getByText(`¿Borrar la categoría «${renamed}»?`)).toBeVisible();
  await page.getByRole('button', { name: 'Sí, borrar' }).click();
  await expect(page.getByRole('status')).toHaveText(`Categoría «${renamed}» borrada.`);
  expect(await apiNames(page)).not.toContain(renamed);
  await expect(page.getByRole('button', { name: `Borrar ${renamed}`, exact: true })).toHaveCount(0);
});

test.describe('in English and dark mode', () => {
  test.use({ colorScheme: 'dark' });
  test('an English-speaking supervisor reads the page in English', async ({ page, server }, testInfo) => {
    const email = server.uniqueEmail('sup');
    server.ayuda(['user', 'add', '--email', email, '--name', 'Sue Visor', '--role', 'supervisor', '--lang', 'en', '--password-stdin'], 'clave-segura-123\n');
    await login(page, { email, password: 'clave-segura-123' });
    // From the team's list of articles.
    await page.goto('/agente/kb');
    await page.getByRole('link', { name: 'Categories', exact: true }).click();
    await ready(page, 'Help centre categories');
    await expect(page.getByText(/Agents write drafts/)).toBeVisible();
    await expect(page.getByRole('button', { name: 'Create category' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Articles' })).toBeVisible();
    await checkA11y(page);
    await shot(page, 'admin-kb-en-dark', testInfo);
  });
});

test('an agent is told the categories are for supervisors and administrators', async ({ page }) => {
  await login(page, AGENT);
  await page.goto('/admin/kb');
  await ready(page, 'Categorías del centro de ayuda');
  await expect(page.getByText('Esta página es para supervisores y administradores.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Crear categoría' })).toHaveCount(0);
  await checkA11y(page);
});
