// The landing page: open now in the desk's and the visitor's zone, hours,
// levels from the API, holidays and closures, the .ics link, the two ways in.
import { test, expect, checkA11y, shot, ready } from './harness.mjs';

test('open on a Tuesday morning in Lima: until 18:30, and the levels with their times', async ({ page }, testInfo) => {
  await page.clock.setFixedTime(new Date('2026-12-01T15:00:00Z')); // Tue 10:00 in Lima
  await page.goto('/');
  await ready(page, '¿En qué podemos ayudarle?');
  await expect(page.getByText('Abierto ahora')).toBeVisible();
  await expect(page.getByText('Atendemos hasta las 18:30, hora de Lima.')).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: '8:00–18:30 (hora de Lima)' })).toBeVisible();
  const levels = page.getByRole('region', { name: 'Niveles de servicio y tiempos de respuesta' });
  await expect(levels.getByRole('heading', { name: 'Partner Oro' })).toBeVisible();
  await expect(levels.getByRole('listitem').filter({ hasText: 'Partner Oro' })).toContainText('12 horas hábiles');
  await expect(levels.getByRole('listitem').filter({ hasText: 'No comercial' }).first()).toContainText('120 horas hábiles');
  const cal = page.getByRole('region', { name: 'Feriados y cierres' });
  await expect(cal.getByRole('listitem').first()).toContainText('Inmaculada Concepción');
  await expect(cal.getByRole('link', { name: 'Suscríbase al calendario (.ics)' })).toHaveAttribute('href', '/calendars/lima.ics');
  await checkA11y(page);
  await shot(page, 'landing-open', testInfo);
});

test('closed on a holiday, with when it opens again', async ({ page }) => {
  await page.clock.setFixedTime(new Date('2026-12-08T15:00:00Z')); // Inmaculada Concepción
  await page.goto('/');
  await expect(page.getByText('Cerrado ahora')).toBeVisible();
  await expect(page.getByText('Hoy es feriado: Inmaculada Concepción.')).toBeVisible();
  // The 9th is a holiday too (Batalla de Ayacucho).
  await expect(page.getByText('Volvemos a atender el jueves, 10 de diciembre, 8:00, hora de Lima.')).toBeVisible();
});

test.describe('a visitor in Madrid', () => {
  test.use({ timezoneId: 'Europe/Madrid', locale: 'en-GB' });
  test('sees the hours in both zones, in English', async ({ page }, testInfo) => {
    await page.clock.setFixedTime(new Date('2026-12-05T15:00:00Z')); // Saturday
    await page.goto('/');
    await ready(page, 'How can we help you?');
    await expect(page.getByText('Closed now')).toBeVisible();
    await expect(page.getByText('We are back on Monday, December 7 at 8:00 AM, Lima time.')).toBeVisible();
    await expect(page.getByText('In your time zone (Europe/Madrid): Monday, December 7 at 2:00 PM.')).toBeVisible();
    await expect(page.getByText('In your time zone (Europe/Madrid): 2:00 PM–12:30 AM')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Ask your question' })).toBeVisible();
    await checkA11y(page);
    await shot(page, 'landing-en-madrid', testInfo);
  });
});

test('an emergency closure shows at once on the landing page', async ({ page, server }) => {
  server.ayuda(['calendar', 'closure', 'add', '--from', '2026-12-02T08:00:00-05:00', '--to', '2026-12-02T12:00:00-05:00', '--reason', 'Corte de luz']);
  await page.clock.setFixedTime(new Date('2026-12-02T14:00:00Z')); // Wed 09:00 in Lima
  await page.goto('/');
  await expect(page.getByText('Cerrado ahora')).toBeVisible();
  await expect(page.getByText('Cierre de emergencia: Corte de luz.')).toBeVisible();
  await expect(page.getByText('Volvemos a atender el miércoles, 2 de diciembre, 12:00, hora de Lima.')).toBeVisible();
});

test('both buttons lead to the new-ticket form, the question as a commercial one', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Haga su pregunta' })).toHaveAttribute('href', '/tickets/nuevo?categoria=commercial');
  await expect(page.getByRole('link', { name: 'Enviar ticket' })).toHaveAttribute('href', '/tickets/nuevo');
});

test('a landing page left open closes at 18:30 by itself', async ({ page }) => {
  await page.clock.install({ time: new Date('2026-12-03T23:28:00Z') }); // Thu 18:28 in Lima
  await page.goto('/');
  await expect(page.getByText('Abierto ahora')).toBeVisible();
  await page.clock.runFor(3 * 60_000);
  await expect(page.getByText('Cerrado ahora')).toBeVisible();
  await expect(page.getByText('Volvemos a atender el viernes, 4 de diciembre, 8:00, hora de Lima.')).toBeVisible();
});
