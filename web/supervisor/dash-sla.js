// The dashboard's SLA figures: compliance by level and by agent (met on
// time, late, breached, running) and the first response's median and 90th
// percentile in business minutes.
import { html } from '../html.js';
import { t } from '../i18n.js';
import { duration } from '../ui/sla-badge.js';
import { DataFigure } from './figure.js';
import { HBars } from './chart.js';
import { figureHref, agentName, agentKey } from './common.js';

export const OUTCOMES = ['met_on_time', 'met_late', 'breached', 'running'];

export const percent = (f, v) => (v == null ? '—' : f.number(v / 100, { style: 'percent', maximumFractionDigits: 1 }));

// The columns of an outcome table whose first column is `first`.
export function outcomeColumns(f, first) {
  return [
    first,
    ...OUTCOMES.map((k) => ({ key: k, label: t(`sup.outcome.${k}`), num: true, fmt: (v) => f.number(v) })),
    { key: 'compliance_percent', label: t('sup.compliance'), num: true, fmt: (v) => percent(f, v) },
  ];
}

// A row of outcomes with a link on each count; p: the filter it is under.
export function outcomeRow(d, r, p, label) {
  const href = {};
  for (const k of OUTCOMES) href[k] = figureHref(k, d, p);
  return { ...r, label, href };
}

function Compliance({ d, p, f, by }) {
  const level = by === 'level';
  const list = level ? d.sla_by_level : d.sla_by_agent;
  const rows = list.map((r) => outcomeRow(d, r, level ? { ...p, nivel: r.level } : { ...p, agente: agentKey(r.agent) },
    level ? r.name : agentName(r.agent)));
  rows.push(outcomeRow(d, d.sla, p, t('sup.total')));
  const first = { key: 'label', label: t(level ? 'sup.col.level' : 'sup.col.agent') };
  const title = t(level ? 'sup.fig.sla_level' : 'sup.fig.sla_agent');
  const chart = html`<${HBars} title=${title} format=${(v) => f.number(v)}
    series=${OUTCOMES.map((k) => t(`sup.outcome.${k}`))}
    rows=${rows.slice(0, -1).map((r) => ({ label: r.compliance_percent == null ? r.label : `${r.label} · ${percent(f, r.compliance_percent)}`,
      values: OUTCOMES.map((k) => r[k]) }))} />`;
  return html`<${DataFigure} id=${`fig-sla-${by}`} title=${title} chart=${list.length ? chart : null}
    columns=${outcomeColumns(f, first)} rows=${rows} csv=${`sla-${by}-${d.from.slice(0, 10)}`} />`;
}

export function SlaFigures({ d, p, f }) {
  const fr = d.first_response;
  const mins = (v) => (v == null ? '—' : duration(f, v));
  const rows = [
    { label: t('sup.first.tickets'), value: fr.tickets, href: { value: figureHref('first_response', d, p) } },
    { label: t('sup.first.median'), value: fr.median_business_minutes },
    { label: t('sup.first.p90'), value: fr.p90_business_minutes },
  ];
  const columns = [{ key: 'label', label: t('sup.col.measure') },
    { key: 'value', label: t('sup.col.value'), num: true, fmt: (v, r) => (r.href ? f.number(v) : mins(v)) }];
  return html`
    <${Compliance} d=${d} p=${p} f=${f} by="level" />
    <${Compliance} d=${d} p=${p} f=${f} by="agent" />
    <${DataFigure} id="fig-first" title=${t('sup.fig.first')} lead=${t('sup.first.lead')}
      columns=${columns} rows=${rows} csv=${`primera-respuesta-${d.from.slice(0, 10)}`} />`;
}
