// The versions of an SLA level (admin/sla-level.js): each with when and by
// whom it was saved, its target and the open tickets that run on it (a link
// to the agent console's queue of them); two versions chosen and the
// difference between them as a table: field, before, after.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useFormat } from '../format.js';
import { Time } from '../ui/time.js';
import { Field } from '../ui/field.js';
import { target, fieldValue, queueHref } from './sla-fmt.js';
import { SlaTable } from './sla-table.js';

export function History({ code, versions }) {
  const f = useFormat();
  const columns = ['version', 'saved', 'by', 'target', 'open'].map((k) => ({ label: t(`adm.sla.col.${k}`), num: k === 'open' }));
  const open = (v) => (v.open_tickets ? html`<a href=${queueHref(code, v.version)}
    aria-label=${tn('adm.sla.open_link', v.open_tickets, { n: f.number(v.open_tickets), v: v.version })}>${f.number(v.open_tickets)}</a>` : f.number(0));
  const rows = versions.map((v) => ({
    key: v.version,
    cells: [
      html`${t('adm.sla.version_n', { n: v.version })}${v.current ? html` <span class="adm-sla-tag">${t('adm.sla.current')}</span>` : ''}`,
      html`<${Time} iso=${v.created_at} />`,
      v.created_by ? v.created_by.name : t('adm.sla.by_install'),
      target(f, v),
      open(v),
    ],
  }));
  return html`<${SlaTable} caption=${t('adm.sla.history')} hideCaption columns=${columns} rows=${rows} />`;
}

function DiffTable({ d, calendars }) {
  const f = useFormat();
  if (!d.changes.length) return html`<p class="adm-sla-same">${t('adm.sla.diff_same', { from: d.from.version, to: d.to.version })}</p>`;
  const columns = ['field', 'before', 'after'].map((k) => ({ label: t(`adm.sla.col.${k}`) }));
  const rows = d.changes.map((c) => ({
    key: c.field,
    cells: [t(`adm.sla.f.${c.field}`), html`<del>${fieldValue(f, c.field, c.before, calendars)}</del>`, html`<ins>${fieldValue(f, c.field, c.after, calendars)}</ins>`],
  }));
  return html`<${SlaTable} caption=${t('adm.sla.diff_caption', { from: d.from.version, to: d.to.version })} className="adm-sla-diff"
    columns=${columns} rows=${rows} />`;
}

// from, to: the versions to compare (numbers); calendars: GET /calendars's
// list; onChoose(from, to) puts a new choice in the address.
export function Compare({ code, versions, calendars, from, to, onChoose }) {
  const [a, setA] = useState(String(from));
  const [b, setB] = useState(String(to));
  const [diff, setDiff] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => { setA(String(from)); setB(String(to)); }, [from, to]);
  useEffect(() => api.get(`/sla/levels/${code}/diff?from=${from}&to=${to}`, (d) => { setDiff(d); setError(''); },
    (e) => { setDiff(null); setError(errorMessage(e)); }), [code, from, to, versions.length]);
  const options = versions.map((v) => ({ value: String(v.version), label: t('adm.sla.version_n', { n: v.version }) }));
  return html`<form class="adm-sla-compare" onSubmit=${(e) => { e.preventDefault(); onChoose(Number(a), Number(b)); }}>
    <${Field} id="desde" as="select" label=${t('adm.sla.from')} value=${a} onInput=${setA} options=${options} />
    <${Field} id="hasta" as="select" label=${t('adm.sla.to')} value=${b} onInput=${setB} options=${options} />
    <div class="actions"><button type="submit" class="button button-secondary">${t('adm.sla.compare')}</button></div>
  </form>
  ${error && html`<p class="error-message">${error}</p>`}
  <div aria-live="polite">${diff && html`<${DiffTable} d=${diff} calendars=${calendars} />`}</div>`;
}
