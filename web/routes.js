// Every page of the application: the path (":name" is a parameter), the
// module that renders it (loaded on first visit), and who may see it.
// auth: true sends a signed-out person to /entrar and back afterwards.
// A page module's default export receives { params, query }.
export const routes = [
  { path: '/', page: () => import('./portal/landing.js') },
  { path: '/entrar', page: () => import('./portal/login.js') },
  { path: '/salir', page: () => import('./portal/logout.js') },
  { path: '/registro', page: () => import('./portal/register.js') },
  { path: '/clave', page: () => import('./portal/forgot.js') },
  { path: '/cuenta', page: () => import('./portal/account.js'), auth: true },
  { path: '/cuenta/preferencias', page: () => import('./portal/account-prefs.js'), auth: true },
  { path: '/cuenta/clave', page: () => import('./portal/account-password.js'), auth: true },
  { path: '/cuenta/correo', page: () => import('./portal/account-email.js'), auth: true },
  { path: '/tickets', page: () => import('./portal/tickets.js'), auth: true },
  { path: '/agente', page: () => import('./agente/queue.js'), auth: true },
  { path: '/agente/tickets/:n', page: () => import('./agente/ticket.js'), auth: true },
  { path: '/agente/respuestas', page: () => import('./agente/macros-page.js'), auth: true },
  { path: '/agente/kb', page: () => import('./agente/kb-list.js'), auth: true },
  { path: '/agente/kb/nuevo', page: () => import('./agente/kb-edit.js'), auth: true },
  { path: '/agente/kb/:id', page: () => import('./agente/kb-edit.js'), auth: true },
  { path: '/agente/buscar', page: () => import('./agente/search.js'), auth: true },
  { path: '/supervisor', page: () => import('./supervisor/dashboard.js'), auth: true },
  { path: '/supervisor/riesgo', page: () => import('./supervisor/risk.js'), auth: true },
  { path: '/supervisor/agentes', page: () => import('./supervisor/agents.js'), auth: true },
  { path: '/supervisor/informe', page: () => import('./supervisor/report.js'), auth: true },
  { path: '/supervisor/tickets', page: () => import('./supervisor/tickets.js'), auth: true },
  { path: '/admin', page: () => import('./admin/home.js'), auth: true },
  { path: '/admin/kb', page: () => import('./admin/kb-categories.js'), auth: true },
  { path: '/admin/sla', page: () => import('./admin/sla.js'), auth: true },
  { path: '/admin/sla/:code', page: () => import('./admin/sla-level.js'), auth: true },
  { path: '/admin/calendarios', page: () => import('./admin/calendars.js'), auth: true },
  { path: '/admin/calendarios/:id', page: () => import('./admin/calendar.js'), auth: true },
  { path: '/admin/personas', page: () => import('./admin/people.js'), auth: true },
  { path: '/admin/personas/:id', page: () => import('./admin/person.js'), auth: true },
  { path: '/admin/empresas', page: () => import('./admin/companies.js'), auth: true },
  { path: '/admin/empresas/:id', page: () => import('./admin/company.js'), auth: true },
  { path: '/admin/inclusion', page: () => import('./admin/inclusion.js'), auth: true },
  { path: '/admin/correo', page: () => import('./admin/mail.js'), auth: true },
  { path: '/admin/correo/salida', page: () => import('./admin/mail-outbox.js'), auth: true },
  { path: '/admin/correo/plantillas', page: () => import('./admin/mail-templates.js'), auth: true },
  { path: '/admin/auditoria', page: () => import('./admin/audit.js'), auth: true },
  { path: '/tickets/nuevo', page: () => import('./portal/new-ticket.js'), auth: true },
  { path: '/tickets/:n', page: () => import('./portal/ticket.js'), auth: true },
  { path: '/sla/comercial', page: () => import('./portal/sla-inclusion.js'), auth: true },
  { path: '/sla/no-comercial', page: () => import('./portal/sla-inclusion.js'), auth: true },
  // The pages of the links we mail (src/domain/account.c, src/jobs/outbox.c).
  { path: '/encuesta', page: () => import('./portal/survey.js') },
  { path: '/account/verify', page: () => import('./portal/verify.js') },
  { path: '/account/email', page: () => import('./portal/verify.js') },
  { path: '/account/reset', page: () => import('./portal/reset.js') },
];

// The first route whose pattern matches path: { route, params } or null.
export function match(path) {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  for (const route of routes) {
    const pat = route.path.replace(/\/+$/, '').split('/').slice(1);
    if (pat.length !== parts.length) continue;
    const params = {};
    const ok = pat.every((p, i) => {
      if (p.startsWith(':')) {
        params[p.slice(1)] = decodeURIComponent(parts[i]);
        return parts[i] !== '';
      }
      return p === parts[i];
    });
    if (ok) return { route, params };
  }
  return null;
}
