// The dashboard's quality figures: satisfaction (average, distribution,
// the latest comments), customers' requests for a supervisor's review and
// the development reviews coming due.
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { Time } from '../ui/time.js';
import { DataFigure } from './figure.js';
import { HBars } from './chart.js';
import { figureHref, consoleHref } from './common.js';

const stars = (n) => '★'.repeat(n) + '☆'.repeat(5 - n);

function Satisfaction({ d, p, f }) {
  const s = d.satisfaction;
  const num = (v) => f.number(v);
  const rows = [...s.ratings].reverse().map((r) => ({
    label: t('sup.rating', { n: r.rating }), rating: r.rating, count: r.count,
    href: { count: figureHref(`rating_${r.rating}`, d, p) },
  }));
  const title = t('sup.fig.csat');
  const lead = s.average == null ? t('sup.csat.none')
    : tn('sup.csat.lead', s.answers, { avg: f.number(s.average, { maximumFractionDigits: 2 }), n: num(s.answers) });
  const chart = html`<${HBars} title=${title} series=${[t('sup.col.answers')]} format=${num}
    rows=${rows.map((r) => ({ label: r.label, values: [r.count] }))} />`;
  return html`<${DataFigure} id="fig-csat" title=${title} lead=${lead} chart=${s.answers ? chart : null}
    columns=${[{ key: 'label', label: t('sup.col.rating'), csv: (v, r) => r.rating },
      { key: 'count', label: t('sup.col.answers'), num: true, fmt: num }]}
    rows=${rows} csv=${`satisfaccion-${d.from.slice(0, 10)}`}>
    <h3>${t('sup.comments')}</h3>
    ${s.comments.length ? html`<ul class="sup-comments">
      ${s.comments.map((c) => html`<li>
        <p class="sup-comment-head"><a href=${`/agente/tickets/${c.number}`}>Ticket#${c.number}</a>
          <span aria-hidden="true" class="sup-stars">${stars(c.rating)}</span>
          <span class="visually-hidden">${t('sup.rating', { n: c.rating })}</span>
          · <${Time} iso=${c.answered_at} kind="date" /></p>
        <blockquote>${c.comment}</blockquote>
      </li>`)}
    </ul>` : html`<p>${t('sup.comments.none')}</p>`}
  </${DataFigure}>`;
}

function Reviews({ d, p, f }) {
  const r = d.supervisor_reviews;
  const rows = [
    { label: t('sup.review.requested'), value: r.requested, href: { value: figureHref('review_requested', d, p) } },
    { label: t('sup.review.answered'), value: r.answered, href: { value: figureHref('review_answered', d, p) } },
    { label: t('sup.review.open'), value: r.open, href: { value: figureHref('review_open', null, p) } },
    { label: t('sup.review.dev_due'), value: d.development_reviews.due,
      href: { value: consoleHref({ vista: 'dev_due', nivel: p.nivel, asignado: p.agente }) } },
  ];
  return html`<${DataFigure} id="fig-reviews" title=${t('sup.fig.reviews')} lead=${t('sup.review.lead')}
    columns=${[{ key: 'label', label: t('sup.col.measure') },
      { key: 'value', label: t('sup.col.tickets'), num: true, fmt: (v) => f.number(v) }]}
    rows=${rows} csv=${`revisiones-${d.from.slice(0, 10)}`} />`;
}

export function QualityFigures(props) {
  return html`<${Satisfaction} ...${props} /><${Reviews} ...${props} />`;
}
