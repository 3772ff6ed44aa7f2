// What the supervisor's pages share: who may see them, their navigation,
// the period and filters in the address (?desde=&hasta=&nivel=&agente=, the
// dates inclusive, in the desk's calendar) and where the tickets behind a
// figure are listed.
import { html } from '../html.js';
import { usePath } from '../router.js';
import { t, loadStrings } from '../i18n.js';
import { loadStylesheet } from '../ui/stylesheet.js';

// The console's sheet (the SLA clock, its tones), ours and our strings,
// before any of our pages shows (ui/stylesheet.js, i18n.js).
await Promise.all([loadStylesheet('/styles/agente.css'), loadStylesheet('/styles/supervisor.css'), loadStrings('supervisor')]);

export const PAGES = [
  ['/supervisor', 'sup.nav.dashboard'],
  ['/supervisor/riesgo', 'sup.nav.risk'],
  ['/supervisor/agentes', 'sup.nav.agents'],
  ['/supervisor/informe', 'sup.nav.report'],
];

export const canSupervise = (user) => !!user && (user.role === 'supervisor' || user.role === 'admin');

export function SupNav() {
  const here = usePath().split('?')[0];
  return html`<nav class="sup-nav" aria-label=${t('sup.nav.label')}><ul>
    ${PAGES.map(([href, key]) => html`<li><a href=${href} aria-current=${here === href ? 'page' : undefined}>${t(key)}</a></li>`)}
  </ul></nav>`;
}

export function Forbidden() {
  return html`<div class="notice notice-error"><p>${t('sup.forbidden')}</p></div>`;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const pad = (n) => String(n).padStart(2, '0');

// Today in the reader's calendar: "2026-12-01".
export function today(now = new Date()) {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// "2026-12-01" plus n days.
export function addDays(day, n) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

// The Monday of the week of day.
export function monday(day) {
  const wd = new Date(`${day}T12:00:00Z`).getUTCDay();
  return addDays(day, -((wd + 6) % 7));
}

// The dashboard's state from the address; the last 30 days by default.
export function period(query) {
  let hasta = DAY.test(query.get('hasta') || '') ? query.get('hasta') : today();
  let desde = DAY.test(query.get('desde') || '') ? query.get('desde') : addDays(hasta, -29);
  if (desde > hasta) [desde, hasta] = [hasta, desde];
  const agente = /^(\d+|none)$/.test(query.get('agente') || '') ? query.get('agente') : '';
  return { desde, hasta, nivel: query.get('nivel') || '', agente };
}

// The reports API's parameters for a state: `to` is the day after hasta.
export function apiQuery(p) {
  const q = new URLSearchParams({ from: p.desde, to: addDays(p.hasta, 1) });
  if (p.nivel) q.set('level', p.nivel);
  if (p.agente) q.set('agent', p.agente);
  return q;
}

// A supervisor page's address for state p changed by `change`.
export function pageHref(path, p, change = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...p, ...change })) if (v) q.set(k, v);
  return `${path}?${q}`;
}

// The tickets a figure counts (the queue's report= filter), over [from, to)
// (the API's instants), with the dashboard's level and agent; view
// "unsolved" for the backlog's ages.
export function figureHref(fig, range, p, view) {
  const q = new URLSearchParams({ cifra: fig });
  if (range && range.from) q.set('desde', range.from);
  if (range && range.to) q.set('hasta', range.to);
  if (p.nivel) q.set('nivel', p.nivel);
  if (p.agente) q.set('asignado', p.agente);
  if (view) q.set('vista', view);
  return `/supervisor/tickets?${q}`;
}

// The agent console's queue with these filters (its own parameters).
export function consoleHref(filters) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
  return `/agente?${q}`;
}

// The name of an agent row: theirs, or "Sin asignar".
export const agentName = (agent) => (agent ? agent.name : t('sup.unassigned'));
export const agentKey = (agent) => (agent ? String(agent.id) : 'none');
