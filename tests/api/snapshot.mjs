// Everything the API answers about an installation, as one object, so that
// two servers (before and after a backup, a move to PostgreSQL) can be
// compared answer by answer. Run both with the same AYUDA_FAKE_NOW: the
// SLA's remaining minutes depend on the clock.
import { createHash } from 'node:crypto';
import { api } from './helpers.mjs';

const sha = (buf) => createHash('sha256').update(buf).digest('hex');

// The bytes of a download, as their SHA-256 and length.
async function file(srv, path, tok) {
  const res = await fetch(srv.url + path, { headers: { Authorization: `Bearer ${tok}` } });
  const b = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get('content-type'), sha256: sha(b), size: b.length };
}

// Every answer: the lists, each ticket (as staff and as its requester),
// its events, messages, attachments' and raw mails' bytes, the people,
// companies, levels, calendars, knowledge base, canned answers, reports.
// toks: { admin, agent, customers: [tok...] }.
export async function snapshot(srv, toks) {
  const out = {};
  const get = async (path, tok = toks.admin) => {
    const r = await api(srv, 'GET', path, { tok });
    out[`${path} ${tok === toks.admin ? 'admin' : tok.slice(0, 6)}`] = { status: r.status, body: r.body };
    return r.body;
  };
  for (const p of ['/api/v1/me', '/api/v1/users', '/api/v1/companies', '/api/v1/sla/levels', '/api/v1/calendars',
    '/api/v1/ticket-fields', '/api/v1/macros', '/api/v1/kb/categories', '/api/v1/kb/articles', '/api/v1/audit',
    '/api/v1/sla-inclusion', '/api/v1/reports/summary?from=2020-01-01&to=2030-01-01', '/api/v1/search?q=exportar']) await get(p);
  const companies = out['/api/v1/companies admin'].body;
  for (const c of companies.companies || companies.items || []) {
    await get(`/api/v1/companies/${c.id}`);
    await get(`/api/v1/companies/${c.id}/contacts`);
  }
  const users = out['/api/v1/users admin'].body;
  for (const u of users.users || users.items || []) await get(`/api/v1/users/${u.id}`);
  const articles = out['/api/v1/kb/articles admin'].body;
  for (const a of articles.articles || articles.items || []) await get(`/api/v1/kb/articles/${a.id}`);
  // Every ticket, page after page.
  const numbers = [];
  for (let after = 0; ;) {
    const page = await get(`/api/v1/tickets?limit=200&after=${after}`, toks.agent);
    for (const t of page.tickets) numbers.push(t.number);
    if (!page.next) break;
    after = page.next;
  }
  for (const n of numbers) {
    const t = await get(`/api/v1/tickets/${n}`, toks.agent);
    await get(`/api/v1/tickets/${n}/events`, toks.agent);
    await get(`/api/v1/tickets/${n}/sla/explain`, toks.agent);
    for (const m of t.messages || []) {
      for (const a of m.attachments || []) out[`attachment ${n}/${a.id}`] = await file(srv, `/api/v1/tickets/${n}/attachments/${a.id}`, toks.agent);
      if (m.channel === 'mail') out[`raw ${n}/${m.id}`] = await file(srv, `/api/v1/tickets/${n}/messages/${m.id}/raw`, toks.agent);
    }
  }
  for (const tok of toks.customers) {
    const mine = await get('/api/v1/tickets?limit=200', tok);
    for (const t of mine.tickets) await get(`/api/v1/tickets/${t.number}`, tok);
  }
  return out;
}
