// What the admin console's pages share (web/admin/): who may see them, their
// navigation, the sheet and the strings. A page module adds itself to PAGES
// (its address, the i18n key of its name, and the roles that may open it;
// admins only when absent); the key with ".hint" appended describes it on
// /admin.
import { html } from '../html.js';
import { usePath } from '../router.js';
import { t, loadStrings } from '../i18n.js';
import { loadStylesheet } from '../ui/stylesheet.js';

// The console's sheet (tables, SLA tones), ours and our strings, before any
// of our pages shows (ui/stylesheet.js, i18n.js).
await Promise.all([loadStylesheet('/styles/agente.css'), loadStylesheet('/styles/admin.css'), loadStrings('admin')]);

export const PAGES = [
  ['/admin', 'adm.nav.home'],
  ['/admin/personas', 'adm.people.nav'],
  ['/admin/empresas', 'adm.co.nav'],
  ['/admin/inclusion', 'adm.incl.nav'],
  ['/admin/kb', 'adm.nav.kb', ['admin', 'supervisor']],
  ['/admin/sla', 'adm.sla.nav'],
  ['/admin/calendarios', 'adm.nav.calendars'],
  ['/admin/correo', 'adm.mail.nav'],
  ['/admin/auditoria', 'adm.audit.nav'],
];

const ADMIN = ['admin'];

// May user open the page at href (an admin page's entry; admins only when
// it names no roles)?
export const mayOpen = (user, [, , roles = ADMIN]) => !!user && roles.includes(user.role);
export const canAdmin = (user) => !!user && user.role === 'admin';
// The name people read of a calendar: its title, else its name (a code).
export const calendarTitle = (cal) => cal.title || cal.name;

// The pages this user may open, in the navigation's order.
export const pagesFor = (user) => PAGES.filter((p) => mayOpen(user, p));

// The navigation between the admin pages; the page at `here` (or the one
// whose address begins it, for a page's sub-pages) is the current one.
export function AdminNav({ user }) {
  const here = usePath().split('?')[0];
  const current = ([href]) => here === href || (href !== '/admin' && here.startsWith(`${href}/`));
  return html`<nav class="adm-nav" aria-label=${t('adm.nav.label')}><ul>
    ${pagesFor(user).map((p) => html`<li><a href=${p[0]} aria-current=${current(p) ? 'page' : undefined}>${t(p[1])}</a></li>`)}
  </ul></nav>`;
}

// The notice of a page the person may not open; `who` names who may
// ('adm.forbidden' by default: admins only).
export function Forbidden({ who = 'adm.forbidden' }) {
  return html`<div class="notice notice-error"><p>${t(who)}</p></div>`;
}
