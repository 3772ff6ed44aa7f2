// The dashboard's flow figures: the backlog now (by status, by age) and the
// tickets created and solved per day of the period.
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { DataFigure } from './figure.js';
import { HBars, Lines } from './chart.js';
import { figureHref, consoleHref } from './common.js';

// "2026-11-03" as "3 nov" in the reader's language (a calendar day).
export const dayLabel = (f, day) => new Intl.DateTimeFormat(f.lang, { day: 'numeric', month: 'short', timeZone: 'UTC' })
  .format(new Date(`${day}T12:00:00Z`));

function Backlog({ d, p, f }) {
  const num = (v) => f.number(v);
  const status = d.backlog.by_status.map((r) => ({
    label: t(`ag.status.${r.status}`), count: r.count,
    href: { count: consoleHref({ vista: 'unsolved', estado: r.status, nivel: p.nivel, asignado: p.agente }) },
  }));
  const ages = d.backlog.by_age.map((r) => ({
    label: t(`sup.age.${r.age}`), count: r.count,
    href: { count: figureHref('created', r, p, 'unsolved') },
  }));
  const cols = (first) => [{ key: 'label', label: first }, { key: 'count', label: t('sup.col.tickets'), num: true, fmt: num }];
  const bars = (title, rows) => html`<${HBars} title=${title} series=${[t('sup.col.tickets')]} format=${num}
    rows=${rows.map((r) => ({ label: r.label, values: [r.count] }))} />`;
  const total = status.reduce((s, r) => s + r.count, 0);
  return html`
    <${DataFigure} id="fig-backlog-status" title=${t('sup.fig.backlog_status')} lead=${tn('sup.backlog.lead', total, { n: num(total) })}
      chart=${bars(t('sup.fig.backlog_status'), status)} columns=${cols(t('sup.col.status'))} rows=${status}
      csv="pendientes-por-estado" />
    <${DataFigure} id="fig-backlog-age" title=${t('sup.fig.backlog_age')}
      chart=${bars(t('sup.fig.backlog_age'), ages)} columns=${cols(t('sup.col.age'))} rows=${ages}
      csv="pendientes-por-antiguedad" />`;
}

function Flow({ d, p, f }) {
  const num = (v) => f.number(v);
  const weekly = d.days.length > 1 && new Date(d.days[1].from) - new Date(d.days[0].from) > 86400000;
  const rows = d.days.map((r) => ({
    label: dayLabel(f, r.day), day: r.day, created: r.created, solved: r.solved,
    href: { created: figureHref('created', r, p), solved: figureHref('solved', r, p) },
  }));
  const title = t(weekly ? 'sup.fig.flow_week' : 'sup.fig.flow');
  const chart = html`<${Lines} title=${title} labels=${rows.map((r) => r.label)} format=${num}
    series=${[{ name: t('sup.col.created'), values: rows.map((r) => r.created) },
      { name: t('sup.col.solved'), values: rows.map((r) => r.solved) }]} />`;
  const columns = [
    { key: 'label', label: t(weekly ? 'sup.col.week' : 'sup.col.day'), csv: (v, r) => r.day },
    { key: 'created', label: t('sup.col.created'), num: true, fmt: num },
    { key: 'solved', label: t('sup.col.solved'), num: true, fmt: num },
  ];
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  return html`<${DataFigure} id="fig-flow" title=${title} chart=${chart} columns=${columns} rows=${rows}
    lead=${t('sup.flow.lead', { created: num(sum('created')), solved: num(sum('solved')) })}
    csv=${`creados-resueltos-${d.from.slice(0, 10)}`} />`;
}

export function FlowFigures(props) {
  return html`<${Backlog} ...${props} /><${Flow} ...${props} />`;
}
