// The two composers, "Responder al cliente" and "Nota interna", switched
// explicitly (r, n). Each is its own form with its kind fixed in code: the
// note's form can only ever send kind "note". The send button says what it
// sends and to whom. Drafts are kept on the server per agent, ticket and
// kind (server-draft.js). A canned answer ("Respuesta predefinida",
// macro-picker.js) goes in at the cursor; the status or category it sets is
// shown and applied once sent (PATCH). Attachments: composer-files.js.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useComposerFiles, ComposerFiles } from './composer-files.js';
import { useServerDraft } from './server-draft.js';
import { MacroPicker, macroEffect } from './macro-picker.js';
import { KbLink } from './kb-link.js';

// The macro inserted last that changes the ticket, and what it changes:
// insert(text) puts text at the textarea's cursor (its end if never used).
function useMacroInsert(area, body, setBody) {
  const [effect, setEffect] = useState(null);
  const [said, setSaid] = useState('');
  const [unknown, setUnknown] = useState([]);
  const used = useRef(false);
  const insert = (out, m) => {
    const el = area.current;
    const from = el && used.current ? el.selectionStart : body.length;
    const to = el && used.current ? el.selectionEnd : body.length;
    // A paragraph of its own: a line break where it would touch other text.
    const text = `${from > 0 && body[from - 1] !== '\n' ? '\n' : ''}${out.body}${to < body.length && body[to] !== '\n' ? '\n' : ''}`;
    setBody(body.slice(0, from) + text + body.slice(to));
    if (out.status || out.category) setEffect({ status: out.status, category: out.category });
    setSaid(m ? t('macro.inserted', { name: m.name }) : '');
    setUnknown(out.unknown || []);
    setTimeout(() => {
      if (!el) return;
      el.focus();
      el.setSelectionRange(from + text.length, from + text.length);
    }, 0);
  };
  const reset = () => { setEffect(null); setSaid(''); setUnknown([]); };
  return { effect, setEffect, said, unknown, reset, insert, onFocus: () => { used.current = true; } };
}

function lastSeen(ticket) {
  const ids = (ticket.messages || []).map((m) => m.id);
  return ids.length ? Math.max(...ids) : 0;
}

// After the message: the status and category of the macro it used.
async function applyEffect(n, effect, setError) {
  const change = {};
  if (effect.status) change.status = effect.status;
  if (effect.category) change.category = effect.category;
  try {
    await api.patch(`/tickets/${n}`, change);
  } catch (e) {
    setError(t('macro.apply_failed', { error: errorMessage(e) }));
  }
}

