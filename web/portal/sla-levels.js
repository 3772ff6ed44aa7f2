// The service levels explained beside the inclusion forms: each one's
// answer time and who gets it (GET /api/v1/sla/levels, public).
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api } from '../api.js';
import { useLang } from '../context.js';
import { useFormat } from '../format.js';

const SHOWN = ['partner_gold', 'partner_silver', 'partner_bronze', 'commercial', 'non_commercial'];

export function LevelsAside({ highlight }) {
  const lang = useLang();
  const f = useFormat();
  const [levels, setLevels] = useState(null);
  useEffect(() => api.get('/sla/levels', (o) => setLevels(o.levels)), []);
  const list = (levels || []).filter((l) => SHOWN.includes(l.code))
    .sort((a, b) => (b.code === highlight) - (a.code === highlight)); // the one asked for first
  return html`<aside class="split-side" aria-labelledby="levels-title">
    <h2 id="levels-title">${t('incl.levels')}</h2>
    <p class="hint">${t('incl.levels_hint')}</p>
    ${!levels && html`<div class="placeholder placeholder-levels-side"></div>`}
    <ul class="levels levels-side">
      ${list.map((l) => html`<li key=${l.code} class=${`level-card${l.code === highlight ? ' level-here' : ''}`}>
        <h3>${l.name[lang] || l.name.es}</h3>
        <p class="level-time">${tn('incl.hours', l.response_minutes / 60, { h: f.number(l.response_minutes / 60) })}</p>
        <p>${l.description[lang] || l.description.es}</p>
        ${l.code === highlight && html`<p><strong>${t('incl.this_form')}</strong></p>`}
      </li>`)}
    </ul>
  </aside>`;
}
