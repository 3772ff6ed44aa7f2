// The agent console, live (issue 11 items 5, 7, 10, 13, 14): the queue
// follows the feed of changes without a reload; drafts are the server's;
// two agents on one ticket see each other and the second is asked before
// sending; a note and its attachment never reach the customer; the deadline
// explanation against a case worked by hand.
import { test, expect, newCustomer, login, checkA11y, shot, ready, waitFor, DEMO_PASSWORD } from './harness.mjs';
import { apiAs, PNG } from './fixtures.mjs';
import { newDataDir, token, serve, stop, cleanup, api } from '../api/helpers.mjs';

// Live updates wait on polls of 3 s: room for a loaded machine.
test.describe.configure({ timeout: 120_000 });

const LIVE = { timeout: 20_000 };
const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD, name: 'Álvaro Agente' };

// A second agent, made with the CLI: { email, password, name }.
function newAgent(server, name = 'Rosa Agente') {
  const email = server.uniqueEmail('agente');
  const password = 'clave-segura-123';
  server.ayuda(['user', 'add', '--email', email, '--name', name, '--role', 'agent', '--password-stdin'], `${password}\n`);
  return { email, password, name };
}

// Another browser (its own cookies: another agent, or the same after a crash).
async function otherBrowser(browser, server, testInfo) {
  const { viewport, isMobile, hasTouch, deviceScaleFactor, locale, timezoneId } = testInfo.project.use;
  const ctx = await browser.newContext({ baseURL: server.url, viewport, isMobile, hasTouch, deviceScaleFactor, locale, timezoneId });
  return ctx;
}

const row = (page, n) => page.locator('.queue-row', { has: page.getByRole('link', { name: new RegExp(`Ticket#${n}\\b`) }) });

test('queue: the feed of changes brings a customer\'s ticket and who writes on it, without a reload or losing the place', async ({ page, server }, testInfo) => {
  const u = newCustomer(server, { company: 'Bodega Libre' });
  const as = apiAs(server, u.email);
  const first = await as(page, 'POST', '/tickets', { subject: 'En la cola antes', body: 'x' });
  const seen = { lists: 0, polls: 0, changed: 0 };
  page.on('request', (r) => { if (/\/api\/v1\/tickets\?view=/.test(r.url())) seen.lists += 1; });
  page.on('response', async (r) => {
    if (!/\/api\/v1\/changes\?/.test(r.url()) || !r.ok()) return;
    const out = await r.json().catch(() => null);
    seen.polls += 1;
    if (out && out.tickets.length) seen.changed += 1;
  });
  await login(page, AGENT);
  await page.goto('/agente');
  await ready(page, 'Cola: sin resolver');
  await expect(row(page, first.number)).toBeVisible();
  await page.evaluate(() => { window.sameDocument = true; });
  // The page polls the feed, and fetches the list again only when the feed
  // named a change (never on a timer every few seconds).
  const lists = seen.lists;
  await waitFor(() => seen.polls >= 3, 30_000, 'three polls of /changes');
  expect(seen.lists - lists).toBeLessThanOrEqual(seen.changed);

  // The agent is on a row, with it selected; a ticket arrives.
  await page.getByLabel(`Seleccionar Ticket#${first.number}`).check();
  await row(page, first.number).locator('.queue-link').focus();
  const late = await as(page, 'POST', '/tickets', { subject: 'Llega con la consola abierta', body: 'y' });
  await expect(row(page, late.number)).toBeVisible({ timeout: 20_000 });
  await expect(row(page, late.number)).toContainText('Ana Pérez · Bodega Libre');
  expect(await page.evaluate(() => window.sameDocument)).toBe(true);
  await expect(page.getByLabel(`Seleccionar Ticket#${first.number}`)).toBeChecked();
  await expect(row(page, first.number).locator('.queue-link')).toBeFocused();

  // Another agent opens the new ticket and starts an answer: the row says so,
  // with words and a sign, within a few seconds.
  const rosa = newAgent(server);
  const rosaTok = server.ayuda(['token', 'create', '--user', rosa.email]).trim().split(/\s+/).pop();
  const asRosa = async (pg, method, path, data) => pg.request.fetch(`/api/v1${path}`, { method, data, headers: { Authorization: `Bearer ${rosaTok}` } });
  await asRosa(page, 'POST', `/tickets/${late.number}/presence`, { mode: 'viewing' });
  await expect(row(page, late.number).locator('.presence-viewing')).toHaveText('Rosa Agente lo está viendo', LIVE);
  await asRosa(page, 'POST', `/tickets/${late.number}/presence`, { mode: 'writing' });
  const writing = row(page, late.number).locator('.presence-writing');
  await expect(writing).toHaveText('Rosa Agente está escribiendo una respuesta', LIVE);
  await expect(writing.locator('svg.presence-icon')).toHaveCount(1);
  await expect(row(page, first.number).locator('.presence')).toHaveCount(0, LIVE);
  await checkA11y(page);
  await shot(page, 'agente-live-cola', testInfo);
  await page.request.delete(`/api/v1/tickets/${late.number}/presence`, { headers: { Authorization: `Bearer ${rosaTok}` } });
  await expect(writing).toHaveCount(0, LIVE);
  expect(await page.evaluate(() => window.sameDocument)).toBe(true);
});

