// An article's revisions (every save of a text) and the difference between
// two of one language: GET /kb/articles/N/revisions and /diff?from=&to=.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { Time } from '../ui/time.js';

function Diff({ d }) {
  const sign = { '+': '+', '-': '−', ' ': ' ' };
  return html`<div class="kb-diff">
    ${d.title.from !== d.title.to && html`<p>${t('kbe.diff_title', { from: d.title.from, to: d.title.to })}</p>`}
    <pre class="kb-diff-lines">${d.lines.map((l) => {
      const tag = l.op === '+' ? 'ins' : l.op === '-' ? 'del' : 'span';
      return html`<${tag} class=${`kb-diff-line kb-diff-${l.op === '+' ? 'add' : l.op === '-' ? 'del' : 'same'}`}><span aria-hidden="true">${sign[l.op]} </span>${l.op === '+' ? html`<span class="visually-hidden">${t('kbe.diff_added')} </span>` : ''}${l.op === '-' ? html`<span class="visually-hidden">${t('kbe.diff_removed')} </span>` : ''}${l.text}${'\n'}</${tag}>`;
    })}</pre>
  </div>`;
}

export function KbRevisions({ id, version }) {
  const [revs, setRevs] = useState(null);
  const [diff, setDiff] = useState(null);
  const [error, setError] = useState('');
  useEffect(() => api.get(`/kb/articles/${id}/revisions`, (out) => setRevs(out.revisions), () => setRevs([])), [id, version]);
  const show = async (newer, older) => {
    try {
      setDiff(await api.request('GET', `/kb/articles/${id}/diff?from=${older.id}&to=${newer.id}`));
      setError('');
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  if (!revs) return null;
  // Each revision against the one before it in the same language.
  const before = (r, i) => revs.slice(i + 1).find((o) => o.lang === r.lang);
  return html`<section class="kb-revisions" aria-labelledby="kb-rev-title">
    <h2 id="kb-rev-title">${t('kbe.revisions')}</h2>
    <ol class="kb-rev-list">${revs.map((r, i) => html`<li key=${r.id}>
      <${Time} iso=${r.created_at} /> · ${r.author.name} · ${t(`kbe.lang.${r.lang}`)} · ${t(`kbe.state.${r.state}`)}
      ${before(r, i) && html` · <button type="button" class="link-button" onClick=${() => show(r, before(r, i))}>
        ${t('kbe.diff_show')}<span class="visually-hidden"> (${r.title})</span></button>`}
    </li>`)}</ol>
    ${error && html`<p class="error-message">${error}</p>`}
    <div aria-live="polite">${diff && html`<${Diff} d=${diff} />`}</div>
  </section>`;
}
