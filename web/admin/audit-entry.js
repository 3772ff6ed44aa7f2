// One entry of the audit trail: when, who, what and on which object, and
// the change field by field (before, after) or, for an event that keeps
// no before, what it recorded.
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { Time } from '../ui/time.js';
import { loadStylesheet } from '../ui/stylesheet.js';

await loadStylesheet('/styles/admin-mail.css');

// A recorded value for people: empty is a dash, true/false are words,
// anything bigger is its compact JSON, cut.
export function valueText(v) {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return t(v ? 'adm.audit.yes' : 'adm.audit.no');
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  const s = JSON.stringify(v);
  return s.length > 240 ? `${s.slice(0, 239)}…` : s;
}

export const typeName = (type) => (has(`adm.audit.type.${type}`) ? t(`adm.audit.type.${type}`) : type);
const kindName = (kind) => (has(`adm.audit.kind.${kind}`) ? t(`adm.audit.kind.${kind}`) : kind);

function objectText(o) {
  if (!o || (o.id === null && !o.name)) return o ? typeName(o.type) : '';
  const id = o.name && String(o.name) !== String(o.id) ? `${o.name} (${o.id})` : String(o.id);
  return `${typeName(o.type)} ${id}`;
}

export function AuditEntry({ e }) {
  const head = `adm-ev-${e.id}`;
  const details = Object.entries(e.details || {});
  return html`<li class="adm-ev">
    <article aria-labelledby=${head}>
      <h2 id=${head} class="adm-ev-title">${kindName(e.kind)}${e.object ? html` · <span>${objectText(e.object)}</span>` : ''}</h2>
      <p class="adm-ev-meta"><${Time} iso=${e.at} /> · ${e.who ? html`<a href=${`/admin/auditoria?actor=${e.who.id}`}>${e.who.name}</a>` : t('adm.audit.system')}</p>
      ${e.changes.length > 0 && html`<div class="table-scroll" tabindex="0" role="region" aria-label=${t('adm.audit.changes_of', { what: kindName(e.kind), id: e.id })}>
        <table class="adm-diff">
          <caption class="visually-hidden">${t('adm.audit.changes_of', { what: kindName(e.kind), id: e.id })}</caption>
          <thead><tr><th scope="col">${t('adm.audit.field')}</th><th scope="col">${t('adm.audit.before')}</th><th scope="col">${t('adm.audit.after')}</th></tr></thead>
          <tbody>${e.changes.map((c) => html`<tr>
            <th scope="row"><code>${c.field}</code></th>
            <td><del>${valueText(c.before)}</del></td>
            <td><ins>${valueText(c.after)}</ins></td>
          </tr>`)}</tbody>
        </table>
      </div>`}
      ${details.length > 0 && html`<dl class="adm-facts adm-ev-details">
        ${details.map(([k, v]) => html`<div><dt><code>${k}</code></dt><dd>${valueText(v)}</dd></div>`)}
      </dl>`}
    </article>
  </li>`;
}
