// "Respuesta predefinida": a composer's canned answers, as the WAI-ARIA
// combobox with a list that filters as one types (APG "list autocomplete
// with automatic selection"): a few letters narrow the list
// (GET /macros?q=), the first match is ready, ↑/↓ move, Enter inserts it
// rendered for the ticket (GET /macros/ID/render?ticket=N), Escape closes.
// The ▾ button opens the whole list for a mouse or a finger.
import { useState, useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, lang, loadStrings } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { loadStylesheet } from '../ui/stylesheet.js';

await Promise.all([loadStrings('agente'), loadStylesheet('/styles/macros.css')]);

// The change a macro makes once its message is sent, in words; '' if none.
export function macroEffect(m) {
  const parts = [];
  if (m && m.status) parts.push(t('macro.effect_status', { status: t(`ag.status.${m.status}`) }));
  if (m && m.category) parts.push(t('macro.effect_category', { category: t(`ag.category.${m.category}`) }));
  return parts.join(' · ');
}

function Option({ m, id, active, onChoose }) {
  const effect = macroEffect(m);
  return html`<li role="option" id=${id} class=${`macro-option${active ? ' macro-option-active' : ''}`}
    aria-selected=${active ? 'true' : 'false'} onMouseDown=${(e) => e.preventDefault()} onClick=${() => onChoose(m)}>
    <span class="macro-option-name">${m.name}</span>
    ${m.lang !== lang() && html` <span class="macro-lang">${t(`macro.lang.${m.lang}`)}</span>`}
    ${effect && html`<span class="macro-option-effect">${effect}</span>`}
  </li>`;
}

// onPick(rendered, macro): rendered is the render's answer ({ body,
// status, category, unknown }).
export function MacroPicker({ id, ticket, onPick }) {
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [list, setList] = useState(null);
  const [active, setActive] = useState(-1);
  const [error, setError] = useState('');
  const input = useRef(null);
  const inputId = `${id}-macro`;
  const listId = `${id}-macros`;

  useEffect(() => {
    if (!open) return undefined;
    let abort = () => {};
    const timer = setTimeout(() => {
      const query = q.trim() ? `?q=${encodeURIComponent(q.trim())}` : '';
      abort = api.get(`/macros${query}`, (out) => {
        setList(out.macros);
        setActive(out.macros.length ? 0 : -1);
        setError('');
      }, (e) => setError(errorMessage(e)));
    }, 120);
    return () => { clearTimeout(timer); abort(); };
  }, [q, open]);

  const macros = list || [];
  useEffect(() => {
    const el = open && macros[active] && document.getElementById(`${listId}-${macros[active].id}`);
    if (el && el.scrollIntoView) el.scrollIntoView({ block: 'nearest' });
  }, [active, open, list]);
  const choose = async (m) => {
    setOpen(false);
    try {
      const out = await api.request('GET', `/macros/${m.id}/render?ticket=${ticket.number}`);
      setQ('');
      onPick(out, m);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const onKeyDown = (e) => {
    const last = macros.length - 1;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) setOpen(true);
      else if (last >= 0) setActive(e.key === 'ArrowDown' ? Math.min(last, active + 1) : Math.max(0, active - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault(); // never sends the composer's form
      if (open && active >= 0 && macros[active]) choose(macros[active]);
      else setOpen(true);
    } else if (e.key === 'Escape') {
      if (open) { e.preventDefault(); e.stopPropagation(); setOpen(false); } else setQ('');
    } else if (e.key === 'Tab') {
      setOpen(false);
    }
  };
  const optionId = (m) => `${listId}-${m.id}`;
  const shown = open && list !== null;
  return html`<div class="macro-picker field">
    <label for=${inputId}>${t('macro.label')}</label>
    <p class="hint" id=${`${inputId}-hint`}>${t('macro.hint')}</p>
    ${error && html`<p class="error-message" id=${`${inputId}-error`}><span class="visually-hidden">${t('error.prefix')}</span> ${error}</p>`}
    <div class="macro-combo">
      <input id=${inputId} ref=${input} class="control" type="text" role="combobox" autocomplete="off" spellcheck="false"
        aria-autocomplete="list" aria-expanded=${shown ? 'true' : 'false'} aria-controls=${listId}
        aria-activedescendant=${shown && macros[active] ? optionId(macros[active]) : undefined}
        aria-describedby=${error ? `${inputId}-hint ${inputId}-error` : `${inputId}-hint`}
        value=${q} onInput=${(e) => { setQ(e.currentTarget.value); setOpen(true); }}
        onKeyDown=${onKeyDown} onBlur=${() => setOpen(false)} />
      <button type="button" class="button button-secondary macro-toggle" tabindex="-1" aria-label=${t('macro.show_all')}
        aria-expanded=${shown ? 'true' : 'false'} aria-controls=${listId}
        onMouseDown=${(e) => e.preventDefault()}
        onClick=${() => { setOpen(!open); if (input.current) input.current.focus(); }}><span aria-hidden="true">▾</span></button>
      <ul role="listbox" id=${listId} class="macro-list" aria-label=${t('macro.list')} hidden=${!shown}>
        ${shown && macros.map((m, i) => html`<${Option} key=${m.id} m=${m} id=${optionId(m)} active=${i === active} onChoose=${choose} />`)}
      </ul>
    </div>
    <p class="visually-hidden" role="status">${shown ? (macros.length ? t('macro.count', { n: macros.length }) : t('macro.none')) : ''}</p>
    ${shown && !macros.length && html`<p class="macro-none" aria-hidden="true">${t('macro.none')}</p>`}
  </div>`;
}
