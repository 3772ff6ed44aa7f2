// The supervisor's pages (issue 13, items 1-4): a breach appears live on
// the dashboard and in "En riesgo ahora", and is reassigned there; every
// figure on the dashboard equals the reports API's, links to its tickets
// and downloads as CSV; the agents' page; the printable monthly report.
// The supervisor is the demo data's (supervisora@ayuda.localhost).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test, expect, login, checkA11y, shot, ready, newCustomer, BIN, DEMO_PASSWORD } from './harness.mjs';

const SUPERVISOR = { email: 'supervisora@ayuda.localhost', password: DEMO_PASSWORD };
const pad = (n) => String(n).padStart(2, '0');
// A day of the desk's calendar (and of the browser's zone): "2026-12-01".
const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Lima' }).format(d);
const plusDays = (d, n) => new Date(d.getTime() + n * 86400000);
const int = (s) => Number(s.replace(/[^\d-]/g, ''));

// A partner gold ticket (12 business hours) that arrived by mail ten days
// ago: its target is long past due now.
function breachedTicket(server, subject) {
  const now = Math.floor(Date.now() / 1000);
  const out = execFileSync(BIN, ['mail-in', '--data', server.dir], {
    encoding: 'utf8',
    env: { ...process.env, AYUDA_FAKE_NOW: String(now - 10 * 86400) },
    input: ['From: Lucía <lucia@socioandino.com>', 'To: soporte@ayuda.test', `Subject: ${subject}`,
      `Message-ID: <${subject.replace(/\W/g, '')}-${now}@socioandino.com>`, 'Content-Type: text/plain; charset=utf-8', '',
      'Nadie nos responde.', ''].join('\r\n'),
  });
  return JSON.parse(out.trim().split('\n').pop()).ticket;
}

// The rows of the table named `name`: [[header, ...cells]], as text.
const tableRows = (page, name) => page.getByRole('table', { name, exact: true }).locator('tbody tr')
  .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));

test('a breach appears live on the dashboard and at risk, and is reassigned in one click', async ({ page, server }, testInfo) => {
  await login(page, SUPERVISOR);
  await page.goto('/supervisor');
  await ready(page, 'Panel de supervisión');
  const glance = page.getByRole('link', { name: /Incumplidos sin responder/ });
  await expect(glance).toBeVisible();
  const api = async () => (await (await page.request.get(`/api/v1/reports/dashboard?from=${day(plusDays(new Date(), -29))}&to=${day(plusDays(new Date(), 1))}`)).json());
  const before = (await api()).sla.breached;
  const value = glance.locator('.sup-glance-value');
  await expect(value).toHaveText(String(before));

  const n = breachedTicket(server, 'Sin respuesta en diez días');
  // The feed of changes names it: the page fetches again, no reload.
  await expect(value).toHaveText(String(before + 1), { timeout: 15000 });
  expect((await api()).sla.breached).toBe(before + 1);

  await page.getByRole('navigation', { name: 'Supervisión' }).getByRole('link', { name: 'En riesgo ahora' }).click();
  await ready(page, 'En riesgo ahora');
  const row = page.getByRole('row', { name: new RegExp(`Ticket#${n}\\b`) });
  await expect(row).toBeVisible();
  await expect(row.locator('.sla-clock')).toContainText(/vencido|pasado/);
  await expect(row).toContainText('Sin asignar');
  await checkA11y(page);
  await shot(page, 'supervisor-riesgo', testInfo);

  // Another breach arrives while the page is open.
  const m = breachedTicket(server, 'Tampoco responden');
  await expect(page.getByRole('row', { name: new RegExp(`Ticket#${m}\\b`) })).toBeVisible({ timeout: 15000 });

  // One click (the button, with the lightest-loaded agent chosen), by keyboard.
  const to = row.getByLabel(`Reasignar Ticket#${n} a`);
  await to.selectOption(await to.locator('option', { hasText: 'Álvaro Agente' }).getAttribute('value'));
  await row.getByRole('button', { name: `Reasignar Ticket#${n}` }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText(`Ticket#${n} reasignado a Álvaro Agente.`)).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(`Ticket#${n}\\b`) })).toContainText('Álvaro Agente');
  const tk = await (await page.request.get(`/api/v1/tickets/${n}`)).json();
  expect(tk.assignee.name).toBe('Álvaro Agente');
});

