// Mail parsing as customers meet it (issue 9, items 12 to 15): a Korean or
// Hebrew mail reads right, uuencoded files in the text arrive as files, a
// text sent as a named file is the message, and an old Mac's BinHex file is
// judged by what it holds. Mail comes in through `ayuda mail-in`; what the
// agent sees is read through the API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { newDataDir, token, serve, stop, cleanup, api } from './helpers.mjs';
import { mailInto } from './mailtools.mjs';

let dir, srv, agent;

before(async () => {
  dir = newDataDir({ conf: '[mail]\nsupport_address = soporte@ayuda.test\ndomain = ayuda.test\n' });
  agent = token(dir, 'agente@ayuda.localhost');
  srv = await serve(dir);
});

after(async () => {
  await stop(srv);
  cleanup(dir);
});

// raw: header lines and body lines (strings or Buffers), joined by CRLF.
function deliver(lines) {
  const raw = Buffer.concat(lines.flatMap((l) => [Buffer.isBuffer(l) ? l : Buffer.from(l), Buffer.from('\r\n')]));
  const r = mailInto(dir, raw);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.action, 'created');
  return r.json.ticket;
}

async function ticket(n) {
  const t = await api(srv, 'GET', `/api/v1/tickets/${n}`, { tok: agent });
  const m = await api(srv, 'GET', `/api/v1/tickets/${n}/messages`, { tok: agent });
  assert.equal(m.status, 200);
  return { subject: t.body.subject, messages: m.body.messages, first: m.body.messages[0] };
}

async function download(n, att) {
  const r = await fetch(`${srv.url}/api/v1/tickets/${n}/attachments/${att.id}`, { headers: { Authorization: `Bearer ${agent}` } });
  assert.equal(r.status, 200);
  return Buffer.from(await r.arrayBuffer());
}

// A uuencoded block as old mailers write it ("begin 644 name", 45 bytes a
// line, "`", "end"), CRLF line ends.
function uuencode(name, data) {
  const ch = (v) => (v === 0 ? '`' : String.fromCharCode(v + 32));
  const lines = [`begin 644 ${name}`];
  for (let i = 0; i < data.length; i += 45) {
    const chunk = data.subarray(i, i + 45);
    let line = ch(chunk.length);
    for (let k = 0; k < chunk.length; k += 3) {
      const [a, b = 0, c = 0] = chunk.subarray(k, k + 3);
      line += ch(a >> 2) + ch(((a & 3) << 4) | (b >> 4)) + ch(((b & 15) << 2) | (c >> 6)) + ch(c & 63);
    }
    lines.push(line);
  }
  return [...lines, '`', 'end'];
}

test('item 12: a Korean mail (ks_c_5601-1987) and a Hebrew one (iso-8859-8-i) read right', async () => {
  const ko = (s) => Buffer.from(s, 'hex');
  const n = deliver([
    'From: Kim <kim@example.kr>', 'To: soporte@ayuda.test', 'Message-ID: <ko1@example.kr>',
    `Subject: =?ks_c_5601-1987?B?${ko('bec8b3e7c7cfbcbcbfe42c20c1d6b9ae20b9aec0c7').toString('base64')}?=`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset="ks_c_5601-1987"', 'Content-Transfer-Encoding: base64', '',
    ko('b6f3c0ccbcb1bdba20b0bbbdc5c0cc20bec820b5cbb4cfb4d92e').toString('base64'),
  ]);
  const t = await ticket(n);
  assert.equal(t.subject, '안녕하세요, 주문 문의');
  assert.equal(t.first.body.trim(), '라이선스 갱신이 안 됩니다.');
  const h = deliver([
    'From: Dana <dana@example.co.il>', 'To: soporte@ayuda.test', 'Message-ID: <he1@example.co.il>',
    `Subject: =?iso-8859-8-i?B?${Buffer.from('e4e7f9e1e5f0e9fa20ece020e4e2e9f2e4', 'hex').toString('base64')}?=`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset="iso-8859-8-i"', 'Content-Transfer-Encoding: 8bit', '',
    Buffer.from('f9ece5ed2c20e0f0e920ece020eef6ece9e720ece4fae7e1f8', 'hex'),
  ]);
  const th = await ticket(h);
  assert.equal(th.subject, 'החשבונית לא הגיעה');
  assert.equal(th.first.body.trim(), 'שלום, אני לא מצליח להתחבר');
});

