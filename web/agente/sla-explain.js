// "¿Por qué este plazo?": how the due time was computed
// (GET /tickets/N/sla/explain): the level and the rule that chose it, the
// start, each stretch of open time counted, what was skipped, each pause
// (rendered by ui/sla-explain.js, shared with the admin's what-if).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { ExplainBody } from '../ui/sla-explain.js';

export function SlaExplain({ n }) {
  const [x, setX] = useState(null);
  const [error, setError] = useState('');
  const load = (open) => { if (open && !x) api.get(`/tickets/${n}/sla/explain`, setX, (e) => setError(errorMessage(e))); };
  return html`<details class="details ag-explain" onToggle=${(e) => load(e.currentTarget.open)}>
    <summary>${t('explain.title')}</summary>
    ${error && html`<p class="error-message">${error}</p>`}
    ${x && html`<${ExplainBody} x=${x} />`}
  </details>`;
}
