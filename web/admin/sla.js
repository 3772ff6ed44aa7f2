// /admin/sla: the SLA levels, each with its target, its current version and
// its open tickets (on any version, and on the current one), linked to its
// page (admin/sla-level.js) and to the queue of those tickets. Admins only.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, lang } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { target, queueHref } from './sla-fmt.js';
import { SlaTable } from './sla-table.js';

await loadStylesheet('/styles/admin-sla.css');

// The cells of a level's row: name (to its page), target, version, open
// tickets on any version and on the current one (to the queue of them).
function cells(level, use, f) {
  const link = (n, href) => (n ? html`<a href=${href}>${f.number(n)}</a>` : f.number(0));
  return [
    html`<a href=${`/admin/sla/${level.code}`}>${level.name[lang()] || level.name.es}</a><span class="adm-sla-code">${level.code}</span>`,
    target(f, level),
    f.number(level.version),
    link(use ? use.open_tickets : 0, queueHref(level.code)),
    link(use ? use.open_on_current : 0, queueHref(level.code, level.version)),
  ];
}

export default function SlaLevels() {
  const { user } = useSession();
  const f = useFormat();
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const allowed = canAdmin(user);

  useEffect(() => {
    if (!allowed) return undefined;
    const ctl = new AbortController();
    const get = (path) => api.request('GET', path, undefined, { signal: ctl.signal });
    Promise.all([get('/sla/levels'), get('/sla/usage')])
      .then(([l, u]) => { setData({ levels: l.levels, usage: u.levels }); setError(''); })
      .catch((e) => { if (e.name !== 'AbortError') setError(errorMessage(e)); });
    return () => ctl.abort();
  }, [allowed]);

  if (!allowed) return html`<${Page} title=${t('adm.sla.title')}><${Forbidden} /></${Page}>`;
  return html`<${Page} title=${t('adm.sla.title')} lead=${t('adm.sla.lead')} wide>
    <${AdminNav} user=${user} />
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${!data && !error && html`<div class="placeholder adm-sla-placeholder"></div>`}
    ${data && html`<${SlaTable} caption=${t('adm.sla.table')} hideCaption
      columns=${['level', 'target', 'version', 'open', 'open_current'].map((k, i) => ({ label: t(`adm.sla.col.${k}`), num: i > 1 }))}
      rows=${data.levels.map((l) => ({ key: l.code, cells: cells(l, data.usage.find((u) => u.code === l.code), f) }))} />
    <p class="adm-sla-note">${t('adm.sla.note')}</p>`}
  </${Page}>`;
}