test('item 13: two uuencoded files in the text arrive as two files, the text around them stays', async () => {
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201d6a5f0d80000000049454e44ae426082', 'hex');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  const n = deliver([
    'From: Luis <luis@example.com>', 'To: soporte@ayuda.test', 'Subject: Error al importar', 'Message-ID: <uu1@example.com>', '',
    'Buenos dias:', '', 'Adjunto la captura del error.', ...uuencode('captura.png', png),
    'Y el manual que seguimos:', ...uuencode('manual.pdf', pdf), '', 'Gracias, Luis',
  ]);
  const { first } = await ticket(n);
  assert.deepEqual(first.attachments.map((a) => `${a.filename} ${a.content_type}`), ['captura.png image/png', 'manual.pdf application/pdf']);
  assert.deepEqual(await download(n, first.attachments[0]), png);
  assert.deepEqual(await download(n, first.attachments[1]), pdf);
  assert.match(first.body, /Adjunto la captura del error\.\nY el manual que seguimos:\n/);
  assert.match(first.body, /Gracias, Luis/);
  assert.doesNotMatch(first.body, /begin 644|^end$/m);
});

test('item 14: a text sent as a named file (no attachment disposition) is the message, and the file is kept', async () => {
  const n = deliver([
    'From: Rosa <rosa@example.com>', 'To: soporte@ayuda.test', 'Subject: Registro del error', 'Message-ID: <named1@example.com>',
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8; name="error.txt"', '',
    'Fatal error: Allowed memory size exhausted en /bitrix/modules/main.php',
  ]);
  const { first } = await ticket(n);
  assert.equal(first.body.trim(), 'Fatal error: Allowed memory size exhausted en /bitrix/modules/main.php');
  assert.doesNotMatch(first.body, /sin texto/);
  assert.deepEqual(first.attachments.map((a) => a.filename), ['error.txt']);
});

// BinHex 4.0 files written by tests/data/mail/make_encoded.py (a 4x4 PNG
// named "Captura é.png"; a 2x2 BMP named foto.bmp).
const HQX_PNG = [
  '(This file must be converted with BinHex 4.0)', '',
  ':$80KF(4eFQ%JMLj`EQF!8%j(CR"bGRF!N!9(!*!$%[*-L9"14`d+\'JS!N!-058K%',
  '8J#3!`3!N!-%#!#3")bD`D)!N!-1584"9(LFBjJ!"!bS"!"D&!N"\'"h1K!#3"%P&',
  '6N5Z3Q##-jQ3!*!#FR0bBj!!N!*bFh*MN!#3!R*cFQ-3#3:',
];
const HQX_BMP = [
  '(This file must be converted with BinHex 4.0)', '',
  ':#\'C[G\'mZBQe`!&"14fC`FRCh!*!&4J#3!a*bAN*04J#3"cB!N!-S!*!$!J#3!`)!',
  'N!-"!"J!N!83!*!$%`X!!"-,!*!-r`#3!rm!N!2r!*!$r`"86T!!N!*bFh*MN!#3',
  '!R*cFQ13!*!#FR0bBa!*:',
];

test('item 15: a BinHex attachment from an old Mac is opened: a PNG inside is kept, a BMP inside refused as a BMP', async () => {
  const n = deliver([
    'From: Mac <mac@example.com>', 'To: soporte@ayuda.test', 'Subject: Captura desde el Mac', 'Message-ID: <hqx1@example.com>',
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '',
    '--b', 'Content-Type: text/plain; charset=us-ascii', '', 'Les envio dos capturas.',
    '--b', 'Content-Type: application/mac-binhex40; name="captura.hqx"', 'Content-Disposition: attachment; filename="captura.hqx"', '', ...HQX_PNG,
    '--b', 'Content-Type: application/mac-binhex40; name="foto.hqx"', 'Content-Disposition: attachment; filename="foto.hqx"', '', ...HQX_BMP,
    '--b--',
  ]);
  const { messages, first } = await ticket(n);
  assert.deepEqual(first.attachments.map((a) => `${a.filename} ${a.content_type}`), ['Captura é.png image/png']);
  const png = await download(n, first.attachments[0]);
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.equal(png.length, 71);
  assert.ok(messages.some((m) => m.kind === 'system' && /foto\.bmp/.test(m.body) && /BMP/.test(m.body)),
    JSON.stringify(messages.map((m) => m.body)));
});
