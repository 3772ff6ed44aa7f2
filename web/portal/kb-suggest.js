// Knowledge-base articles suggested while the customer writes a new ticket
// (issue 12): the best three for the subject and the description, asked
// 300 ms after the last key, a stale request aborted by the next one. An
// article opened from here is recorded (POST /kb/articles/N/opened): if no
// ticket follows, the report counts a deflected ticket. The article opens
// in this tab (a page of the server, /kb/ID-slug); the draft stays.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings } from '../i18n.js';
import { api } from '../api.js';

await loadStrings('kb');

const DELAY = 300;
const MIN_CHARS = 4;

export function KbSuggest({ subject, body }) {
  const [list, setList] = useState([]);
  const text = `${subject || ''} ${(body || '').slice(0, 600)}`.trim();

  useEffect(() => {
    if (text.length < MIN_CHARS) {
      setList([]);
      return undefined;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      api.request('GET', `/kb/search?mode=suggest&limit=3&q=${encodeURIComponent(text)}`, undefined,
        { signal: ctl.signal, quiet401: true })
        .then((r) => setList(r.results || []))
        .catch(() => {}); // aborted or failed: the form works without it
    }, DELAY);
    return () => { clearTimeout(timer); ctl.abort(); };
  }, [text]);

  const open = async (e, a) => {
    const record = api.request('POST', `/kb/articles/${a.id}/opened`, undefined, { quiet401: true }).catch(() => {});
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // a new tab: this page stays
    // Recorded before the page goes (a request the navigation cut short
    // would be lost), then the article, a page of the server.
    e.preventDefault();
    await record;
    location.assign(a.url);
  };

  return html`<section class=${list.length ? 'kb-suggest kb-suggest-on' : 'kb-suggest'} aria-labelledby="kb-suggest-title" aria-live="polite">
    ${list.length > 0 && html`
      <h2 id="kb-suggest-title" class="kb-suggest-title">${t('kb.suggest.title')}</h2>
      <p class="hint">${t('kb.suggest.hint')}</p>
      <ul class="kb-suggest-list">
        ${list.map((a) => html`<li key=${a.id}>
          <a href=${a.url} onClick=${(e) => open(e, a)}>${a.title}</a>
        </li>`)}
      </ul>`}
  </section>`;
}
