// File uploads through the API: typed by content against the attachment
// policy, size-capped, attached only by their owner, once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withDemoServer, api } from './helpers.mjs';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
const BMP = Buffer.from('424d3a0000000000000036000000280000000100000001000000010018000000000004000000130b0000130b00000000000000000000ffffff00', 'hex');
let srv, agent, jorge, pedro;

async function upload(tok, name, data) {
  const res = await fetch(`${srv.url}/api/v1/uploads?filename=${encodeURIComponent(name)}`, {
    method: 'POST', headers: { Authorization: `Bearer ${tok}`, 'Content-Type': 'application/octet-stream' }, body: data,
  });
  return { status: res.status, body: await res.json() };
}

withDemoServer({
  agent: 'agente@ayuda.localhost',
  jorge: 'jorge@acme.pe',
  pedro: 'pedro@bodegalibre.pe',
}, (d) => ({ srv, agent, jorge, pedro } = d), {
  setup: (dir) => {
    writeFileSync(join(dir, 'ayuda.conf'), '[mail]\nmax_attachment = 1048576\n');
  },
});

test('an upload is typed by its content and checked against the policy', async () => {
  const ok = await upload(jorge, 'captura de pantalla.png', PNG);
  assert.equal(ok.status, 201);
  assert.equal(ok.body.content_type, 'image/png');
  assert.equal(ok.body.size, PNG.length);
  assert.equal(ok.body.filename, 'captura de pantalla.png');
  // A BMP named .png is still a BMP: refused with the policy's advice.
  const bmp = await upload(jorge, 'pantalla.png', BMP);
  assert.equal(bmp.status, 422);
  assert.match(bmp.body.error.message, /BMP.*(ZIP|RAR)/);
  assert.equal((await upload(jorge, 'vacío.png', Buffer.alloc(0))).status, 422);
  // A path in the name is no path: its separators become '_'.
  assert.equal((await upload(jorge, '../etc/passwd', PNG)).body.filename, '_etc_passwd');
  const big = await upload(jorge, 'grande.zip', Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(2 << 20)]));
  assert.equal(big.status, 413);
  const anon = await fetch(`${srv.url}/api/v1/uploads?filename=a.png`, { method: 'POST', body: PNG });
  assert.equal(anon.status, 401);
});

test('uploads are attached by their owner, once, and seen like mail attachments', async () => {
  const up = (await upload(jorge, 'captura.png', PNG)).body.id;
  const t = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'Con captura', body: 'Adjunto', attachments: [up] } });
  assert.equal(t.status, 201);
  const n = t.body.number;
  const g = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: jorge });
  const [att] = g.body.messages[0].attachments;
  assert.equal(att.filename, 'captura.png');
  const file = await fetch(`${srv.url}/api/v1/tickets/${n}/attachments/${att.id}`, { headers: { Authorization: `Bearer ${jorge}` } });
  assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
  assert.equal((await fetch(`${srv.url}/api/v1/tickets/${n}/attachments/${att.id}`, { headers: { Authorization: `Bearer ${pedro}` } })).status, 404);

  // Used once: a second use is refused and stores nothing.
  const before = (await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: agent })).body.tickets.length;
  const again = await api(srv, 'POST', '/api/v1/tickets', { tok: jorge, json: { subject: 'Otra', body: 'x', attachments: [up] } });
  assert.equal(again.status, 422);
  assert.equal(again.body.error.field, 'attachments');
  assert.equal((await api(srv, 'GET', '/api/v1/tickets?limit=200', { tok: agent })).body.tickets.length, before);

  // Someone else's upload cannot be attached.
  const mine = (await upload(jorge, 'mía.png', PNG)).body.id;
  const steal = await api(srv, 'POST', '/api/v1/tickets', { tok: pedro, json: { subject: 'Robo', body: 'x', attachments: [mine] } });
  assert.equal(steal.status, 422);

  // An agent's answer carries a file too.
  const a = (await upload(agent, 'guía.pdf', Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'))).body;
  assert.equal(a.content_type, 'application/pdf');
  const reply = await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { body: 'Vea la guía', attachments: [a.id] } });
  assert.equal(reply.status, 201);
  assert.equal(reply.body.attachments[0].filename, 'guía.pdf');
  assert.equal((await api(srv, 'POST', `/api/v1/tickets/${n}/messages`, { tok: agent, json: { body: 'x', attachments: 'no' } })).status, 422);
});