test('a draft is the server\'s: it survives a reload, a browser that crashed and a session that expired', async ({ page, server, browser }, testInfo) => {
  const u = newCustomer(server);
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', { subject: 'Borrador que no se pierde', body: 'Hola' });
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: Borrador que no se pierde`);
  const saved = (kind) => page.waitForResponse((r) => r.url().endsWith(`/tickets/${tk.number}/drafts/${kind}`) && r.request().method() === 'PUT' && r.ok());
  let put = saved('reply');
  await page.getByLabel('Responder al cliente').fill('Hola Ana: revisé su licencia y');
  await put;
  await page.getByRole('button', { name: 'Nota interna' }).click();
  put = saved('note');
  await page.getByRole('textbox', { name: 'Nota interna', exact: true }).fill('Pendiente: confirmar con ventas');
  await put;

  await page.reload();
  await ready(page, `Ticket#${tk.number}: Borrador que no se pierde`);
  await expect(page.getByLabel('Responder al cliente')).toHaveValue('Hola Ana: revisé su licencia y');
  await checkA11y(page);
  await shot(page, 'agente-live-borrador', testInfo);

  // The browser crashed: a new one, a new session, the same drafts.
  await page.close();
  const ctx = await otherBrowser(browser, server, testInfo);
  const again = await ctx.newPage();
  await login(again, AGENT);
  await again.goto(`/agente/tickets/${tk.number}`);
  await ready(again, `Ticket#${tk.number}: Borrador que no se pierde`);
  await expect(again.getByLabel('Responder al cliente')).toHaveValue('Hola Ana: revisé su licencia y');
  await again.getByRole('button', { name: 'Nota interna' }).click();
  await expect(again.getByRole('textbox', { name: 'Nota interna', exact: true })).toHaveValue('Pendiente: confirmar con ventas');

  // The session expires while the agent writes: what was typed comes back
  // after logging in again, and reaches the server.
  // (The page's own polls are held until the text is typed, so the first
  // 401 comes after it, whichever request meets it.)
  // Switching composers reads the drafts again: held too, so that read
  // cannot meet the expired session before the text is typed.
  let release;
  const held = new Promise((r) => { release = r; });
  await again.route(/\/api\/v1\/(changes|tickets\/\d+\/(presence|drafts$))/, async (route) => { await held; await route.continue(); });
  await again.getByRole('button', { name: 'Responder al cliente' }).click();
  await expect(again.getByLabel('Responder al cliente')).toBeVisible();
  await ctx.clearCookies();
  await again.getByLabel('Responder al cliente').fill('Hola Ana: revisé su licencia y está activa.');
  release();
  await ready(again, 'Entrar');
  await again.getByLabel('Correo electrónico').fill(AGENT.email);
  await again.getByLabel('Contraseña').fill(AGENT.password);
  const resent = again.waitForResponse((r) => r.url().endsWith(`/tickets/${tk.number}/drafts/reply`) && r.request().method() === 'PUT' && r.ok());
  await again.getByRole('button', { name: 'Entrar' }).click();
  await ready(again, `Ticket#${tk.number}: Borrador que no se pierde`);
  await expect(again.getByLabel('Responder al cliente')).toHaveValue('Hola Ana: revisé su licencia y está activa.');
  await resent;
  const drafts = await apiAs(server, AGENT.email)(again, 'GET', `/tickets/${tk.number}/drafts`);
  expect(drafts.drafts.find((d) => d.kind === 'reply').body).toBe('Hola Ana: revisé su licencia y está activa.');
  await ctx.close();
});