test('every figure on the dashboard equals the API\'s, links to its tickets and downloads as CSV', async ({ page, server }, testInfo) => {
  breachedTicket(server, 'Para el panel');
  const from = day(plusDays(new Date(), -13));
  const to = day(new Date());
  await login(page, SUPERVISOR);
  await page.goto(`/supervisor?desde=${from}&hasta=${to}`);
  await ready(page, 'Panel de supervisión');
  await expect(page.getByRole('table', { name: 'Cumplimiento del SLA por nivel', exact: true })).toBeVisible();
  const d = await (await page.request.get(`/api/v1/reports/dashboard?from=${from}&to=${day(plusDays(new Date(), 1))}`)).json();

  // SLA by level and by agent: every count, and the totals.
  const outcomes = (r) => [r.met_on_time, r.met_late, r.breached, r.running];
  const byLevel = await tableRows(page, 'Cumplimiento del SLA por nivel');
  expect(byLevel.map((r) => [r[0], ...r.slice(1, 5).map(int)]))
    .toEqual([...d.sla_by_level.map((r) => [r.name, ...outcomes(r)]), ['Total', ...outcomes(d.sla)]]);
  const byAgent = await tableRows(page, 'Cumplimiento del SLA por agente');
  expect(byAgent.map((r) => r.slice(1, 5).map(int))).toEqual([...d.sla_by_agent.map(outcomes), outcomes(d.sla)]);
  // Backlog, per day, satisfaction, reviews.
  const status = await tableRows(page, 'Pendientes por estado');
  expect(status.map((r) => int(r[1]))).toEqual(d.backlog.by_status.map((r) => r.count));
  const ages = await tableRows(page, 'Pendientes por antigüedad');
  expect(ages.map((r) => int(r[1]))).toEqual(d.backlog.by_age.map((r) => r.count));
  // A long table is folded on a phone.
  const fold = page.locator('section[aria-labelledby="fig-flow"] details');
  if (!(await fold.evaluate((e) => e.open))) await fold.locator('summary').click();
  const days = await tableRows(page, 'Creados y resueltos por día');
  expect(days.map((r) => [int(r[1]), int(r[2])])).toEqual(d.days.map((r) => [r.created, r.solved]));
  const csat = await tableRows(page, 'Satisfacción');
  expect(csat.map((r) => int(r[1]))).toEqual(d.satisfaction.ratings.map((r) => r.count).reverse());
  const reviews = await tableRows(page, 'Revisiones');
  expect(reviews.map((r) => int(r[1]))).toEqual([d.supervisor_reviews.requested, d.supervisor_reviews.answered,
    d.supervisor_reviews.open, d.development_reviews.due]);
  const first = await tableRows(page, 'Primera respuesta, en minutos hábiles');
  expect(int(first[0][1])).toBe(d.first_response.tickets);
  await checkA11y(page);
  await shot(page, 'supervisor', testInfo);

  // The CSV of a table is that table.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Descargar CSV: Cumplimiento del SLA por nivel' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  expect(csv[0]).toBe('Nivel,A tiempo,Tarde,Incumplido,En curso,Cumplimiento');
  expect(csv.at(-1).split(',').slice(0, 5)).toEqual(['Total', ...outcomes(d.sla).map(String)]);

  // A figure is a link to exactly its tickets.
  const total = page.getByRole('table', { name: 'Cumplimiento del SLA por nivel', exact: true }).locator('tbody tr').last();
  await total.getByRole('cell').nth(2).getByRole('link').click();
  await ready(page, 'Incumplidos sin responder');
  await expect(page.getByText(`Tickets en esta lista: ${d.sla.breached}`)).toBeVisible();
  await expect(page.locator('.sup-tickets tbody tr')).toHaveCount(d.sla.breached);
  await checkA11y(page);
  await shot(page, 'supervisor-cifra', testInfo);
  await page.goBack();
  await ready(page, 'Panel de supervisión');

});

