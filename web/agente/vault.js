// The access data the customer left in the vault (policy 7.5), for the
// agent: each secret's label, expiry and reads. A secret is fetched only
// on an explicit "Mostrar" (each read is recorded in the history, with the
// reader), shown until "Ocultar", and never kept after that.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useFormat } from '../format.js';
import { Time } from '../ui/time.js';
import { HISTORY_EVENT } from './history.js';

export function AgentVault({ ticket, say, fail }) {
  const f = useFormat();
  const n = ticket.number;
  const [list, setList] = useState(null);
  const [shown, setShown] = useState({});
  const load = () => api.request('GET', `/tickets/${n}/secrets`).then((o) => { setList(o.secrets); return o.secrets; });
  useEffect(() => { load().catch(() => setList([])); }, [n, ticket.updated_at]);

  const reveal = async (s) => {
    try {
      const out = await api.request('GET', `/tickets/${n}/secrets/${s.id}`);
      setShown((o) => ({ ...o, [s.id]: out.secret }));
      dispatchEvent(new Event(HISTORY_EVENT));
      const now = (await load()).find((x) => x.id === s.id) || s;
      say(tn('agvault.read_done', now.reads, { label: s.label, n: now.reads, when: f.dateTime(now.expires_at) }));
    } catch (e) {
      fail(e.status === 404 ? t('agvault.not_yours') : errorMessage(e));
      load().catch(() => {});
    }
  };
  const hide = (s) => {
    setShown((o) => { const c = { ...o }; delete c[s.id]; return c; });
    say(t('agvault.hidden', { label: s.label }));
  };

  if (!list) return null;
  return html`<section class="ag-vault" aria-labelledby="ag-vault-title">
    <h3 id="ag-vault-title">${t('agvault.title')}</h3>
    ${list.length === 0 ? html`<p>${t('agvault.none')}</p>` : html`<p class="hint">${t('agvault.rule')}</p>
      <ul class="ag-vault-list">${list.map((s) => html`<li key=${s.id}>
        <strong>${s.label}</strong>
        <span class="ag-email">${s.state === 'active'
          ? html`${t('agvault.expires')} <${Time} iso=${s.expires_at} />`
          : t(`agvault.state.${s.state}`)}${' · '}${tn('agvault.reads', s.reads, { n: s.reads })}${s.last_read_at ? html`${' · '}${t('agvault.last_read')} <${Time} iso=${s.last_read_at} />` : ''}</span>
        ${shown[s.id] != null && html`<pre class="ag-secret" aria-label=${t('agvault.secret_named', { label: s.label })}>${shown[s.id]}</pre>`}
        ${s.state === 'active' && (shown[s.id] != null
          ? html`<button type="button" class="button button-secondary" onClick=${() => hide(s)}>${t('agvault.hide', { label: s.label })}</button>`
          : html`<button type="button" class="button button-secondary" onClick=${() => reveal(s)}>${t('agvault.show', { label: s.label })}</button>`)}
      </li>`)}</ul>`}
  </section>`;
}
