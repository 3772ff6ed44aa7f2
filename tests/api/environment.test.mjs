// Policy 7.4.5 and 7.12: "nuestro sistema recabará ... configuración del
// software del servidor, versiones del mismo, navegador del cliente"; the
// customer may include their server's configuration (info.php). Both are
// kept with the ticket for the support team only, as a readable summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { withDemoServer, token, api, mailIn } from './helpers.mjs';

const fixture = (name) => readFileSync(new URL(`../data/phpinfo/${name}`, import.meta.url), 'utf8');

let dir, srv, agent, pedro, maria;

withDemoServer({
  agent: 'agente@ayuda.localhost',
  pedro: 'pedro@bodegalibre.pe',
  maria: 'maria@acme.pe',
}, (d) => ({ dir, srv, agent, pedro, maria } = d));

// What Chrome 120 on Windows 11 sends with the portal's request.
const chrome = {
  'User-Agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Sec-CH-UA': '"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"',
  'Sec-CH-UA-Mobile': '?0',
  'Sec-CH-UA-Platform': '"Windows"',
  'Sec-CH-UA-Platform-Version': '"15.0.0"',
};

test('the support team reads the customer\'s browser and the server behind their info.php', async () => {
  const html = fixture('apache-php81.html');
  const c = await api(srv, 'POST', '/api/v1/tickets', {
    tok: pedro, headers: chrome,
    json: { subject: 'La intranet va lenta', body: 'Adjunto la información de mi servidor.', server_info: html },
  });
  assert.equal(c.status, 201, JSON.stringify(c.body));
  // The customer's own view carries none of it.
  assert.ok(!('environment' in c.body));
  const own = await api(srv, 'GET', `/api/v1/tickets/${c.body.number}`, { tok: pedro });
  assert.ok(!('environment' in own.body));
  assert.ok(!JSON.stringify(own.body).includes('Apache/2.4.52'));

  const t = (await api(srv, 'GET', `/api/v1/tickets/${c.body.number}`, { tok: agent })).body;
  const { browser, server } = t.environment;
  assert.equal(browser.summary, 'Chrome 120 en Windows 11');
  assert.deepEqual([browser.name, browser.version, browser.os, browser.os_version, browser.mobile], ['Chrome', '120', 'Windows', '11', false]);
  assert.equal(browser.user_agent, chrome['User-Agent']);
  assert.equal(browser.client_hints['sec-ch-ua-platform-version'], '"15.0.0"');
  assert.equal(server.summary, 'PHP 8.1.2-1ubuntu2.14, Apache/2.4.52 (Ubuntu), Linux');
  assert.equal(server.php_version, '8.1.2-1ubuntu2.14');
  assert.match(server.system, /^Linux web1 5\.15\.0-91-generic/);
  assert.equal(server.server_api, 'Apache 2.0 Handler');
  assert.equal(server.database, 'mysqlnd 8.1.2-1ubuntu2.14');
  assert.equal(server.memory_limit, '512M'); // the local value, not the master's
  assert.equal(server.upload_max_filesize, '64M');
  assert.equal(server.date_timezone, 'America/Lima');
  assert.equal(server.opcache, 'On');

  // The page itself, for staff only, as text to download (never rendered).
  const raw = await api(srv, 'GET', `/api/v1/tickets/${c.body.number}/server-info`, { tok: agent });
  assert.equal(raw.status, 200);
  assert.match(raw.headers.get('content-type'), /^text\/plain/);
  assert.match(raw.headers.get('content-disposition'), /^attachment/);
  assert.equal(raw.body, html);
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${c.body.number}/server-info`, { tok: pedro })).status, 404);
});

test('a supervisor who reads English reads the summary in English', async () => {
  const sup = token(dir, 'supervisora@ayuda.localhost');
  assert.equal((await api(srv, 'PATCH', '/api/v1/me', { tok: sup, json: { lang: 'en' } })).status, 200);
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, headers: chrome, json: { subject: 's', body: 'b' } });
  const t = (await api(srv, 'GET', `/api/v1/tickets/${c.body.number}`, { tok: sup })).body;
  assert.equal(t.environment.browser.summary, 'Chrome 120 on Windows 11');
  const curl = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, headers: { 'User-Agent': 'curl/8.4.0' }, json: { subject: 's', body: 'b' } });
  assert.equal((await api(srv, 'GET', `/api/v1/tickets/${curl.body.number}`, { tok: sup })).body.environment.browser.summary, 'unknown browser');
});

test('the customer attaches `php -i` output when the agent asks for it', async () => {
  const c = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'Error al actualizar', body: 'El módulo no se actualiza.' } });
  const n = c.body.number;
  const before = (await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent })).body.environment;
  assert.equal(before.server, null);
  const p = await api(srv, 'PATCH', `/api/v1/tickets/${n}`, { tok: maria, json: { server_info: fixture('cli-php82.txt') } });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  const t = (await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent })).body;
  assert.equal(t.environment.server.summary, 'PHP 8.2.7, Linux');
  assert.equal(t.environment.server.memory_limit, '256M');
  const ev = (await api(srv, 'GET', `/api/v1/tickets/${n}/events`, { tok: agent })).body.events;
  assert.ok(ev.some((e) => e.kind === 'ticket.server_info'));
});

test('a mail with phpinfo.html attached gives the team the server, not a refusal', async () => {
  const m = mailIn(dir, {
    from: 'Pedro Huamán <pedro@bodegalibre.pe>', subject: 'Lentitud en la intranet', id: 'phpinfo1@bodegalibre.pe',
    body: 'Adjunto la página de info.php de nuestro servidor.',
    files: [{ name: 'phpinfo.html', type: 'text/html', content: fixture('apache-php81.html') }],
  });
  assert.equal(m.code, 0, m.stderr);
  const t = (await api(srv, 'GET', `/api/v1/tickets/${m.json.ticket}`, { tok: agent })).body;
  assert.equal(t.environment.server.summary, 'PHP 8.1.2-1ubuntu2.14, Apache/2.4.52 (Ubuntu), Linux');
  assert.equal(t.environment.browser, null); // it came by mail
  // HTML is not an accepted attachment type, but this page is not refused.
  assert.ok(!t.messages.some((x) => /Adjunto rechazado/.test(x.body)), JSON.stringify(t.messages));
  // `php -i` text is kept both ways: a plain-text attachment and the summary.
  const n = mailIn(dir, {
    from: 'pedro@bodegalibre.pe', subject: 'Configuración', id: 'phpinfo2@bodegalibre.pe', body: 'Va la salida de php -i.',
    files: [{ name: 'php-i.txt', type: 'text/plain', content: fixture('cli-php82.txt') }],
  });
  const u = (await api(srv, 'GET', `/api/v1/tickets/${n.json.ticket}`, { tok: agent })).body;
  assert.equal(u.environment.server.php_version, '8.2.7');
  assert.deepEqual(u.messages[0].attachments.map((a) => a.filename), ['php-i.txt']);
});

test('text that is not info.php output is refused, saying why', async () => {
  const r = await api(srv, 'POST', '/api/v1/tickets', {
    tok: pedro, json: { subject: 'x', body: 'y', server_info: 'Apache 2.4 con PHP 8, creo' },
  });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.field, 'server_info');
  assert.match(r.body.error.message, /info\.php/);
});

test('every answer asks the browser for its platform version', async () => {
  const h = await api(srv, 'GET', '/healthz');
  assert.match(h.headers.get('accept-ch'), /Sec-CH-UA-Platform-Version/);
});
