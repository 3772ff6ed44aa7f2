// "Enlazar un artículo" in a composer (issue 12): search the knowledge
// base (GET /kb/search, 250 ms after the last key, the stale request
// aborted) and insert an article's title and address at the cursor. A
// reply to the customer offers published articles only; a note also
// internal ones.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings, tn } from '../i18n.js';
import { api } from '../api.js';
import { loadStylesheet } from '../ui/stylesheet.js';

await Promise.all([loadStrings('kb'), loadStylesheet('/styles/kb-admin.css')]);

// The text a link goes in as: the title, then the address on its own.
export const linkText = (a) => `${a.title}: ${location.origin}${a.url}`;

export function KbLink({ id, kind, onInsert }) {
  const [q, setQ] = useState('');
  const [list, setList] = useState(null);
  const [said, setSaid] = useState('');
  const fieldId = `${id}-kb`;

  useEffect(() => {
    if (!q.trim()) { setList(null); return undefined; }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api.request('GET', `/kb/search?limit=5&q=${encodeURIComponent(q.trim())}`, undefined, { signal: ctl.signal })
        .then((r) => setList(r.results.filter((a) => kind === 'note' || a.state === 'published')))
        .catch(() => {});
    }, 250);
    return () => { clearTimeout(timer); ctl.abort(); };
  }, [q, kind]);

  const insert = (a) => {
    onInsert(linkText(a));
    setSaid(t('kbl.inserted', { title: a.title }));
    setQ('');
  };
  return html`<details class="details kb-link">
    <summary>${t('kbl.open')}</summary>
    <div class="field">
      <label for=${fieldId}>${t('kbl.label')}</label>
      <p class="hint" id=${`${fieldId}-hint`}>${t(kind === 'note' ? 'kbl.hint_note' : 'kbl.hint_reply')}</p>
      <input id=${fieldId} class="control" type="search" autocomplete="off" aria-describedby=${`${fieldId}-hint`}
        value=${q} onInput=${(e) => setQ(e.currentTarget.value)}
        onKeyDown=${(e) => { if (e.key === 'Enter') e.preventDefault(); }} />
    </div>
    ${list && html`<ul class="kb-link-list" aria-label=${t('kbl.results')}>
      ${list.map((a) => html`<li key=${a.id}>
        <button type="button" class="link-button" onClick=${() => insert(a)}>
          ${t('kbl.insert', { title: a.title })}
        </button>${a.state !== 'published' && html` <span class="kb-badge">${t('kbl.internal')}</span>`}
      </li>`)}
      ${list.length === 0 && html`<li>${t('kbl.none')}</li>`}
    </ul>`}
    <p class="visually-hidden" role="status">${list ? tn('kbl.count', list.length, { n: list.length }) : ''} ${said}</p>
  </details>`;
}
