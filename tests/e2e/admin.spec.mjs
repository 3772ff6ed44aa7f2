// The admin console's frame (issue 13, items 5-9): an administrator reaches
// /admin from the header and finds every section the console has; anyone
// else is told the section is not theirs. The sections' own specs are
// admin-*.spec.mjs.
import { test, expect, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';

const ADMIN = { email: 'admin@ayuda.localhost', password: DEMO_PASSWORD };
const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };

test('an administrator reaches the admin console from the header and finds its sections', async ({ page }, testInfo) => {
  await login(page, ADMIN);
  await page.goto('/agente');
  await page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Administración' }).click();
  await ready(page, 'Administración');
  await expect(page).toHaveURL(/\/admin$/);
  const nav = page.getByRole('navigation', { name: 'Administración' });
  await expect(nav.getByRole('link', { name: 'Inicio' })).toHaveAttribute('aria-current', 'page');
  // Every section in the navigation is also on the start page, described.
  const sections = await nav.getByRole('link').allTextContents();
  for (const name of sections.filter((s) => s !== 'Inicio')) {
    await expect(page.getByRole('main').getByRole('link', { name, exact: true }).last()).toBeVisible();
  }
  await checkA11y(page);
  await shot(page, 'admin-inicio', testInfo);
});

test('an agent is told the admin console is for administrators', async ({ page }) => {
  await login(page, AGENT);
  await page.goto('/agente');
  await expect(page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Consola' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Administración' })).toHaveCount(0);
  await page.goto('/admin');
  await ready(page, 'Administración');
  await expect(page.getByText('Esta sección es solo para administradores.')).toBeVisible();
  await checkA11y(page);
});

test('on a phone the header stays one row and shows the current page\'s link', async ({ page }, testInfo) => {
  await login(page, ADMIN);
  await page.goto('/admin');
  await ready(page, 'Administración');
  const nav = page.getByRole('navigation', { name: 'Principal' });
  const here = nav.getByRole('link', { name: 'Administración' });
  await expect(here).toHaveAttribute('aria-current', 'page');
  const box = await here.boundingBox();
  const size = page.viewportSize();
  // The link is on screen without scrolling anything.
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(size.width);
  if (testInfo.project.name === 'phone') {
    // Eight links, one row: the header is no taller than two rows of controls.
    const header = await page.locator('.site-header').boundingBox();
    expect(header.height).toBeLessThan(160);
  }
});
