// The help centre on the supervisor's dashboard (issue 12, item 7): over
// the dashboard's period, readers, "¿Le sirvió?", suggestions opened,
// deflected tickets, searches and what was searched without a result, as
// tables equal to GET /api/v1/reports/kb, each with its CSV.
import { readFileSync } from 'node:fs';
import { test, expect, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';

const SUPERVISOR = { email: 'supervisora@ayuda.localhost', password: DEMO_PASSWORD };
const day = (d) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Lima' }).format(d);
const plusDays = (d, n) => new Date(d.getTime() + n * 86400000);
const int = (s) => Number(s.replace(/[^\d-]/g, ''));
const tableRows = (page, name) => page.getByRole('table', { name, exact: true }).locator('tbody tr')
  .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));

test('the help centre figures on the dashboard equal the API\'s and download as CSV', async ({ page }, testInfo) => {
  // A reader opens an article, finds it helpful, and searches for what is
  // not written yet.
  const arts = (await (await page.request.get('/api/v1/kb/articles?limit=1')).json()).articles;
  expect((await page.request.get(arts[0].url)).status()).toBe(200);
  expect((await page.request.post(`/api/v1/kb/articles/${arts[0].id}/feedback`, { data: { helpful: true } })).status()).toBe(200);
  const missing = `zqxwk ${testInfo.project.name === 'phone' ? 'ñandú' : 'yacaré'}`;
  expect((await (await page.request.get(`/api/v1/kb/search?q=${encodeURIComponent(missing)}`)).json()).results).toEqual([]);

  await login(page, SUPERVISOR);
  const from = day(plusDays(new Date(), -13));
  const to = day(plusDays(new Date(), 1));
  const api = async () => (await page.request.get(`/api/v1/reports/kb?from=${from}&to=${to}`)).json();
  // The search is recorded after its answer.
  await expect.poll(async () => (await api()).no_result.some((x) => x.q === missing)).toBe(true);
  const r = await api();
  expect(r.views).toBeGreaterThan(0);
  expect(r.helpful.yes).toBeGreaterThan(0);

  await page.goto(`/supervisor?desde=${from}&hasta=${day(new Date())}`);
  await ready(page, 'Panel de supervisión');
  await expect(page.getByRole('heading', { name: 'Centro de ayuda', level: 2 })).toBeVisible();
  const rows = await tableRows(page, 'Centro de ayuda');
  expect(rows.map((x) => x[0])).toEqual(['Lecturas', '«Me sirvió»', '«No me sirvió»', 'Sugerencias abiertas',
    'Tickets evitados', 'Búsquedas', 'Búsquedas sin resultado']);
  expect(rows.map((x) => int(x[1]))).toEqual([r.views, r.helpful.yes, r.helpful.no, r.suggestions_opened, r.deflected,
    r.searches, r.no_result.reduce((s, x) => s + x.count, 0)]);
  const none = await tableRows(page, 'Búsquedas sin resultado');
  expect(none.map((x) => [x[0], int(x[1])])).toEqual(r.no_result.map((x) => [x.q, x.count]));
  await checkA11y(page);
  await page.locator('#fig-kb').scrollIntoViewIfNeeded();
  await shot(page, 'supervisor-kb', testInfo);

  // The CSV is the table, with the raw values.
  const [download] = await Promise.all([page.waitForEvent('download'),
    page.getByRole('button', { name: 'Descargar CSV: Centro de ayuda' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  expect(csv[0]).toBe('Medida,Valor');
  expect(csv[1]).toBe(`views,${r.views}`);
  expect(csv[5]).toBe(`deflected,${r.deflected}`);

  // A level chosen: the page says these figures do not depend on it.
  await page.goto(`/supervisor?desde=${from}&hasta=${day(new Date())}&nivel=partner_gold`);
  await expect(page.getByText('Estas cifras no dependen del nivel ni del agente elegidos.')).toBeVisible();
});
