// /supervisor: the dashboard. The period, level and agent are the address
// (?desde=&hasta=&nivel=&agente=: bookmarkable); every figure comes from
// GET /reports/dashboard as it is, and links to the tickets behind it. It
// fetches again when the feed of changes names a ticket.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { duration } from '../ui/sla-badge.js';
import { useChanges } from '../ui/live.js';
import { SupNav, Forbidden, canSupervise, period, apiQuery, figureHref, consoleHref } from './common.js';
import { Filters } from './filters.js';
import { SlaFigures, percent } from './dash-sla.js';
import { FlowFigures } from './dash-flow.js';
import { QualityFigures } from './dash-quality.js';
import { KbFigures } from './dash-kb.js';

// The figures a supervisor looks at first, each a link.
function Glance({ d, p, f }) {
  const backlog = d.backlog.by_status.reduce((s, r) => s + r.count, 0);
  const fr = d.first_response.median_business_minutes;
  const items = [
    [t('sup.glance.compliance'), percent(f, d.sla.compliance_percent), '#fig-sla-level'],
    [t('sup.glance.breached'), f.number(d.sla.breached), figureHref('breached', d, p)],
    [t('sup.glance.first'), fr == null ? '—' : duration(f, fr), '#fig-first'],
    [t('sup.glance.backlog'), f.number(backlog), consoleHref({ nivel: p.nivel, asignado: p.agente })],
    [t('sup.glance.csat'), d.satisfaction.average == null ? '—' : f.number(d.satisfaction.average, { maximumFractionDigits: 2 }), '#fig-csat'],
  ];
  return html`<section aria-labelledby="glance-h" class="sup-glance">
    <h2 id="glance-h" class="visually-hidden">${t('sup.glance')}</h2>
    <ul>${items.map(([label, value, href]) => html`<li><a href=${href}>
      <span class="sup-glance-value">${value}</span><span class="sup-glance-label">${label}</span></a></li>`)}</ul>
  </section>`;
}

export default function Dashboard({ query }) {
  const { user } = useSession();
  const f = useFormat();
  const p = period(query);
  const key = apiQuery(p).toString();
  const [d, setD] = useState(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const allowed = canSupervise(user);

  useEffect(() => (allowed ? api.get(`/reports/dashboard?${key}`, (out) => { setD(out); setError(''); },
    (e) => setError(errorMessage(e))) : undefined), [key, tick, allowed]);
  useChanges(() => setTick((n) => n + 1));

  if (!allowed) return html`<${Page} title=${t('sup.title')}><${Forbidden} /></${Page}>`;
  const range = t('sup.range', { from: f.date(`${p.desde}T12:00:00Z`, 'UTC'), to: f.date(`${p.hasta}T12:00:00Z`, 'UTC') });
  return html`<${Page} title=${t('sup.title')} wide>
    <${SupNav} />
    <${Filters} p=${p} path="/supervisor" />
    <p class="sup-range" role="status">${d ? range : ''}</p>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${!d && !error && html`<div class="placeholder sup-placeholder"></div>`}
    ${d && html`<${Glance} d=${d} p=${p} f=${f} />
      <${SlaFigures} d=${d} p=${p} f=${f} />
      <${FlowFigures} d=${d} p=${p} f=${f} />
      <${QualityFigures} d=${d} p=${p} f=${f} />
      <${KbFigures} q=${apiQuery(p)} p=${p} f=${f} tick=${tick} />`}
  </${Page}>`;
}
