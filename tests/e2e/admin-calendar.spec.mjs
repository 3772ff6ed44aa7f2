// The admin's calendars (issue 13, items 7 and 10): an emergency closure
// published at once on the landing page and in the .ics, then ended; the
// what-if of a new holiday lists the deadlines it would move, and after
// saving they moved by exactly that, each ticket's history saying why (naming
// the calendar by its title); the title edited and seen in the SLA level
// form; the due time of a start and a target explained; keyboard only; dark
// mode and English; anyone else refused.
// Each test puts the calendar back as it found it (the worker's server is
// shared with other specs).
import { test, expect, login, checkA11y, checkBothSchemes, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

const ADMIN = { email: 'admin@ayuda.localhost', password: DEMO_PASSWORD };
const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };

// The calendar "lima" as it is now; restore() puts it back.
async function keepLima(page, server) {
  const admin = apiAs(server, 'admin@ayuda.localhost');
  const spec = await admin(page, 'GET', '/calendars/lima');
  return () => admin(page, 'PUT', '/calendars/lima', spec);
}

// Every ticket's due time as the agents' API shows it: { number: iso }.
async function dues(page, server) {
  const agent = apiAs(server, 'agente@ayuda.localhost');
  const out = {};
  let after = '';
  for (;;) {
    const r = await agent(page, 'GET', `/tickets?limit=200${after ? `&after=${after}` : ''}`);
    for (const tk of r.tickets) out[tk.number] = tk.sla && tk.sla.due_at ? Date.parse(tk.sla.due_at) : null;
    if (!r.next) return out;
    after = r.next;
  }
}

async function openLima(page) {
  await page.goto('/admin');
  await ready(page, 'Administración');
  await page.getByRole('navigation', { name: 'Administración' }).getByRole('link', { name: 'Calendarios' }).click();
  await ready(page, 'Calendarios');
  await page.getByRole('link', { name: 'Calendario Lima (Perú)' }).click();
  await ready(page, 'Calendario Lima (Perú)');
}

test('an emergency pause now shows at once on the landing page and in the .ics, and ends', async ({ page, server }, testInfo) => {
  await login(page, ADMIN);
  const restore = await keepLima(page, server);
  try {
    await page.goto('/admin/calendarios');
    await ready(page, 'Calendarios');
    await checkA11y(page);
    await shot(page, 'admin-calendarios', testInfo);
    await openLima(page);
    await checkA11y(page);
    await shot(page, 'admin-calendario', testInfo);

    const closures = page.getByRole('region', { name: 'Cierres', exact: true });
    await closures.getByLabel('Motivo').fill('Corte de luz en la oficina');
    await expect(closures.getByLabel('Empieza')).toHaveValue('now');
    await closures.getByRole('button', { name: 'Pausar ahora' }).click();
    await expect(closures.getByText('Pausa de emergencia publicada')).toBeVisible();
    const item = closures.getByRole('listitem').filter({ hasText: 'Corte de luz en la oficina' });
    await expect(item).toContainText('en curso');

    const ics = await (await page.request.get('/calendars/lima.ics')).text();
    expect(ics).toContain('SUMMARY:Corte de luz en la oficina\r\n');
    await page.goto('/');
    await expect(page.getByText('Cierre de emergencia: Corte de luz en la oficina.')).toBeVisible();
    await expect(page.getByText('Cerrado ahora')).toBeVisible();

    await openLima(page);
    await page.getByRole('button', { name: 'Terminar ahora: Corte de luz en la oficina' }).click();
    await expect(page.getByText('Cierre terminado: Corte de luz en la oficina.')).toBeVisible();
    await page.getByText(/^Cierres pasados/).click();
    await expect(page.getByRole('listitem').filter({ hasText: 'Corte de luz en la oficina' })).not.toContainText('en curso');
    await page.goto('/');
    await ready(page, '¿En qué podemos ayudarle?');
    await expect(page.getByText('Cierre de emergencia: Corte de luz en la oficina.')).toHaveCount(0);

    // The audit has the change, with the calendar before and after.
    const audit = await (await page.request.get('/api/v1/audit?kind=calendar.changed')).json();
    expect(audit.events[0].data.before.closures.some((c) => c.reason === 'Corte de luz en la oficina')).toBe(true);
  } finally {
    await restore();
  }
});