function Editor({ ticket, kind, onSent, onText }) {
  const n = ticket.number;
  const [body, setBody, clear] = useServerDraft(n, kind);
  const [error, setError] = useState('');
  const [meanwhile, setMeanwhile] = useState(null);
  const [busy, setBusy] = useState(false);
  const files = useComposerFiles();
  const area = useRef(null);
  const macro = useMacroInsert(area, body, setBody);
  useEffect(() => { if (onText) onText(kind, !!body.trim()); }, [kind, !!body.trim()]);
  // The newest message seen before this answer was begun: one that arrives
  // while the agent writes (the thread shows it live) is still asked about.
  const seen = useRef(0);
  if (!body.trim()) seen.current = lastSeen(ticket);
  const id = kind === 'note' ? 'nota-interna' : 'respuesta-cliente';
  const to = ticket.requester ? `${ticket.requester.name} <${ticket.requester.email}>` : '';

  const send = async (confirm) => {
    if (!body.trim()) { setError(t('composer.missing')); return; }
    const ids = files.ids();
    if (ids === null) { setError(t('upload.wait')); return; }
    setBusy(true);
    setError('');
    try {
      const req = kind === 'note' ? { kind: 'note', body }
        : { kind: 'reply', body, last_seen_message_id: seen.current, confirm: !!confirm };
      if (ids.length) req.attachments = ids;
      await api.post(`/tickets/${n}/messages`, req);
      if (macro.effect) await applyEffect(n, macro.effect, setError);
      macro.reset();
      clear();
      files.clear();
      setMeanwhile(null);
      onSent(kind);
    } catch (e) {
      if (e.code === 'answered_meanwhile') setMeanwhile(e.serverMessage || errorMessage(e));
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const effect = macroEffect(macro.effect);
  const described = [`${id}-hint`, error && `${id}-error`, effect && `${id}-effect`].filter(Boolean).join(' ');
  return html`<form class=${`composer composer-${kind}`} onSubmit=${(e) => { e.preventDefault(); send(false); }}>
    <${MacroPicker} id=${id} ticket=${ticket} onPick=${macro.insert} />
    <div class=${`field${error ? ' field-error' : ''}`}>
      <label for=${id}><span aria-hidden="true">${kind === 'note' ? '✎ ' : '↩ '}</span>${t(`composer.${kind}`)}</label>
      <p class="hint" id=${`${id}-hint`}>${kind === 'note' ? t('composer.note_hint') : t('composer.reply_hint', { to })}</p>
      ${error && html`<p class="error-message" id=${`${id}-error`}><span class="visually-hidden">${t('error.prefix')}</span> ${error}</p>`}
      <textarea id=${id} ref=${area} class="control" rows="7" value=${body} aria-describedby=${described}
        onFocus=${macro.onFocus} onInput=${(e) => setBody(e.currentTarget.value)}></textarea>
    </div>
    <p class="visually-hidden" role="status">${macro.said}</p>
    ${macro.unknown.length > 0 && html`<p class="macro-unknown">${t('macro.unknown', { list: macro.unknown.join(', ') })}</p>`}
    ${effect && html`<p class="macro-effect" id=${`${id}-effect`}>
      <span>${t('macro.effect', { changes: effect })}</span>
      <button type="button" class="link-button" onClick=${() => macro.setEffect(null)}>${t('macro.effect_drop')}</button>
    </p>`}
    ${meanwhile && html`<div class="notice notice-error" role="alert">
      <p>${meanwhile}</p>
      <p>${t('live.meanwhile_hint')}</p>
      <p><button type="button" class="button" onClick=${() => send(true)}>${t('composer.send_anyway')}</button></p>
    </div>`}
    <button type="submit" class=${kind === 'note' ? 'button button-note' : 'button'} disabled=${busy}>
      ${kind === 'note' ? t('composer.send_note') : t('composer.send_reply', { name: ticket.requester ? ticket.requester.name : '' })}
    </button>
    <${ComposerFiles} id=${id} kind=${kind} files=${files} />
    <${KbLink} id=${id} kind=${kind} onInsert=${(text) => macro.insert({ body: text }, null)} />
  </form>`;
}

export function Composers({ ticket, onSent, onText }) {
  const [kind, setKind] = useState('reply');
  const pick = (k) => {
    setKind(k);
    setTimeout(() => { const el = document.getElementById(k === 'note' ? 'nota-interna' : 'respuesta-cliente'); if (el) el.focus(); }, 0);
  };
  return html`<section class="composers" aria-labelledby="composers-title">
    <h2 id="composers-title">${t('composer.title')}</h2>
    <div class="composer-switch" role="group" aria-label=${t('composer.which')}>
      <button type="button" class="switch-reply" aria-pressed=${kind === 'reply' ? 'true' : 'false'} aria-keyshortcuts="r"
        onClick=${() => pick('reply')}><span aria-hidden="true">↩ </span>${t('composer.reply')}</button>
      <button type="button" class="switch-note" aria-pressed=${kind === 'note' ? 'true' : 'false'} aria-keyshortcuts="n"
        onClick=${() => pick('note')}><span aria-hidden="true">✎ </span>${t('composer.note')}</button>
    </div>
    ${kind === 'reply' ? html`<${Editor} key="reply" ticket=${ticket} kind="reply" onSent=${onSent} onText=${onText} />`
      : html`<${Editor} key="note" ticket=${ticket} kind="note" onSent=${onSent} onText=${onText} />`}
  </section>`;
}
