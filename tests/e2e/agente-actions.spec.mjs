// The agent's actions on a ticket and the requester panel (issue 11, items
// 8 and 9), in the real browser: out of scope answers then closes, the
// escalation and the review extension tell the customer (SMTP sink), a
// vault read is recorded, the SLA is reassessed before/after, a supervisor
// is asked, and the panel shows the company, licence and contacts.
import { test, expect, newCustomer, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { apiAs } from './fixtures.mjs';

const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };

// A company of the test's own (licence, partner tier, a cap of 4 support
// contacts) with one endorsed contact whose address is the licence's.
function newCompany(server, tag) {
  const name = `Andes Soft ${tag} ${server.uniqueEmail('c').split('@')[0]}`;
  const email = server.uniqueEmail('licencia');
  const co = JSON.parse(server.ayuda(['company', 'add', '--name', name, '--license-product', 'self_hosted', '--license-plan', 'standard',
    '--license-status', 'active', '--license-email', email, '--partner-tier', 'silver', '--partner-active', '--max-contacts', '4']));
  server.ayuda(['user', 'add', '--email', email, '--name', 'Rosa Quispe', '--role', 'customer', '--company', name, '--contact', '--password-stdin'], 'clave-segura-123\n');
  return { id: co.id, name, email };
}

async function openTicket(page, server, subject, who, more = {}) {
  const u = who || newCustomer(server);
  const as = apiAs(server, u.email);
  const tk = await as(page, 'POST', '/tickets', { subject, body: 'Necesito ayuda.', ...more });
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: ${subject}`);
  return { u, tk, as };
}

const status = (page) => page.locator('.ag-actions [role="status"]');
const kinds = async (page, server, n) => (await apiAs(server, AGENT.email)(page, 'GET', `/tickets/${n}/events`, undefined)).events;

test('out of scope: the canned answer is sent, then the ticket closes (events and the mail say so)', async ({ page, server }, testInfo) => {
  const { u, tk } = await openTicket(page, server, 'Mi hosting va lento');
  await page.getByRole('button', { name: 'Fuera de alcance…' }).click();
  const dialog = page.getByRole('dialog', { name: `Ticket#${tk.number} fuera de alcance` });
  await expect(dialog).toBeVisible();
  // The canned answers: the macros named "Fuera de alcance…", in the requester's language first.
  const text = dialog.getByLabel('Respuesta al cliente');
  const canned = dialog.getByLabel('Respuesta predefinida');
  await expect(canned).toHaveValue(/^macro-/);
  await expect(text).toHaveValue(new RegExp(`^Hola Ana Pérez:[\\s\\S]*Ticket#${tk.number}`));
  await canned.selectOption({ label: 'Fuera de alcance: servidor y software de terceros' });
  await expect(text).toHaveValue(/proveedor de alojamiento/);
  await checkA11y(page);
  await shot(page, 'agente-fuera-de-alcance', testInfo);
  await text.press('End');
  await text.pressSequentially('\nConsulte a su proveedor de hosting.');
  await dialog.getByRole('button', { name: 'Enviar respuesta y cerrar' }).click();
  await expect(status(page)).toHaveText(`Respuesta enviada y Ticket#${tk.number} cerrado como fuera de alcance.`);
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('article', { name: /^Respuesta al cliente de / })).toContainText('proveedor de hosting');

  // The answer went out before the ticket closed, in one mail.
  const ev = await kinds(page, server, tk.number);
  const sent = ev.findIndex((e) => e.kind === 'message.added' && e.data.kind === 'reply');
  const closed = ev.findIndex((e) => e.kind === 'ticket.status' && e.data.to === 'closed');
  const category = ev.findIndex((e) => e.kind === 'ticket.category' && e.data.to === 'out_of_scope');
  expect(category).toBeGreaterThanOrEqual(0);
  expect(sent).toBeGreaterThan(category);
  expect(closed).toBeGreaterThan(sent);
  const mail = await server.mailTo(u.email, (m) => /proveedor de hosting/.test(m.text));
  expect(mail.text).toMatch(/Hemos cerrado el ticket/);
  expect(mail.subject).toContain(`Ticket#${tk.number}`);
  // The history reads as sentences.
  await page.getByText(/^Historial/).click();
  await expect(page.locator('.timeline')).toContainText('Álvaro Agente cambió la categoría de «Soporte» a «Fuera de alcance».');
  await expect(page.locator('.timeline')).toContainText('Álvaro Agente respondió al cliente.');
  await expect(page.locator('.timeline')).not.toContainText('ticket.status');
});

