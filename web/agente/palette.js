// The command palette (Ctrl+K, or its button): a modal dialog holding an
// ARIA combobox (WAI-ARIA APG "combobox with listbox popup"): the box keeps
// the focus, the arrows move the active option (aria-activedescendant),
// Enter runs it, Escape closes and gives the focus back to where it was.
// Commands: open a ticket by number, search, go to a view, and what the
// page on screen offers (assign to me, status, category: the same keys,
// through runKey), turn the one-key shortcuts on or off, the list of keys.
// Ctrl+K is not a one-key shortcut, so it works even when those are off.
import { useState, useRef, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { navigate } from '../router.js';
import { keysOn, setKeysOn, keyTarget, runKey, pageHas } from './keys.js';
import { VIEWS } from './codes.js';
import { matches } from '../fold.js';

const NUMBER = /^\s*(?:ticket\s*)?#?\s*(\d{1,9})\s*$/i;

// What the page on screen can do now: a key's control, or the queue's
// handler with a row in hand.
function pageContext() {
  const row = !!document.querySelector('.queue-row-current, .queue-row-selected');
  const can = (key) => !!keyTarget(key) || (pageHas(key) && row);
  return { assign: can('a'), status: can('s'), category: can('c') };
}

export function commands(text, ctx) {
  const q = text.trim();
  const n = (q.match(NUMBER) || [])[1];
  const go = (path) => () => navigate(path);
  const all = [
    ctx.assign && { label: t('palette.assign'), key: 'a', run: () => runKey('a') },
    ctx.status && { label: t('palette.status'), key: 's', run: () => runKey('s') },
    ctx.category && { label: t('palette.category'), key: 'c', run: () => runKey('c') },
    ...VIEWS.map((v) => ({ label: t('palette.view', { view: t(`queue.view.${v}`) }), run: go(v === 'unsolved' ? '/agente' : `/agente?vista=${v}`) })),
    { label: t('palette.search_page'), key: '/', run: go('/agente/buscar') },
    { label: keysOn() ? t('palette.keys_off') : t('palette.keys_on'), run: () => setKeysOn(!keysOn()) },
    { label: t('palette.help'), key: '?', run: () => runKey('?') },
  ].filter(Boolean);
  const found = all.filter((c) => matches(c.label, q));
  return [
    ...(n ? [{ label: t('palette.open', { n }), run: go(`/agente/tickets/${n}`) }] : []),
    ...found,
    ...(q ? [{ label: t('palette.find', { q }), run: go(`/agente/buscar?q=${encodeURIComponent(q)}`) }] : []),
  ];
}

export function Palette() {
  const dialog = useRef(null);
  const box = useRef(null);
  const back = useRef(null);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const [ctx, setCtx] = useState({});
  const list = open ? commands(text, ctx) : [];
  const at = Math.min(active, Math.max(0, list.length - 1));

  // Opened here rather than in an effect: a close event still on its way
  // (Escape, then Ctrl+K at once) must not leave the state saying "open"
  // with the dialog shut.
  const show = () => {
    const d = dialog.current;
    if (!d || d.open) return;
    back.current = document.activeElement;
    setCtx(pageContext());
    setText('');
    setActive(0);
    setOpen(true);
    d.showModal();
    box.current.focus();
  };
  const closed = () => {
    if (dialog.current && dialog.current.open) return;
    setOpen(false);
    restore();
  };
  const restore = () => {
    const el = back.current;
    back.current = null;
    if (el && el.isConnected && el.focus) el.focus();
  };
  const close = () => {
    if (dialog.current && dialog.current.open) dialog.current.close();
  };
  // The focus goes back first (the close event comes later), then the
  // command runs from there, as if its key had been pressed.
  const run = (c) => {
    close();
    restore();
    if (c) c.run();
  };
  useEffect(() => {
    const down = (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        show();
      }
    };
    addEventListener('keydown', down);
    return () => removeEventListener('keydown', down);
  }, []);

  const onKey = (e) => {
    const last = list.length - 1;
    if (e.key === 'ArrowDown') setActive(at >= last ? 0 : at + 1);
    else if (e.key === 'ArrowUp') setActive(at <= 0 ? last : at - 1);
    else if (e.key === 'Home' && e.ctrlKey) setActive(0);
    else if (e.key === 'End' && e.ctrlKey) setActive(last);
    else if (e.key === 'Enter') run(list[at]);
    else return;
    e.preventDefault();
  };

  return html`<button type="button" class="button button-secondary palette-button" aria-haspopup="dialog"
      aria-keyshortcuts="Control+K" onClick=${show}>${t('palette.button')} <kbd>Ctrl+K</kbd></button>
    <dialog ref=${dialog} class="palette" aria-labelledby="palette-title"
      onClose=${closed}>
      <h2 id="palette-title" class="palette-title">${t('palette.title')}</h2>
      <label for="palette-q">${t('palette.label')}</label>
      <input id="palette-q" ref=${box} class="control" type="text" role="combobox" autocomplete="off" spellcheck="false"
        aria-expanded=${list.length ? 'true' : 'false'} aria-controls="palette-list" aria-autocomplete="list"
        aria-activedescendant=${list.length ? `palette-opt-${at}` : undefined}
        value=${text} onInput=${(e) => { setText(e.currentTarget.value); setActive(0); }} onKeyDown=${onKey} />
      <ul id="palette-list" class="palette-list" role="listbox" aria-label=${t('palette.commands')} hidden=${!list.length}>
        ${list.map((c, i) => html`<li id=${`palette-opt-${i}`} role="option" aria-selected=${i === at ? 'true' : 'false'}
          class=${i === at ? 'palette-option palette-active' : 'palette-option'}
          onClick=${() => run(c)} onMouseMove=${() => i !== at && setActive(i)}>
          <span>${c.label}</span>${c.key && html`<kbd>${c.key}</kbd>`}</li>`)}
      </ul>
      ${!list.length && html`<p class="palette-empty">${t('palette.none')}</p>`}
    </dialog>`;
}