test('the what-if lists the tickets a new holiday would move; after saving they moved by exactly that', async ({ page, server }, testInfo) => {
  await login(page, ADMIN);
  const restore = await keepLima(page, server);
  try {
    const maria = apiAs(server, 'maria@acme.pe');
    const tk = await maria(page, 'POST', '/tickets', { subject: 'Exportación de contactos', body: 'La descarga queda en blanco.' });
    // A holiday on the day it is due moves it by a business day at least.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Lima' }).format(new Date(tk.sla.due_at));
    await openLima(page);
    const hol = page.getByRole('region', { name: 'Feriados', exact: true });
    await hol.getByLabel('Nombre').fill('Feriado de prueba');
    await hol.getByLabel('Tipo').selectOption('once');
    await hol.getByLabel('Fecha').fill(day);
    await hol.getByRole('button', { name: '¿Qué cambiaría?' }).click();
    const table = hol.getByRole('table', { name: /Tickets en curso cuyo vencimiento cambiaría/ });
    await expect(table).toBeVisible();
    await expect(table.getByRole('rowheader').filter({ hasText: `Ticket#${tk.number} ` })).toBeVisible();
    await checkA11y(page);
    await shot(page, 'admin-calendario-que-cambiaria', testInfo);
    // What the table says: { number: due after }, read from its <time>s.
    const listed = Object.fromEntries(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [
      Number(r.querySelector('th a').textContent.replace('Ticket#', '')),
      Date.parse(r.querySelectorAll('time')[1].getAttribute('datetime')),
    ])));
    expect(Object.keys(listed).length).toBeGreaterThan(0);

    const before = await dues(page, server);
    await hol.getByRole('button', { name: 'Añadir feriado' }).click();
    await expect(hol.getByText('Feriado añadido: Feriado de prueba.')).toBeVisible();
    await expect(hol.getByRole('listitem').filter({ hasText: 'Feriado de prueba' })).toContainText(day.slice(0, 4));
    const after = await dues(page, server);
    const moved = Object.fromEntries(Object.keys(after).filter((n) => after[n] !== before[n]).map((n) => [n, after[n]]));
    expect(moved).toEqual(listed);

    // The ticket's history says why its deadline moved, from when to when.
    await page.goto(`/agente/tickets/${tk.number}`);
    await ready(page, `Ticket#${tk.number}: Exportación de contactos`);
    await page.getByText(/^Historial \(/).click();
    await expect(page.getByText(/cambió el calendario «Lima \(Perú\)» \(feriados, cierres o horario\): el plazo de respuesta vence ahora el .+ \(antes el .+\)\.$/)).toBeVisible();
    await shot(page, 'agente-historial-calendario', testInfo);

    // Removed again, from the keyboard.
    await openLima(page);
    await hol.getByRole('button', { name: 'Quitar: Feriado de prueba' }).focus();
    await page.keyboard.press('Enter');
    await expect(hol.getByText('Feriado quitado: Feriado de prueba.')).toBeVisible();
  } finally {
    await restore();
  }
});

test('the title edited on the calendar page names it in the SLA level form; light and dark', async ({ page, server }, testInfo) => {
  test.setTimeout(120_000); // two pages, each checked whole in light and dark
  await login(page, ADMIN);
  const restore = await keepLima(page, server);
  try {
    await openLima(page);
    const box = page.getByRole('region', { name: 'Título del calendario' });
    const field = box.getByLabel('Título', { exact: true });
    await expect(field).toHaveValue('Lima (Perú)');
    await expect(box.getByText('El código «lima» no cambia', { exact: false })).toBeVisible();
    // Empty: refused before sending, the summary linked to the field.
    await field.fill('  ');
    await box.getByRole('button', { name: 'Guardar título' }).click();
    await expect(box.getByRole('link', { name: 'Escriba el título del calendario' })).toBeVisible();
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await checkA11y(page);
    await box.scrollIntoViewIfNeeded();
    await shot(page, 'admin-calendario-titulo-error', testInfo);

    await field.fill('Soporte Lima y provincias');
    await box.getByRole('button', { name: 'Guardar título' }).click();
    await expect(box.getByText('Título guardado: Soporte Lima y provincias.')).toBeVisible();
    await ready(page, 'Calendario Soporte Lima y provincias');
    await checkBothSchemes(page, 'admin-calendario-titulo', testInfo);

    // The list of calendars and the level's form name it by its title.
    await page.goto('/admin/calendarios');
    await expect(page.getByRole('link', { name: 'Calendario Soporte Lima y provincias' })).toBeVisible();
    await page.goto('/admin/sla/commercial');
    await ready(page, 'Nivel: Cliente comercial');
    const cal = page.getByLabel('Calendario', { exact: true });
    await expect(cal).toHaveValue('lima');
    await expect(cal.locator('option:checked')).toHaveText('Soporte Lima y provincias');
    await checkBothSchemes(page, 'admin-sla-calendario-titulo', testInfo);
  } finally {
    await restore();
  }
});

test('the due time of a start and a target, explained; keyboard only; dark mode and English', async ({ page }, testInfo) => {
  await login(page, ADMIN);
  await page.goto('/admin/calendarios/lima');
  await ready(page, 'Calendario Lima (Perú)');
  // Friday 16:00 + 4 business hours: 2:30 on Friday, 1:30 on Monday.
  await page.getByLabel('Inicio').fill('2026-12-04T16:00');
  // Keyboard only from the top of the page: Tab to the target, type, Enter.
  await page.getByRole('heading', { level: 1 }).focus();
  for (let i = 0; i < 80 && !(await page.evaluate(() => document.activeElement.id === 'due-amount')); i++) await page.keyboard.press('Tab');
  await expect(page.getByLabel('Plazo')).toBeFocused();
  await page.keyboard.press('Control+A');
  await page.keyboard.type('4');
  await page.keyboard.press('Enter');
  const box = page.getByRole('region', { name: '¿Cuándo vencería?' });
  await expect(box.getByText(/^Vence el .*7 dic.* 9:30/)).toBeVisible();
  await expect(box.getByText(/^Fin de semana/)).toBeVisible();
  await expect(box.getByText(/^Plazo del nivel: 4 h/)).toBeVisible();
  await shot(page, 'admin-calendario-vencimiento', testInfo);

  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page);
  await shot(page, 'admin-calendario-oscuro', testInfo);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'English' }).click();
  await ready(page, 'Calendar Lima (Perú)');
  await expect(page.getByRole('region', { name: 'Holidays', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Work out the due time' }).click();
  await expect(page.getByText(/^Due on /)).toBeVisible();
  await checkA11y(page);
  await shot(page, 'admin-calendario-en', testInfo);
  await page.getByRole('button', { name: 'Español' }).click();
  await ready(page, 'Calendario Lima (Perú)');
});

test('an agent is told the calendars are for administrators', async ({ page }) => {
  await login(page, AGENT);
  for (const path of ['/admin/calendarios', '/admin/calendarios/lima']) {
    await page.goto(path);
    await expect(page.getByText('Esta sección es solo para administradores.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Pausar ahora' })).toHaveCount(0);
  }
  await checkA11y(page);
});