test('two agents on one ticket see each other, and the second to answer is asked first', async ({ page, server, browser }, testInfo) => {
  const u = newCustomer(server);
  const tk = await apiAs(server, u.email)(page, 'POST', '/tickets', { subject: 'Dos agentes a la vez', body: 'No puedo exportar' });
  const title = `Ticket#${tk.number}: Dos agentes a la vez`;
  const rosa = newAgent(server);
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, title);
  const ctx = await otherBrowser(browser, server, testInfo);
  const other = await ctx.newPage();
  await login(other, rosa);
  await other.goto(`/agente/tickets/${tk.number}`);
  await ready(other, title);

  // Each sees the other viewing.
  await expect(page.locator('.presence-ticket')).toHaveText('Rosa Agente está viendo este ticket', LIVE);
  await expect(other.locator('.presence-ticket')).toHaveText('Álvaro Agente está viendo este ticket', LIVE);
  // Álvaro starts his answer: Rosa sees him writing, on the ticket and in her queue.
  await page.getByLabel('Responder al cliente').fill('Hola Ana, pruebe exportar a CSV.');
  await expect(other.locator('.presence-ticket .presence-writing')).toHaveText('Álvaro Agente está escribiendo una respuesta', LIVE);
  const queue = await ctx.newPage();
  await queue.goto('/agente');
  await ready(queue, 'Cola: sin resolver');
  await expect(row(queue, tk.number).locator('.presence-writing')).toHaveText('Álvaro Agente está escribiendo una respuesta', LIVE);
  await checkA11y(other);
  await shot(other, 'agente-live-otro-escribe', testInfo);

  // Rosa answers first; Álvaro's page shows her answer, and sending his own asks.
  await other.getByLabel('Responder al cliente').fill('Hola Ana, ya lo miro yo.');
  await other.getByRole('button', { name: 'Enviar respuesta a Ana Pérez' }).click();
  await expect(other.getByText('Respuesta enviada al cliente.')).toBeVisible();
  await expect(page.getByRole('article', { name: /^Respuesta al cliente de Rosa Agente/ })).toContainText('ya lo miro yo', LIVE);
  await page.getByRole('button', { name: 'Enviar respuesta a Ana Pérez' }).click();
  const ask = page.getByRole('alert').filter({ hasText: 'Rosa Agente respondió este ticket mientras usted escribía' });
  await expect(ask).toBeVisible();
  await expect(page.getByRole('article', { name: /^Respuesta al cliente de Álvaro Agente/ })).toHaveCount(0);
  await checkA11y(page);
  await shot(page, 'agente-live-pregunta', testInfo);
  await ask.getByRole('button', { name: 'Enviar de todos modos' }).click();
  await expect(page.getByRole('article', { name: /^Respuesta al cliente de Álvaro Agente/ })).toContainText('exportar a CSV');
  await expect(page.getByLabel('Responder al cliente')).toHaveValue('');
  // With his answer sent, Rosa no longer sees him writing.
  await expect(other.locator('.presence-ticket')).toHaveText('Álvaro Agente está viendo este ticket', LIVE);
  await ctx.close();
});

