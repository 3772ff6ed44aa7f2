// One search result (agente/search.js): the ticket's number and subject
// (the link), requester, company and status, and the snippet with the
// matched words marked. The API marks them with [ and ] in plain text; they
// become <mark> elements here, never HTML from the server (STYLE.md 10.3).
import { html } from '../html.js';
import { t, has } from '../i18n.js';
import { Time } from '../ui/time.js';

// "la [factura] salió" -> ['la ', <mark>factura</mark>, ' salió']
export function marked(snippet) {
  return (snippet || '').split(/\[([^\]]*)\]/).map((part, i) => (i % 2 ? html`<mark>${part}</mark>` : part));
}

// The snippet without its marks, to tell whether it only repeats the subject.
const plain = (snippet) => (snippet || '').replace(/[[\]]/g, '');

export function SearchResult({ r, onKeyDown }) {
  const status = has(`ag.status.${r.status}`) ? t(`ag.status.${r.status}`) : r.status_name;
  const snippet = r.snippet && plain(r.snippet) !== r.subject ? r.snippet : '';
  return html`<li class="find-result">
    <a class="find-link" href=${`/agente/tickets/${r.number}`} onKeyDown=${onKeyDown}>
      <span class="find-number">Ticket#${r.number}</span> <span class="find-subject">${marked(r.snippet && !snippet ? r.snippet : r.subject)}</span>
    </a>
    <p class="find-meta">
      <span><span class="visually-hidden">${t('queue.col.requester')}: </span>${r.requester ? r.requester.name : ''}${r.company
        ? html` · <span class="visually-hidden">${t('find.company')}: </span>${r.company.name}` : ''}</span>
      <span class=${`status status-${r.status}`}><span class="visually-hidden">${t('queue.col.status')}: </span>${status}</span>
      ${r.updated_at && html`<span class="find-when">${t('find.updated')} <${Time} iso=${r.updated_at} kind="relative" /></span>`}
    </p>
    ${snippet && html`<p class="find-snippet">${marked(snippet)}</p>`}
  </li>`;
}
