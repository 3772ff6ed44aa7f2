// Placing an unknown requester (policy 7.1.2; issue 11 item 9): a mail from
// an address at a company's domain suggests that company in the requester
// panel, and the agent confirms it in one step (the ticket takes the
// company's level) or dismisses it.
import { execFileSync } from 'node:child_process';
import { test, expect, login, checkA11y, shot, ready, BIN, DEMO_PASSWORD } from './harness.mjs';

const AGENT = { email: 'agente@ayuda.localhost', password: DEMO_PASSWORD };

function mailFrom(server, from, subject) {
  const id = `${subject.replace(/\W/g, '')}-${Date.now()}@acme.pe`;
  const out = execFileSync(BIN, ['mail-in', '--data', server.dir], {
    encoding: 'utf8',
    input: [`From: ${from}`, 'To: soporte@ayuda.test', `Subject: ${subject}`, `Message-ID: <${id}>`,
      'Content-Type: text/plain; charset=utf-8', '', '¿Cómo agrego un embudo de ventas?', ''].join('\r\n'),
  });
  return JSON.parse(out.trim().split('\n').pop()).ticket;
}

test('an agent confirms the company a stranger\'s mail domain suggests, and the ticket takes its level', async ({ page, server }, testInfo) => {
  const n = mailFrom(server, `Inés Flores <ines.${Date.now()}@bodegalibre.pe>`, 'Embudo nuevo');
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${n}`);
  await ready(page, `Ticket#${n}: Embudo nuevo`);
  const panel = page.getByRole('region', { name: 'Ficha del solicitante' });
  const box = panel.getByRole('group', { name: '¿De qué empresa es?' });
  await expect(box).toContainText('posible empresa: Bodega Libre, por el dominio de su correo bodegalibre.pe');
  expect((await (await page.request.get(`/api/v1/tickets/${n}`)).json()).sla.level).toBe('unidentified');
  await checkA11y(page);
  await shot(page, 'agente-empresa-sugerida', testInfo);
  await box.getByRole('button', { name: 'Es de Bodega Libre' }).click();
  await expect(box).toHaveCount(0);
  await expect(panel).toContainText('Bodega Libre');
  const tk = await (await page.request.get(`/api/v1/tickets/${n}`)).json();
  expect(tk.company.name).toBe('Bodega Libre');
  expect(tk.suggestion.state).toBe('confirmed');
  // A free plan's level: non-commercial, with a deadline now.
  expect(tk.sla.level).toBe('non_commercial');
  expect(tk.sla.due_at).toBeTruthy();
  await expect(page.locator('.facts')).toContainText('No comercial');
});

test('an agent dismisses a wrong suggestion and the ticket keeps its level', async ({ page, server }) => {
  const n = mailFrom(server, `Pablo <pablo.${Date.now()}@acme.pe>`, 'Consulta personal');
  await login(page, AGENT);
  await page.goto(`/agente/tickets/${n}`);
  await ready(page, `Ticket#${n}: Consulta personal`);
  const before = (await (await page.request.get(`/api/v1/tickets/${n}`)).json()).sla.level;
  const box = page.getByRole('group', { name: '¿De qué empresa es?' });
  await box.getByRole('button', { name: 'No es de esa empresa' }).click();
  await expect(box).toHaveCount(0);
  const tk = await (await page.request.get(`/api/v1/tickets/${n}`)).json();
  expect(tk.suggestion.state).toBe('dismissed');
  expect(tk.company).toBeFalsy();
  expect(tk.sla.level).toBe(before);
});
