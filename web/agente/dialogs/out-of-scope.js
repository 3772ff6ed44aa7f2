// "Fuera de alcance" (policy, levels 5): pick the canned answer, send it,
// then close, in that order. The answer is a built-in text in the
// requester's language (or, once /api/v1/macros exists, a macro whose name
// starts with "Fuera de alcance"), edited here. The ticket goes to the
// category out_of_scope first; the server closes such a ticket in the same
// transaction as the answer (one mail: the answer, why it closes, the
// survey), so a failed send closes nothing.
import { useState, useEffect } from '../../vendor/hooks.js';
import { html } from '../../html.js';
import { t } from '../../i18n.js';
import { api, errorMessage } from '../../api.js';
import { Field } from '../../ui/field.js';
import { Dialog, DialogButtons } from './dialog.js';

const PREFIX = 'Fuera de alcance';
const builtin = (lang, name) => t(`agact.oos_builtin.${lang}`, { name });
export const lastSeen = (tk) => Math.max(0, ...(tk.messages || []).map((m) => m.id));

function useCanned(tk, open) {
  const [macros, setMacros] = useState([]);
  const [lang, setLang] = useState('es');
  useEffect(() => {
    if (!open) return undefined;
    const stop = [api.get(`/macros?q=${encodeURIComponent(PREFIX)}`,
      (o) => setMacros((o.macros || []).filter((m) => m.name.startsWith(PREFIX))), () => setMacros([]))];
    if (tk.requester) stop.push(api.get(`/users/${tk.requester.id}`, (u) => setLang(u.lang === 'en' ? 'en' : 'es'), () => {}));
    return () => stop.forEach((f) => f());
  }, [open, tk.number]);
  return [macros, lang];
}

function OutOfScopeForm({ tk, macros, lang, onDone, onChange, onCancel }) {
  const name = tk.requester ? tk.requester.name : '';
  const [choice, setChoice] = useState(`builtin-${lang}`);
  const [text, setText] = useState(builtin(lang, name));
  const [error, setError] = useState('');
  const [meanwhile, setMeanwhile] = useState('');
  const [busy, setBusy] = useState(false);
  // The newest message on screen when the agent began: someone answering
  // after that is a collision, asked about before sending.
  const [seen] = useState(() => lastSeen(tk));
  useEffect(() => { setChoice(`builtin-${lang}`); setText(builtin(lang, name)); }, [lang]);

  const pick = async (v) => {
    setChoice(v);
    if (v.startsWith('builtin-')) { setText(builtin(v.slice(8), name)); return; }
    try {
      setText((await api.request('GET', `/macros/${v.slice(6)}/render?ticket=${tk.number}`)).body);
    } catch (e) { setError(errorMessage(e)); }
  };
  const send = async (confirm) => {
    if (!text.trim()) { setError(t('agact.oos_missing')); return; }
    setBusy(true);
    setError('');
    setMeanwhile('');
    let step = 'category';
    try {
      if (tk.category !== 'out_of_scope') await api.patch(`/tickets/${tk.number}`, { category: 'out_of_scope' });
      step = 'send';
      await api.post(`/tickets/${tk.number}/messages`, { kind: 'reply', body: text, last_seen_message_id: seen, confirm: !!confirm });
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
    { value: 'builtin-es', label: t('agact.oos_builtin_es') },
    { value: 'builtin-en', label: t('agact.oos_builtin_en') },
    ...macros.map((m) => ({ value: `macro-${m.id}`, label: m.name })),
  ];
  return html`<form onSubmit=${(e) => { e.preventDefault(); send(false); }}>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    <p>${t('agact.oos_lead')}</p>
    <${Field} id="oos-choice" as="select" label=${t('agact.oos_choice')} value=${choice} options=${options} onInput=${pick} />
    <${Field} id="oos-text" as="textarea" rows="10" label=${t('agact.oos_text')}
      hint=${t('agact.oos_text_hint', { to: tk.requester ? tk.requester.email : '' })} value=${text} onInput=${setText} />
    ${meanwhile && html`<div class="notice notice-error" role="alert"><p>${meanwhile}</p>
      <p><button type="button" class="button" onClick=${() => send(true)}>${t('composer.send_anyway')}</button></p></div>`}
    <${DialogButtons} label=${t('agact.oos_submit')} busy=${busy} onCancel=${onCancel} />
  </form>`;
}

export function OutOfScopeDialog({ ticket, open, onClose, onDone, onChange }) {
  const [macros, lang] = useCanned(ticket, open);
  return html`<${Dialog} id="ag-oos" open=${open} title=${t('agact.oos_title', { n: ticket.number })} onClose=${onClose}>
    <${OutOfScopeForm} tk=${ticket} macros=${macros} lang=${lang} onDone=${onDone} onChange=${onChange} onCancel=${onClose} />
  </${Dialog}>`;
}