test('a note and its attachment never reach the customer; the answer and its attachment do', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  const as = apiAs(server, u.email);
  const tk = await as(page, 'POST', '/tickets', { subject: 'Adjuntos del agente', body: 'Necesito el manual' });
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: Adjuntos del agente`);

  await page.getByRole('button', { name: 'Nota interna' }).click();
  await page.getByRole('textbox', { name: 'Nota interna', exact: true }).fill('Clave del servidor del cliente: Zorro-7731');
  await page.getByLabel('Adjuntos de la nota (solo el equipo)').setInputFiles({ name: 'captura-interna.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByText('Subido')).toBeVisible();
  await page.getByRole('button', { name: 'Guardar nota interna (solo el equipo)' }).click();
  const note = page.getByRole('article', { name: /^Nota interna de / });
  await expect(note).toContainText('Zorro-7731');
  await expect(note.getByRole('link', { name: 'captura-interna.png' })).toBeVisible();

  await page.getByRole('button', { name: 'Responder al cliente' }).click();
  await page.getByLabel('Responder al cliente').fill('Hola Ana, le adjunto el manual.');
  await page.getByLabel('Adjuntos de la respuesta (opcional)').setInputFiles({ name: 'manual.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByText('Subido')).toBeVisible();
  await page.getByRole('button', { name: 'Enviar respuesta a Ana Pérez' }).click();
  const reply = page.getByRole('article', { name: /^Respuesta al cliente de / });
  await expect(reply.getByRole('link', { name: 'manual.png' })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'agente-live-adjuntos', testInfo);

  // The SMTP sink: the answer arrived; neither the note nor its file is in any mail.
  await server.mailTo(u.email, (m) => /le adjunto el manual/.test(m.text));
  const leaked = server.mails().filter((m) => /Zorro-7731|captura-interna/.test(m.raw + m.text));
  expect(leaked).toEqual([]);
  // The customer's own view: the answer and its file, no note, the note's file refused.
  const mine = await as(page, 'GET', `/tickets/${tk.number}`);
  expect(mine.messages.map((m) => m.body).join('\n')).not.toContain('Zorro-7731');
  expect(mine.messages.flatMap((m) => (m.attachments || []).map((a) => a.filename))).toEqual(['manual.png']);
  const staff = await apiAs(server, AGENT.email)(page, 'GET', `/tickets/${tk.number}`);
  const hidden = staff.messages.find((m) => m.kind === 'note').attachments[0];
  const tok = server.ayuda(['token', 'create', '--user', u.email]).trim().split(/\s+/).pop();
  const res = await page.request.get(`/api/v1/tickets/${tk.number}/attachments/${hidden.id}`, { headers: { Authorization: `Bearer ${tok}` } });
  expect(res.status()).toBe(404);
});

// Why this deadline, worked by hand on the "lima" calendar (Mon-Fri
// 08:00-18:30, UTC-5; Tuesday 2026-12-08 and Wednesday 12-09 are holidays).
// Lucía's gold ticket (Ticket#2 of the demo data, 720 open minutes) arrives
// Monday 2026-12-07 17:00. Counted: Monday 17:00-18:30 = 90 (90 in all).
// Skipped: Monday's night from 18:30, Tuesday (Inmaculada Concepción),
// Wednesday (Batalla de Ayacucho), Thursday 00:00-08:00. Counted: Thursday
// 08:00-15:00 = 420 (510). The agent waits on the customer 15:00-16:30: a
// pause of 90 open minutes, added. Counted: Thursday 16:30-18:30 = 120
// (630). Skipped: Thursday's night 18:30-08:00. Counted: Friday 08:00-09:30
// = 90 (720). Due Friday 2026-12-11 09:30; without the pause it would have
// been Thursday 18:30 (90 + 630 = 720).
test('why this deadline: the panel shows the stretches, the holidays, the pause and the due time worked by hand', async ({ page }, testInfo) => {
  const unix = (iso) => String(Date.parse(iso) / 1000);
  const dir = newDataDir({ env: { ...process.env, AYUDA_FAKE_NOW: unix('2026-12-07T17:00:00-05:00') }, conf: '[sla]\njobs_interval = 3600\n' });
  const agentTok = token(dir, AGENT.email);
  let srv;
  try {
    for (const [iso, status] of [['2026-12-10T15:00:00-05:00', 'pending_customer'], ['2026-12-10T16:30:00-05:00', 'open']]) {
      srv = await serve(dir, { AYUDA_FAKE_NOW: unix(iso) });
      const r = await api(srv, 'PATCH', '/api/v1/tickets/2', { tok: agentTok, json: { status } });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      await stop(srv);
      srv = null;
    }
    srv = await serve(dir, { AYUDA_FAKE_NOW: unix('2026-12-10T17:00:00-05:00') });
    const res = await page.request.post(`${srv.url}/api/v1/auth/login`, { data: { email: AGENT.email, password: AGENT.password } });
    expect(res.status(), await res.text()).toBe(200);
    await page.goto(`${srv.url}/agente/tickets/2`);
    await ready(page, /^Ticket#2: /);
    await page.getByText('¿Por qué este plazo?').click();
    const panel = page.locator('.ag-explain');
    await expect(panel).toContainText('Vence el');
    const items = (h) => panel.locator('h3', { hasText: h }).locator('xpath=following-sibling::ul[1]/li');
    await expect(items('Tiempo contado')).toHaveText([
      '7 dic 2026, 17:00 – 18:30: 1 h 30 min (acumulado 1 h 30 min)',
      '10 dic 2026, 8:00 – 15:00: 7 h (acumulado 8 h 30 min)',
      '10 dic 2026, 16:30 – 18:30: 2 h (acumulado 10 h 30 min)',
      '11 dic 2026, 8:00 – 9:30: 1 h 30 min (acumulado 12 h)',
    ]);
    await expect(items('Tiempo que no cuenta')).toHaveText([
      'Noche: 7 dic 2026, 18:30 – 8 dic 2026, 0:00',
      'Feriado (Inmaculada Concepción): 8 de diciembre de 2026',
      'Feriado (Batalla de Ayacucho): 9 de diciembre de 2026',
      'Noche: 10 dic 2026, 0:00 – 8:00',
      'Noche: 10 dic 2026, 18:30 – 11 dic 2026, 8:00',
    ]);
    await expect(items('Pausas')).toHaveText(['10 dic 2026, 15:00 – 16:30: se suman 1 h 30 min']);
    await expect(panel).toContainText('Plazo del nivel: 12 h');
    await expect(panel).toContainText('El reloj empezó el 7 dic 2026, 17:00.');
    await expect(panel).toContainText('Vence el 11 dic 2026, 9:30.');
    await checkA11y(page);
    await shot(page, 'agente-live-plazo', testInfo);
  } finally {
    await stop(srv);
    cleanup(dir);
  }
});
