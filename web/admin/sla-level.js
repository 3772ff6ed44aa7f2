// /admin/sla/CODE: one SLA level. Its form (admin/sla-form.js): each save
// is a new version, and the open tickets keep the version they started on;
// its versions and the difference between two of them
// (admin/sla-history.js), chosen in the address (?desde=N&hasta=M, put
// there with replaceState: choosing keeps the focus where it is). Admins
// only.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, lang, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { useFormat } from '../format.js';
import { Page } from '../ui/page.js';
import { Time } from '../ui/time.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { SlaForm } from './sla-form.js';
import { History, Compare } from './sla-history.js';
import { levelName, queueHref } from './sla-fmt.js';

await loadStylesheet('/styles/admin-sla.css');

const num = (s) => (/^\d+$/.test(s || '') ? Number(s) : 0);

export default function SlaLevel({ params, query }) {
  const { user } = useSession();
  const f = useFormat();
  const code = params.code;
  const [data, setData] = useState(null);
  const [calendars, setCalendars] = useState([]);
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [tick, setTick] = useState(0);
  const [pair, setPair] = useState([num(query.get('desde')), num(query.get('hasta'))]);
  const noticeRef = useRef(null);
  const allowed = canAdmin(user);

  useEffect(() => {
    if (!allowed) return undefined;
    return api.get(`/sla/levels/${code}/versions`, (d) => { setData(d); setError(''); }, (e) => setError(errorMessage(e)));
  }, [code, tick, allowed]);
  useEffect(() => (allowed ? api.get('/calendars', (c) => setCalendars(c.calendars), () => {}) : undefined), [allowed]);
  useEffect(() => { if (notice && noticeRef.current) noticeRef.current.focus(); }, [notice]);

  if (!allowed) return html`<${Page} title=${t('adm.sla.title')}><${Forbidden} /></${Page}>`;
  if (!data) {
    return html`<${Page} title=${t('adm.sla.title')} wide>
      <${AdminNav} user=${user} />
      ${error ? html`<div class="notice notice-error" role="alert"><p>${error}</p></div>` : html`<div class="placeholder adm-sla-placeholder"></div>`}
    </${Page}>`;
  }
  const cur = data.current;
  const n = data.versions.length;
  // The two versions compared: the address's, else the last change.
  const to = pair[1] || cur.version;
  const from = pair[0] || Math.max(1, to - 1);
  const choose = (a, b) => {
    history.replaceState(null, '', `/admin/sla/${code}?desde=${a}&hasta=${b}`);
    setPair([a, b]);
  };
  const onSaved = (out) => {
    if (out.version === cur.version) setNotice(t('adm.sla.saved_same', { n: cur.version }));
    else {
      setNotice(t('adm.sla.saved', { n: out.version }));
      choose(cur.version, out.version);
    }
    setTick((x) => x + 1);
  };
  const who = cur.created_by ? cur.created_by.name : t('adm.sla.by_install');
  return html`<${Page} title=${t('adm.sla.level_title', { name: levelName(cur, lang()) })} wide>
    <${AdminNav} user=${user} />
    <p><a href="/admin/sla">${t('adm.sla.back')}</a></p>
    ${notice && html`<div class="notice notice-success" role="status" tabindex="-1" ref=${noticeRef}><p>${notice}</p></div>`}
    <p class="adm-sla-summary">
      ${t('adm.sla.summary', { n: cur.version, who })} <${Time} iso=${cur.created_at} />.
      ${' '}${cur.open_tickets ? html`<a href=${queueHref(code, cur.version)}>${tn('adm.sla.summary_open', cur.open_tickets, { n: f.number(cur.open_tickets) })}</a>` : t('adm.sla.summary_none')}
    </p>
    <div class="adm-split">
      <section aria-labelledby="sla-edit">
        <h2 id="sla-edit">${t('adm.sla.edit')}</h2>
        <p class="hint">${t('adm.sla.edit_hint')}</p>
        <${SlaForm} key=${cur.version} code=${code} level=${cur} calendars=${calendars} onSaved=${onSaved} />
      </section>
      <section aria-labelledby="sla-versions">
        <h2 id="sla-versions">${t('adm.sla.history')}</h2>
        <${History} code=${code} versions=${data.versions} />
        <h3>${t('adm.sla.diff')}</h3>
        ${n > 1 ? html`<${Compare} code=${code} versions=${data.versions} calendars=${calendars} from=${from} to=${to} onChoose=${choose} />`
          : html`<p>${t('adm.sla.diff_single')}</p>`}
      </section>
    </div>
  </${Page}>`;
}