test('out of scope: an answer held by a collision closes nothing until sent anyway; an English requester gets English answers', async ({ page, server }) => {
  const { tk, as } = await openTicket(page, server, 'Another hosting question', newCustomer(server, { lang: 'en' }));
  await page.getByRole('button', { name: 'Fuera de alcance…' }).click();
  const dialog = page.getByRole('dialog', { name: `Ticket#${tk.number} fuera de alcance` });
  // An English requester: the English macro first; the built-in English text is there too.
  await expect(dialog.getByLabel('Respuesta predefinida').locator('option:checked')).toHaveText(/^Out of scope/);
  await dialog.getByLabel('Respuesta predefinida').selectOption('builtin-en');
  await expect(dialog.getByLabel('Respuesta al cliente')).toHaveValue(/^Hello Ana Pérez,/);
  // A supervisor answers while the dialog is open: the answer is held, the ticket stays open.
  await apiAs(server, 'supervisora@ayuda.localhost')(page, 'POST', `/tickets/${tk.number}/messages`, { kind: 'reply', body: 'Le respondo yo.' });
  await dialog.getByRole('button', { name: 'Enviar respuesta y cerrar' }).click();
  await expect(dialog.getByRole('alert')).toContainText('respondió este ticket mientras usted escribía');
  await expect(dialog.getByRole('button', { name: 'Enviar de todos modos' })).toBeVisible();
  const held = await as(page, 'GET', `/tickets/${tk.number}`);
  expect(held.status).not.toBe('closed');
  expect(held.category).toBe('support'); // back as it was: a later answer from the composer will not close it
  // The agent has seen the other answer and sends anyway: now it goes, then the ticket closes.
  await dialog.getByRole('button', { name: 'Enviar de todos modos' }).click();
  await expect(status(page)).toHaveText(`Respuesta enviada y Ticket#${tk.number} cerrado como fuera de alcance.`);
  expect((await as(page, 'GET', `/tickets/${tk.number}`)).status).toBe('closed');
});

test('escalate to development: the customer\'s notice goes out; the 60-day review is extended', async ({ page, server }, testInfo) => {
  const { u, tk } = await openTicket(page, server, 'El exportador pierde campos');
  await page.getByRole('button', { name: 'Escalar a desarrollo…' }).click();
  const dialog = page.getByRole('dialog', { name: `Escalar el Ticket#${tk.number} a desarrollo` });
  await expect(dialog).toContainText(`El cliente (${u.email}) recibirá un aviso por correo.`);
  await checkA11y(page);
  await shot(page, 'agente-escalar', testInfo);
  await dialog.getByRole('button', { name: 'Escalar y avisar al cliente' }).click();
  await expect(status(page)).toContainText(`Ticket escalado a desarrollo. Aviso enviado a ${u.email}`);
  await server.mailTo(u.email, (m) => /equipo\s+de\s+desarrollo\s+del\s+fabricante/.test(m.text));

  // By keyboard: the extension, confirmed, tells the customer again.
  const extend = page.getByRole('button', { name: 'Ampliar la revisión 60 días…' });
  await extend.focus();
  await page.keyboard.press('Enter');
  const ext = page.getByRole('dialog', { name: `Ampliar la revisión del Ticket#${tk.number}` });
  await expect(ext).toBeVisible();
  await checkA11y(page);
  await ext.getByRole('button', { name: 'Ampliar 60 días y avisar' }).focus();
  await page.keyboard.press('Enter');
  await expect(status(page)).toContainText('Revisión ampliada hasta el');
  await expect(extend).toBeFocused();
  await server.mailTo(u.email, (m) => /se\s+ha\s+ampliado\s+60\s/.test(m.text));
  expect((await kinds(page, server, tk.number)).some((e) => e.kind === 'development.extended')).toBe(true);
});

