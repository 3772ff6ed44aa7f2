// The dashboard's help centre figures (issue 12, item 7), over the
// dashboard's period: readers, "¿Le sirvió?", suggestions opened from the
// new-ticket form and the tickets they spared (deflected), searches, and
// what was searched without a result (what to write next). They come from
// GET /reports/kb as it is; the level and agent filters do not apply (an
// article has no level), and the page says so.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { DataFigure } from './figure.js';
import { HBars } from './chart.js';

export function KbFigures({ q, p, f, tick }) {
  const [r, setR] = useState(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => api.get(`/reports/kb?from=${q.get('from')}&to=${q.get('to')}`, (out) => { setR(out); setFailed(false); },
    () => setFailed(true)), [q.toString(), tick]);
  if (failed) return html`<section class="sup-fig" aria-labelledby="fig-kb"><h2 id="fig-kb">${t('sup.kb.title')}</h2>
    <p>${t('sup.kb.failed')}</p></section>`;
  if (!r) return null;
  const num = (v) => f.number(v);
  const rows = [
    { label: t('sup.kb.views'), key: 'views', value: r.views },
    { label: t('sup.kb.yes'), key: 'helpful_yes', value: r.helpful.yes },
    { label: t('sup.kb.no'), key: 'helpful_no', value: r.helpful.no },
    { label: t('sup.kb.opened'), key: 'suggestions_opened', value: r.suggestions_opened },
    { label: t('sup.kb.deflected'), key: 'deflected', value: r.deflected },
    { label: t('sup.kb.searches'), key: 'searches', value: r.searches },
    { label: t('sup.kb.empty'), key: 'no_result', value: r.no_result.reduce((s, x) => s + x.count, 0) },
  ];
  const title = t('sup.kb.title');
  const filtered = p.nivel || p.agente;
  const lead = `${t('sup.kb.lead')}${filtered ? ` ${t('sup.kb.unfiltered')}` : ''}`;
  const chart = html`<${HBars} title=${title} series=${[t('sup.col.value')]} format=${num}
    rows=${rows.map((x) => ({ label: x.label, values: [x.value] }))} />`;
  const day = r.from.slice(0, 10);
  return html`<${DataFigure} id="fig-kb" title=${title} lead=${lead} chart=${chart}
    columns=${[{ key: 'label', label: t('sup.col.measure'), csv: (v, x) => x.key },
      { key: 'value', label: t('sup.col.value'), num: true, fmt: num }]}
    rows=${rows} csv=${`centro-de-ayuda-${day}`} />
  <${DataFigure} id="fig-kb-missing" title=${t('sup.kb.missing')} lead=${t('sup.kb.missing_lead')}
    columns=${[{ key: 'q', label: t('sup.kb.col.q') }, { key: 'count', label: t('sup.kb.col.times'), num: true, fmt: num }]}
    rows=${r.no_result} csv=${`busquedas-sin-resultado-${day}`} />`;
}
