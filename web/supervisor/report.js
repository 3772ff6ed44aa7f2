// /supervisor/informe?mes=2026-11: the monthly report for the partner's own
// review, printable (styles/supervisor.css, @media print): a first page
// for the whole desk, then one page per level that had tickets, each from
// GET /reports/dashboard for that month and level.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession, useLang } from '../context.js';
import { useFormat } from '../format.js';
import { navigate } from '../router.js';
import { Page } from '../ui/page.js';
import { duration } from '../ui/sla-badge.js';
import { Field } from '../ui/field.js';
import { SupNav, Forbidden, canSupervise, today, addDays } from './common.js';
import { OUTCOMES, percent, outcomeColumns } from './dash-sla.js';
import { DataTable } from './figure.js';

// The month before the current one: "2026-11".
function lastMonth() {
  const d = today();
  return addDays(`${d.slice(0, 8)}01`, -1).slice(0, 7);
}
function nextMonth(mes) {
  const [y, m] = mes.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function LevelPage({ title, d, f, level, children }) {
  const mins = (v) => (v == null ? '—' : duration(f, v));
  const created = d.days.reduce((s, r) => s + r.created, 0);
  const solved = d.days.reduce((s, r) => s + r.solved, 0);
  const rows = [
    [t('sup.col.created'), f.number(created)],
    [t('sup.col.solved'), f.number(solved)],
    ...OUTCOMES.map((k) => [t(`sup.outcome.${k}`), f.number(d.sla[k])]),
    [t('sup.compliance'), percent(f, d.sla.compliance_percent)],
    [t('sup.report.first_median'), mins(d.first_response.median_business_minutes)],
    [t('sup.report.first_p90'), mins(d.first_response.p90_business_minutes)],
    [t('sup.report.csat'), d.satisfaction.average == null ? '—'
      : tn('sup.csat.lead', d.satisfaction.answers, { avg: f.number(d.satisfaction.average, { maximumFractionDigits: 2 }), n: f.number(d.satisfaction.answers) })],
    [t('sup.review.requested'), f.number(d.supervisor_reviews.requested)],
  ].map(([label, value]) => ({ label, value }));
  const last = new Date(Date.parse(d.to) - 86400000).toISOString();
  return html`<section class="sup-report-page" aria-label=${title}>
    <h2>${title}</h2>
    <p>${t('sup.report.period', { from: f.date(d.from, d.zone), to: f.date(last, d.zone) })}
      ${level && level.response_minutes != null && html` ${t('sup.report.target', {
        target: `${duration(f, level.response_minutes)} (${t(`sla.clock.${level.clock}`)})` })}`}</p>
    <${DataTable} caption=${title} rows=${rows}
      columns=${[{ key: 'label', label: t('sup.col.measure') }, { key: 'value', label: t('sup.col.value'), num: true }]} />
    ${d.satisfaction.comments.length > 0 && html`<h3>${t('sup.comments')}</h3>
      <ul class="sup-comments">${d.satisfaction.comments.slice(0, 5).map((c) => html`<li>
        <p class="sup-comment-head">Ticket#${c.number} · ${t('sup.rating', { n: c.rating })}</p><blockquote>${c.comment}</blockquote></li>`)}</ul>`}
    ${children}
  </section>`;
}

export default function MonthlyReport({ query }) {
  const { user } = useSession();
  const lang = useLang();
  const f = useFormat();
  const mes = /^\d{4}-(0[1-9]|1[0-2])$/.test(query.get('mes') || '') ? query.get('mes') : lastMonth();
  const [pages, setPages] = useState(null);
  const [error, setError] = useState('');
  const allowed = canSupervise(user);

  useEffect(() => {
    if (!allowed) return undefined;
    setPages(null);
    const ctl = new AbortController();
    const get = (path) => api.request('GET', path, undefined, { signal: ctl.signal });
    const range = `from=${mes}-01&to=${nextMonth(mes)}-01`;
    get('/sla/levels').then((lv) => Promise.all([get(`/reports/dashboard?${range}`),
      ...lv.levels.map((l) => get(`/reports/dashboard?${range}&level=${encodeURIComponent(l.code)}`)
        .then((d) => ({ name: l.name[lang] || l.code, level: l, d })))]))
      .then(([all, ...levels]) => { setPages({ all, levels }); setError(''); })
      .catch((e) => { if (e.name !== 'AbortError') setError(errorMessage(e)); });
    return () => ctl.abort();
  }, [mes, allowed, lang]);

  const month = new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${mes}-15T12:00:00Z`));
  const title = t('sup.report.title', { month });
  if (!allowed) return html`<${Page} title=${title}><${Forbidden} /></${Page}>`;
  const busy = (d) => d.days.some((r) => r.created || r.solved) || OUTCOMES.some((k) => d.sla[k]);
  const shown = pages ? pages.levels.filter((l) => busy(l.d)) : [];
  const quiet = pages ? pages.levels.filter((l) => !busy(l.d)).map((l) => l.name) : [];
  return html`<${Page} title=${title} wide>
    <div class="sup-noprint">
      <${SupNav} />
      <form class="sup-filters filters" onSubmit=${(e) => { e.preventDefault(); window.print(); }}>
        <${Field} id="f-mes" type="month" label=${t('sup.report.month')} value=${mes} width="short"
          onInput=${(v) => v && navigate(`/supervisor/informe?mes=${v}`, { replace: true })} />
        <div class="actions"><button type="submit" class="button">${t('sup.report.print')}</button></div>
      </form>
    </div>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${!pages && !error && html`<div class="placeholder sup-placeholder"></div>`}
    ${pages && html`<${LevelPage} title=${t('sup.report.all')} d=${pages.all} f=${f}>
        <h3>${t('sup.report.levels')}</h3>
        <${DataTable} caption=${t('sup.report.levels')} rows=${pages.all.sla_by_level.map((r) => ({ ...r, label: r.name }))}
          columns=${outcomeColumns(f, { key: 'label', label: t('sup.col.level') })} />
        ${quiet.length > 0 && html`<p class="sup-report-quiet">${t('sup.report.quiet', { list: quiet.join(', ') })}</p>`}
        <p class="sup-report-foot">${t('sup.report.foot', { when: f.dateTime(pages.all.as_of) })}</p>
      </${LevelPage}>
      ${shown.map((l) => html`<${LevelPage} key=${l.name} title=${l.name} d=${l.d} f=${f} level=${l.level} />`)}`}
  </${Page}>`;
}