test('vault: a secret shows only on a click, the read is recorded with its expiry, and hides again', async ({ page, server }, testInfo) => {
  const u = newCustomer(server);
  const as = apiAs(server, u.email);
  const tk = await as(page, 'POST', '/tickets', { subject: 'Acceso al servidor', body: 'Les dejo el acceso.' });
  await as(page, 'POST', `/tickets/${tk.number}/secrets`, { label: 'SSH', secret: 'root / clave-9f3k', expires_in_days: 7 });
  const me = await apiAs(server, AGENT.email)(page, 'GET', '/me');
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${tk.number}`);
  await ready(page, `Ticket#${tk.number}: Acceso al servidor`);
  // Not the agent's ticket yet: the read is refused, and says why.
  await page.getByRole('button', { name: 'Mostrar «SSH»' }).click();
  await expect(page.locator('.ag-actions [role="alert"]')).toContainText('Solo puede leerlo el agente asignado al ticket');
  // A supervisor hands the ticket to the agent: only then may the agent read.
  await apiAs(server, 'supervisora@ayuda.localhost')(page, 'PATCH', `/tickets/${tk.number}`, { assignee_id: me.id });
  await page.reload();
  await ready(page, `Ticket#${tk.number}: Acceso al servidor`);
  await expect(page.locator('.ag-vault')).toContainText('SSH');
  await expect(page.locator('.ag-vault')).toContainText('0 lecturas');
  await expect(page.getByText('root / clave-9f3k')).toHaveCount(0);
  await page.getByRole('button', { name: 'Mostrar «SSH»' }).click();
  await expect(page.getByLabel('Dato de acceso «SSH»')).toHaveText('root / clave-9f3k');
  await expect(status(page)).toContainText('Lectura de «SSH» registrada (1 lectura en total). Caduca el');
  await expect(page.locator('.ag-vault')).toContainText(/\b1 lectura(?!s)/);
  await shot(page, 'agente-baul', testInfo);
  const read = (await kinds(page, server, tk.number)).filter((e) => e.kind === 'vault.read');
  expect(read.map((e) => [e.actor, e.data.label])).toEqual([[me.id, 'SSH']]);
  await page.getByText(/^Historial/).click();
  await expect(page.locator('.timeline')).toContainText('Álvaro Agente leyó el dato de acceso «SSH».');
  await page.getByRole('button', { name: 'Ocultar «SSH»' }).click();
  await expect(page.getByText('root / clave-9f3k')).toHaveCount(0);
  await expect(status(page)).toHaveText('«SSH» oculto.');
});

test('reassess: the level and due time before and after; assign to someone of the team', async ({ page, server }) => {
  const co = newCompany(server, 'R');
  const { tk } = await openTicket(page, server, 'Cambio de nivel', { email: co.email });
  await expect(page.locator('.ag-requester')).toContainText('Partner Plata');
  await apiAs(server, 'admin@ayuda.localhost')(page, 'PATCH', `/companies/${co.id}`, { partner_tier: 'gold' });
  await page.getByRole('button', { name: 'Reevaluar el SLA' }).click();
  await expect(status(page)).toContainText(/^SLA reevaluado\. Antes: Partner Plata, vence el .+\. Ahora: Partner Oro, vence el .+\.$/);
  expect((await kinds(page, server, tk.number)).some((e) => e.kind === 'sla.level' && e.data.to === 'partner_gold')).toBe(true);
  // Assign to a supervisor from the team's list.
  await page.getByLabel('Asignar a').selectOption({ label: 'Sofía Supervisora' });
  await page.getByRole('button', { name: 'Asignar', exact: true }).click();
  await expect(status(page)).toHaveText('Ticket asignado a Sofía Supervisora.');
  expect((await apiAs(server, AGENT.email)(page, 'GET', `/tickets/${tk.number}`)).assignee.name).toBe('Sofía Supervisora');
});