test('the dashboard\'s filters are in the address; dark mode and English', async ({ page }, testInfo) => {
  const from = day(plusDays(new Date(), -13));
  const to = day(new Date());
  const outcomes = (r) => [r.met_on_time, r.met_late, r.breached, r.running];
  await login(page, SUPERVISOR);
  await page.goto(`/supervisor?desde=${from}&hasta=${to}`);
  await ready(page, 'Panel de supervisión');
  await expect(page.getByRole('table', { name: 'Cumplimiento del SLA por nivel', exact: true })).toBeVisible();
  // A level chosen is in the address (bookmarkable) and the figures follow.
  await page.getByLabel('Nivel', { exact: true }).selectOption('partner_gold');
  await expect(page).toHaveURL(/nivel=partner_gold/);
  const g = await (await page.request.get(`/api/v1/reports/dashboard?from=${from}&to=${day(plusDays(new Date(), 1))}&level=partner_gold`)).json();
  await expect(page.getByRole('table', { name: 'Cumplimiento del SLA por nivel', exact: true }).locator('tbody tr')).toHaveCount(g.sla_by_level.length + 1);
  expect((await tableRows(page, 'Cumplimiento del SLA por nivel')).at(-1).slice(1, 5).map(int)).toEqual(outcomes(g.sla));
  await page.reload();
  await ready(page, 'Panel de supervisión');
  await expect(page.getByLabel('Nivel', { exact: true })).toHaveValue('partner_gold');

  // Dark mode and English pass axe too.
  await page.emulateMedia({ colorScheme: 'dark' });
  await checkA11y(page);
  await shot(page, 'supervisor-oscuro', testInfo);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.getByRole('button', { name: 'English' }).click();
  await ready(page, 'Supervision dashboard');
  await expect(page.getByRole('table', { name: 'SLA compliance by level', exact: true })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'supervisor-en', testInfo);
  await page.getByRole('button', { name: 'Español' }).click();
  await ready(page, 'Panel de supervisión');
});

test('agents: their open tickets, load and compliance this week; a customer is refused', async ({ page, server }, testInfo) => {
  await login(page, SUPERVISOR);
  await page.goto('/supervisor/agentes');
  await ready(page, 'Agentes');
  const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Álvaro Agente' }) });
  await expect(card).toBeVisible();
  await expect(card.getByText('Cumplimiento semanal')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'supervisor-agentes', testInfo);

  const u = newCustomer(server);
  await page.context().clearCookies();
  await login(page, u);
  await page.goto('/supervisor');
  await expect(page.getByText('Esta página es para supervisores y administradores.')).toBeVisible();
});

test('the monthly report prints one page per level', async ({ page }, testInfo) => {
  const mes = day(new Date()).slice(0, 7);
  await login(page, SUPERVISOR);
  await page.goto(`/supervisor/informe?mes=${mes}`);
  const month = new Intl.DateTimeFormat('es', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${mes}-15T12:00:00Z`));
  await ready(page, `Informe de ${month}`);
  await expect(page.getByRole('heading', { level: 2, name: 'Todo el servicio' })).toBeVisible();
  const [y, mo] = mes.split('-').map(Number);
  const next = mo === 12 ? `${y + 1}-01` : `${y}-${pad(mo + 1)}`;
  const d = await (await page.request.get(`/api/v1/reports/dashboard?from=${mes}-01&to=${next}-01`)).json();
  const all = await tableRows(page, 'Todo el servicio');
  expect(int(all[0][1])).toBe(d.days.reduce((s, r) => s + r.created, 0));
  await checkA11y(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('button', { name: 'Imprimir' })).toBeHidden();
  await expect(page.locator('.site-header')).toBeHidden();
  const breaks = await page.locator('.sup-report-page').evaluateAll((els) => els.map((e) => getComputedStyle(e).breakAfter));
  expect(breaks.length).toBeGreaterThan(1);
  expect(breaks.slice(0, -1).every((b) => b === 'page')).toBe(true);
  await shot(page, 'supervisor-informe-impreso', testInfo);
  await page.emulateMedia({ media: 'screen' });
});
