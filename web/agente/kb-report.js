// The knowledge base's report for supervisors and admins (GET
// /reports/kb?days=30) on the articles page: readers, "¿Le sirvió?",
// suggestions opened and tickets they spared, and what people searched
// for without finding it (what to write next).
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { useFormat } from '../format.js';

export function KbReport() {
  const [r, setR] = useState(null);
  const f = useFormat();
  useEffect(() => api.get('/reports/kb?days=30', setR, () => setR(null)), []);
  if (!r) return null;
  const fig = (key, n) => html`<div><dt>${t(key)}</dt><dd>${f.number(n)}</dd></div>`;
  return html`<section class="kb-report" aria-labelledby="kb-report-title">
    <h2 id="kb-report-title">${tn('kbr.title', r.days, { days: r.days })}</h2>
    <dl class="kb-figures">
      ${fig('kbr.views', r.views)}
      ${fig('kbr.yes', r.helpful.yes)}
      ${fig('kbr.no', r.helpful.no)}
      ${fig('kbr.opened', r.suggestions_opened)}
      ${fig('kbr.deflected', r.deflected)}
      ${fig('kbr.searches', r.searches)}
    </dl>
    <h3>${t('kbr.no_result')}</h3>
    ${r.no_result.length ? html`<ul class="kb-missing">${r.no_result.map((x) => html`<li key=${x.q}>
        «${x.q}» <span class="hint">${t('kbr.times', { n: x.count })}</span></li>`)}</ul>`
      : html`<p class="hint">${t('kbr.no_result_none')}</p>`}
  </section>`;
}
