// The acknowledgement of a new ticket lists up to three knowledge-base
// articles that match its subject and text well enough ([kb]
// mail_min_score in ayuda.conf), and none when nothing matches well.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';
import { header, mailConf, decoded } from './mailtools.mjs';
import { startSmtp, waitFor } from './mailservers.mjs';

let dir, srv, smtp, maria;

before(async () => {
  smtp = await startSmtp(join(mkdtempSync(join(tmpdir(), 'ayuda-kbmail-')), 'smtp'));
  dir = newDataDir();
  writeFileSync(join(dir, 'ayuda.conf'), `${mailConf(smtp.port)}
[server]
base_url = https://ayuda.example
[kb]
mail_min_score = 8
`);
  maria = token(dir, 'maria@acme.pe');
  srv = await serve(dir);
});

after(async () => {
  await stop(srv);
  await smtp.stop();
  cleanup(dir);
});

const ack = (n) => waitFor(() => {
  const m = smtp.messages().find((x) => (header(x.raw, 'Subject') || '').includes(`[Ticket#${n}]`));
  return m ? decoded(m.raw) : null;
}, 15000, `the acknowledgement of ${n}`);

test('a ticket about exporting contacts gets the export article in its acknowledgement', async () => {
  const t = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'No puedo exportar los contactos del CRM', body: 'Al exportar a Excel el archivo sale vacío.' } });
  assert.equal(t.status, 201);
  const text = await ack(t.body.number);
  assert.match(text, /Hemos recibido su solicitud/);
  assert.match(text, /quizá estos artículos del centro de ayuda respondan su pregunta:\r?\n(\r?\n)?- Exportar contactos del CRM a Excel o CSV\r?\n {2}https:\/\/ayuda\.example\/kb\/\d+-exportar-contactos-del-crm-a-excel-o-csv\r?\n/);
  // The weak matches stay out: the list is the one article.
  assert.equal((text.match(/^- /gm) || []).length, 1);
});

test('a ticket no article answers gets none: none rather than wrong ones', async () => {
  const t = await api(srv, 'POST', '/api/v1/tickets', { tok: maria, json: { subject: 'El carrito no calcula el envío', body: 'Al pasar a pagar, el costo de envío queda en 0.' } });
  assert.equal(t.status, 201);
  const text = await ack(t.body.number);
  assert.match(text, /Hemos recibido su solicitud/);
  assert.doesNotMatch(text, /centro de ayuda/);
});
