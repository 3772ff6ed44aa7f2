// /tickets/nuevo as a customer uses it: the policy's fields, an image
// picked, dropped or pasted and uploaded at once, a BMP refused on the spot,
// the keyboard alone, and what the page shows once sent.
import { test, expect, newCustomer, login, checkA11y, shot, ready, DEMO_PASSWORD } from './harness.mjs';
import { PNG, BMP } from './fixtures.mjs';

// Drop (or paste) a file on the page, as the browser would hand it over.
async function handOver(page, kind, name, bytes, type) {
  await page.evaluate(([k, n, b64, ty]) => {
    const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bin], n, { type: ty }));
    if (k === 'drop') document.querySelector('.dropzone').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    else document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, [kind, name, bytes.toString('base64'), type]);
}

test('a new ticket with an image: Ticket#N, its level and its due time', async ({ page, server }, testInfo) => {
  // María is Acme's registered support contact: a commercial licence.
  await login(page, { email: 'maria@acme.pe', password: DEMO_PASSWORD });
  await page.goto('/tickets/nuevo');
  await ready(page, 'Enviar un ticket');
  await expect(page.getByText('datos de su navegador')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'new-ticket', testInfo);

  await page.getByRole('button', { name: 'Enviar ticket' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(['Escriba el asunto', 'Escriba la descripción']);
  await checkA11y(page);
  await shot(page, 'new-ticket-errors', testInfo);

  await page.getByLabel('Asunto').fill('El carrito no calcula el envío');
  await page.getByLabel('Descripción').fill('Al pasar a pagar, el costo de envío queda en 0.');
  await page.getByLabel('Tipo de consulta').selectOption('support');
  await page.getByLabel('Pasos para reproducir el problema (opcional)').fill('1. Añadir un producto\n2. Ir a pagar');
  await page.getByLabel('Dirección del sitio (opcional)').fill('https://tienda.acme.pe/carrito');
  await page.getByLabel('Producto', { exact: true }).selectOption('bitrix_site_manager');
  await page.getByLabel('Edición').selectOption('small_business');
  await page.getByLabel('Versión').fill('23.100.0');
  await page.getByLabel('Adjuntos (opcional)').setInputFiles({ name: 'captura.png', mimeType: 'image/png', buffer: PNG });
  await handOver(page, 'drop', 'arrastrada.png', PNG, 'image/png');
  await handOver(page, 'paste', 'image.png', PNG, 'image/png');
  await expect(page.locator('.upload-ok')).toHaveCount(3);
  await page.getByText('Añadir la configuración del servidor (opcional)').click();
  await page.getByLabel('Configuración del servidor').fill('phpinfo()\nPHP Version => 8.2.7\nSystem => Linux web1 6.1.0');
  await shot(page, 'new-ticket-filled', testInfo);
  await page.getByRole('button', { name: 'Enviar ticket' }).click();

  await ready(page, 'Ticket recibido');
  const number = Number((await page.getByText(/^Ticket#\d+$/).textContent()).slice(7));
  await expect(page.getByText('Nivel de servicio: Comercial')).toBeVisible();
  await expect(page.locator('.panel time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
  await checkA11y(page);
  await shot(page, 'new-ticket-sent', testInfo);

  const tk = await (await page.request.get(`/api/v1/tickets/${number}`)).json();
  expect(tk).toMatchObject({ subject: 'El carrito no calcula el envío', url: 'https://tienda.acme.pe/carrito', version: '23.100.0', category: 'support' });
  expect(tk.product.code || tk.product).toBe('bitrix_site_manager');
  expect(tk.messages[0].attachments.map((a) => a.filename).sort()).toEqual(['arrastrada.png', 'captura.png', 'image.png']);
});

test('a BMP is refused on the spot: comprímalo en ZIP o RAR', async ({ page, server }, testInfo) => {
  await login(page, newCustomer(server));
  await page.goto('/tickets/nuevo');
  await ready(page, 'Enviar un ticket');
  await page.getByLabel('Adjuntos (opcional)').setInputFiles({ name: 'pantalla.bmp', mimeType: 'image/bmp', buffer: BMP });
  await expect(page.locator('.upload-error')).toContainText('comprímalo en ZIP o RAR');
  // Named otherwise, its first bytes still give it away.
  await page.getByLabel('Adjuntos (opcional)').setInputFiles({ name: 'pantalla.png', mimeType: 'image/png', buffer: BMP });
  await expect(page.locator('.upload-error')).toHaveCount(2);
  await checkA11y(page);
  await shot(page, 'new-ticket-bmp', testInfo);
  await page.getByRole('button', { name: 'Quitar pantalla.bmp' }).click();
  await expect(page.locator('.upload-error')).toHaveCount(1);
});

test('keyboard only: a new ticket from the first Tab to Ticket#N', async ({ page, server }) => {
  await login(page, newCustomer(server));
  await page.goto('/tickets/nuevo');
  await ready(page, 'Enviar un ticket');
  const tabTo = async (name) => {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((n) => document.activeElement && document.activeElement.labels
        && [...document.activeElement.labels].some((l) => l.textContent.trim() === n), name)) return;
    }
    throw new Error(`no control "${name}" in the Tab order`);
  };
  await tabTo('Asunto');
  await page.keyboard.type('Consulta hecha con el teclado');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Sin ratón.');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // Tipo de consulta: the next one
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.textContent === 'Enviar ticket')) break;
  }
  await expect(page.getByRole('button', { name: 'Enviar ticket' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByText(/^Ticket#\d+$/)).toBeVisible();
});

test('in English, dark', async ({ page, server }, testInfo) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await login(page, newCustomer(server, { lang: 'en', name: 'Ann Smith' }));
  await page.goto('/tickets/nuevo');
  await ready(page, 'Send a ticket');
  await page.getByLabel('Subject').fill('Cannot log in');
  await page.getByLabel('Description').fill('The page reloads.');
  await checkA11y(page);
  await shot(page, 'new-ticket-en-dark', testInfo);
  await page.getByRole('button', { name: 'Send ticket' }).click();
  await ready(page, 'Ticket received');
  await expect(page.getByText(/^Ticket#\d+$/)).toBeVisible();
  await checkA11y(page);
  await shot(page, 'new-ticket-sent-en-dark', testInfo);
});
