// /admin/inclusion: the SLA inclusion requests waiting for a decision, the
// oldest first (GET /api/v1/sla-inclusion), each approved into a company or
// rejected with a reason that is mailed to the requester.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { useNotice } from './people-list.js';
import { InclusionItem } from './inclusion-item.js';

export default function Inclusion() {
  const { user } = useSession();
  const f = useFormat();
  const [data, setData] = useState(null);
  const [error, setError] = useState('');
  const [tick, setTick] = useState(0);
  const [notice, say] = useNotice('inc-aviso');
  useEffect(() => {
    if (!canAdmin(user)) return undefined;
    const ctl = new AbortController();
    const get = (path) => api.request('GET', path, undefined, { signal: ctl.signal });
    Promise.all([get('/sla-inclusion'), get('/companies?limit=1000')])
      .then(([r, c]) => { setData({ requests: r.requests, companies: c.companies }); setError(''); })
      .catch((e) => { if (e.name !== 'AbortError') setError(errorMessage(e)); });
    return () => ctl.abort();
  }, [tick]);

  if (!canAdmin(user)) return html`<${Page} title=${t('adm.incl.title')}><${Forbidden} /></${Page}>`;
  const done = (text) => { say(text); setTick((n) => n + 1); };
  return html`<${Page} title=${t('adm.incl.title')} lead=${t('adm.incl.lead')} wide>
    <${AdminNav} user=${user} />
    ${notice}
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p class="adm-count">${data ? (data.requests.length ? tn('adm.incl.count', data.requests.length, { n: f.number(data.requests.length) }) : t('adm.incl.none')) : ''}</p>
    ${data && data.requests.length > 0 && html`<ul class="adm-requests">
      ${data.requests.map((r) => html`<${InclusionItem} key=${r.number} r=${r} companies=${data.companies} onDone=${done} />`)}
    </ul>`}
  </${Page}>`;
}