test('ask a supervisor: the question stays an internal note and the supervisors get it by mail', async ({ page, server }, testInfo) => {
  const { u, tk } = await openTicket(page, server, 'Permisos raros');
  await page.getByRole('button', { name: 'Pedir ayuda a un supervisor…' }).click();
  const dialog = page.getByRole('dialog', { name: `Pedir ayuda a un supervisor sobre el Ticket#${tk.number}` });
  await dialog.getByRole('button', { name: 'Enviar a los supervisores' }).click();
  await expect(dialog.getByText('Diga qué necesita del supervisor.')).toBeVisible();
  await expect(dialog.getByLabel('Qué necesita del supervisor')).toBeFocused();
  await checkA11y(page);
  await shot(page, 'agente-supervisor', testInfo);
  await dialog.getByLabel('Qué necesita del supervisor').fill('¿Le damos acceso de administrador?');
  await dialog.getByRole('button', { name: 'Enviar a los supervisores' }).click();
  await expect(status(page)).toHaveText('Pedido enviado a los supervisores; queda como nota interna.');
  await expect(page.getByRole('article', { name: /^Nota interna de / })).toContainText('¿Le damos acceso de administrador?');
  const mail = await server.mailTo('supervisora@ayuda.localhost', (m) => /acceso de administrador/.test(m.text));
  expect(mail.text).toContain(`/agente/tickets/${tk.number}`);
  expect(server.mails().some((m) => m.to.includes(u.email) && /acceso de administrador/.test(m.text))).toBe(false);
});

test('requester panel: company, licence, licence emails, contacts n of max, SLA and why, other tickets', async ({ page, server }, testInfo) => {
  const co = newCompany(server, 'P');
  const rosa = { email: co.email, password: 'clave-segura-123' };
  const as = apiAs(server, co.email);
  const older = await as(page, 'POST', '/tickets', { subject: 'Mi primera consulta', body: 'x' });
  const { tk } = await openTicket(page, server, 'Consulta sobre el API REST', rosa,
    { url: 'https://andes.example.com/crm', version: '23.100.0', server_info: 'phpinfo()\nPHP Version => 8.2.7\nSystem => Linux web1 6.1.0' });
  const panel = page.locator('.ag-requester');
  await expect(panel.getByRole('heading', { name: 'Ficha del solicitante' })).toBeVisible();
  await expect(panel).toContainText('Rosa Quispe');
  await expect(panel).toContainText(co.name);
  await expect(panel).toContainText('Bitrix24 Self-Hosted · Standard · ✓ activa');
  await expect(panel).toContainText('Partner Plata, activo');
  await expect(panel).toContainText(co.email);
  await expect(panel).toContainText('Este ticket llegó desde un correo de la licencia');
  await expect(panel).toContainText('Contacto de soporte avalado desde el');
  await expect(panel).toContainText('1 de 4 contactos');
  await expect(panel).toContainText(/Por qué: partner plata/i);
  // What the ticket collected: the browser, the server's info.php (its summary and the whole text), the fields.
  await expect(panel).toContainText(/Chrome \d+/);
  await expect(panel).toContainText('8.2.7');
  await expect(panel).toContainText('https://andes.example.com/crm');
  const info = panel.getByRole('link', { name: 'Descargar info.php completo' });
  const res = await page.request.get(await info.getAttribute('href'));
  expect(res.status()).toBe(200);
  expect(await res.text()).toContain('PHP Version => 8.2.7');
  await expect(panel.getByRole('link', { name: `Ticket#${older.number}: Mi primera consulta` })).toBeVisible();
  await checkA11y(page);
  await shot(page, 'agente-solicitante', testInfo);
  await panel.getByRole('link', { name: `Ticket#${older.number}: Mi primera consulta` }).click();
  await ready(page, `Ticket#${older.number}: Mi primera consulta`);
  await expect(page.locator('.ag-requester').getByRole('link', { name: `Ticket#${tk.number}: Consulta sobre el API REST` })).toBeVisible();
});
