// A calendar's closures: an emergency pause from now, or one planned
// ahead, with its reason (published at once on the landing page and in the
// .ics); "¿Qué cambiaría?" before saving; those running or to come, each
// ended now or removed; past ones folded away.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useFormat } from '../format.js';
import { useForm, Form } from '../ui/form.js';
import { Field } from '../ui/field.js';
import { Moves } from './calendar-moves.js';
import { localNow, toInstant } from './calendar-time.js';

const HOUR = 3600000;
// An instant as the API takes it, to the second: '2026-12-01T16:40:00Z'.
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const FIELDS = { from: 'clo-from', to: 'clo-to', reason: 'clo-reason' };

export function Closures({ cal, save }) {
  const f = useFormat();
  const now = Date.now();
  const zone = cal.timezone;
  const [when, setWhen] = useState('now');
  const [from, setFrom] = useState(() => localNow(zone, new Date(now + 24 * HOUR)));
  const [to, setTo] = useState(() => localNow(zone, new Date(now + 2 * HOUR)));
  const [reason, setReason] = useState('');
  const [moves, setMoves] = useState(null);
  const [done, setDone] = useState('');
  const [fail, setFail] = useState('');
  const form = useForm(FIELDS);
  const list = (cal.closures || []).map((c, i) => ({ ...c, i, a: Date.parse(c.from), b: Date.parse(c.to) }));
  const current = list.filter((c) => c.b > now).sort((x, y) => x.a - y.a);
  const past = list.filter((c) => c.b <= now).sort((x, y) => y.a - x.a);
  const item = () => ({
    from: when === 'now' ? iso(Date.now()) : toInstant(from, zone),
    to: toInstant(to, zone),
    reason: reason.trim(),
  });
  const check = () => {
    const c = item();
    const errs = [];
    if (!c.reason) errs.push({ field: 'clo-reason', message: t('adm.cal.clo.reason_missing') });
    if (when === 'later' && !c.from) errs.push({ field: 'clo-from', message: t('adm.cal.clo.from_missing') });
    if (!c.to) errs.push({ field: 'clo-to', message: t('adm.cal.clo.to_missing') });
    else if (c.from && Date.parse(c.to) <= Date.parse(c.from)) errs.push({ field: 'clo-to', message: t('adm.cal.clo.to_before') });
    return errs;
  };
  const whatIf = () => form.submit(check, async () => setMoves(await api.post(`/calendars/${cal.name}/what-if`, { closure: item() })));
  const add = async () => {
    const ok = await form.submit(check, () => api.post(`/calendars/${cal.name}/closures`, item()));
    if (!ok) return;
    save(ok);
    setMoves(null);
    setReason('');
    setDone(t(when === 'now' ? 'adm.cal.clo.paused' : 'adm.cal.clo.planned'));
  };
  const change = (i, c) => {
    const closures = cal.closures.map((x, k) => (k === i ? c : x)).filter(Boolean);
    return api.put(`/calendars/${cal.name}`, { ...cal, closures }).then(save);
  };
  const after = (p, key, c) => p.then(() => { setFail(''); setDone(t(key, { reason: c.reason || '' })); }, (e) => setFail(errorMessage(e)));
  const endNow = (c) => after(change(c.i, { ...cal.closures[c.i], to: iso(Date.now()) }), 'adm.cal.clo.ended', c);
  const remove = (c) => after(change(c.i, null), 'adm.cal.clo.removed', c);
  const row = (c, actions) => html`<li>
    <strong>${c.reason || t('adm.cal.clo.no_reason')}</strong>${': '}<time datetime=${c.from}>${f.dateTime(c.from, zone)}</time> – <time datetime=${c.to}>${f.dateTime(c.to, zone)}</time>
    ${c.a <= now && c.b > now && html` <span class="adm-cal-tag">${t('adm.cal.clo.running')}</span>`}
    ${actions && html` <button type="button" class="button button-secondary adm-cal-inline" onClick=${() => (c.a <= now ? endNow(c) : remove(c))}
      aria-label=${`${t(c.a <= now ? 'adm.cal.clo.end' : 'adm.cal.clo.remove')}: ${c.reason || t('adm.cal.clo.no_reason')}`}>${t(c.a <= now ? 'adm.cal.clo.end' : 'adm.cal.clo.remove')}</button>`}
  </li>`;
  return html`<section aria-labelledby="clo-title" class="adm-cal-box">
    <h2 id="clo-title">${t('adm.cal.clo.title')}</h2>
    <p>${t('adm.cal.clo.lead')}</p>
    <div role="status">${done && html`<p class="notice notice-success">${done}</p>`}</div>
    <div role="alert">${fail && html`<p class="notice notice-error">${fail}</p>`}</div>
    ${current.length ? html`<ul class="adm-cal-list">${current.map((c) => row(c, true))}</ul>` : html`<p>${t('adm.cal.clo.none')}</p>`}
    ${past.length > 0 && html`<details class="details"><summary>${t('adm.cal.clo.past', { n: past.length })}</summary>
      <ul class="adm-cal-list">${past.map((c) => row(c, false))}</ul></details>`}
    <h3>${t('adm.cal.clo.add')}</h3>
    <${Form} form=${form} submit=${t(when === 'now' ? 'adm.cal.clo.submit_now' : 'adm.cal.clo.submit_later')} onSubmit=${add}
      secondary=${html`<button type="button" class="button button-secondary" onClick=${whatIf}>${t('adm.cal.whatif')}</button>`}>
      <${Field} id="clo-reason" label=${t('adm.cal.clo.reason')} hint=${t('adm.cal.clo.reason_hint')} value=${reason} onInput=${setReason} error=${form.fieldError('clo-reason')} />
      <${Field} id="clo-when" as="select" label=${t('adm.cal.clo.when')} value=${when} onInput=${setWhen}
        options=${[{ value: 'now', label: t('adm.cal.clo.when_now') }, { value: 'later', label: t('adm.cal.clo.when_later') }]} />
      ${when === 'later' && html`<${Field} id="clo-from" type="datetime-local" label=${t('adm.cal.clo.from')} hint=${t('adm.cal.zone_hint', { zone })}
        value=${from} onInput=${setFrom} error=${form.fieldError('clo-from')} />`}
      <${Field} id="clo-to" type="datetime-local" label=${t('adm.cal.clo.to')} hint=${t('adm.cal.zone_hint', { zone })}
        value=${to} onInput=${setTo} error=${form.fieldError('clo-to')} />
    </${Form}>
    <${Moves} moves=${moves} id="clo-moves" />
  </section>`;
}
