// "Fuera de alcance" (policy, levels 5): pick the canned answer, send it,
// then close, in that order. The answers offered are the macros whose name
// starts with "Fuera de alcance" (or "Out of scope"), rendered for this
// ticket, and a built-in text in each language; the one in the
// requester's language comes first, and the agent may edit it. The ticket
// goes to the category out_of_scope first; the server closes such a ticket
// in the same transaction as the answer (one mail: the answer, why it
// closes, the survey), so a failed send closes nothing (and the category
// goes back to what it was).
import { useState, useEffect } from '../../vendor/hooks.js';
import { html } from '../../html.js';
import { t } from '../../i18n.js';
import { api, errorMessage } from '../../api.js';
import { Field } from '../../ui/field.js';
import { Dialog, DialogButtons } from './dialog.js';

const PREFIXES = ['Fuera de alcance', 'Out of scope'];
const builtin = (lang, name) => t(`agact.oos_builtin.${lang}`, { name });
export const lastSeen = (tk) => Math.max(0, ...(tk.messages || []).map((m) => m.id));

// The out-of-scope macros (none while /macros answers an error) and the
// requester's language; null until both are known.
function useCanned(tk, open) {
  const [found, setFound] = useState(null);
  useEffect(() => {
    if (!open) return undefined;
    let live = true;
    const list = (q) => api.request('GET', `/macros?q=${encodeURIComponent(q)}`).then((o) => o.macros || [], () => []);
    const lang = tk.requester ? api.request('GET', `/users/${tk.requester.id}`).then((u) => u.lang, () => 'es') : Promise.resolve('es');
    Promise.all([...PREFIXES.map(list), lang]).then(([a, b, l]) => {
      const seen = new Set();
      const macros = [...a, ...b].filter((m) => PREFIXES.some((p) => m.name.startsWith(p)) && !seen.has(m.id) && seen.add(m.id));
      if (live) setFound({ macros, lang: l === 'en' ? 'en' : 'es' });
    });
    return () => { live = false; };
  }, [open, tk.number]);
  return found;
}

function OutOfScopeForm({ tk, macros, lang, onDone, onChange, onCancel }) {
  const name = tk.requester ? tk.requester.name : '';
  const [choice, setChoice] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [meanwhile, setMeanwhile] = useState('');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  // The newest message on screen when the agent began: someone answering
  // after that is a collision, asked about before sending.
  const [seen] = useState(() => lastSeen(tk));

  const pick = async (v) => {
    setChoice(v);
    if (v.startsWith('builtin-')) { setText(builtin(v.slice(8), name)); return; }
    try {
      setText((await api.request('GET', `/macros/${v.slice(6)}/render?ticket=${tk.number}`)).body);
    } catch (e) { setError(errorMessage(e)); }
  };
  // First the macro in the requester's language, else the built-in text.
  useEffect(() => {
    const m = macros.find((x) => x.lang === lang);
    pick(m ? `macro-${m.id}` : `builtin-${lang}`);
  }, []);
  const send = async (confirm) => {
    if (!text.trim()) { setMissing(true); document.getElementById('oos-text').focus(); return; }
    setMissing(false);
    setBusy(true);
    setError('');
    setMeanwhile('');
    const before = tk.category;
    let step = 'category';
    try {
      if (before !== 'out_of_scope') await api.patch(`/tickets/${tk.number}`, { category: 'out_of_scope' });
      step = 'send';
      try {
        await api.post(`/tickets/${tk.number}/messages`, { kind: 'reply', body: text, last_seen_message_id: seen, confirm: !!confirm });
      } catch (e) {
        // Not sent: the category goes back, so that a later answer from the
        // composer does not close the ticket.
        if (before !== 'out_of_scope') {
          step = await api.patch(`/tickets/${tk.number}`, { category: before }).then(() => 'send', () => 'send_kept');
        }
        throw e;
      }
      step = 'close';
      let after = await api.request('GET', `/tickets/${tk.number}`);
      if (after.status !== 'closed') after = await api.patch(`/tickets/${tk.number}`, { status: 'closed' });
      onDone(t('agact.oos_done', { n: tk.number }), after);
    } catch (e) {
      if (e.code === 'answered_meanwhile') setMeanwhile(e.serverMessage || errorMessage(e));
      else setError(t(`agact.oos_failed_${step}`, { why: errorMessage(e) }));
      api.request('GET', `/tickets/${tk.number}`).then(onChange, () => {});
    } finally {
      setBusy(false);
    }
  };
  const options = [
    ...macros.map((m) => ({ value: `macro-${m.id}`, label: m.name })),
    { value: 'builtin-es', label: t('agact.oos_builtin_es') },
    { value: 'builtin-en', label: t('agact.oos_builtin_en') },
  ];
  return html`<form onSubmit=${(e) => { e.preventDefault(); send(false); }}>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p>${t('agact.oos_lead')}</p>
    <${Field} id="oos-choice" as="select" label=${t('agact.oos_choice')} value=${choice} options=${options} onInput=${pick} />
    <${Field} id="oos-text" as="textarea" rows="10" label=${t('agact.oos_text')}
      hint=${t('agact.oos_text_hint', { to: tk.requester ? tk.requester.email : '' })} value=${text} onInput=${setText}
      error=${missing ? t('agact.oos_missing') : ''} />
    ${meanwhile && html`<div class="notice notice-error" role="alert"><p>${meanwhile}</p>
      <p><button type="button" class="button" onClick=${() => send(true)}>${t('composer.send_anyway')}</button></p></div>`}
    <${DialogButtons} label=${t('agact.oos_submit')} busy=${busy} onCancel=${onCancel} />
  </form>`;
}

export function OutOfScopeDialog({ ticket, open, onClose, onDone, onChange }) {
  const found = useCanned(ticket, open);
  return html`<${Dialog} id="ag-oos" open=${open} title=${t('agact.oos_title', { n: ticket.number })} onClose=${onClose}>
    ${found ? html`<${OutOfScopeForm} tk=${ticket} macros=${found.macros} lang=${found.lang} onDone=${onDone} onChange=${onChange} onCancel=${onClose} />`
      : html`<p>${t('agact.loading')}</p>`}
  </${Dialog}>`;
}
