// "?": the list of keys, in a modal <dialog>, with the switch that turns
// them off (WCAG 2.1.4).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { keysOn, setKeysOn } from './keys.js';
import { useModal } from './dialogs/dialog.js';

const KEYS = [['j', 'keys.j'], ['k', 'keys.k'], ['o', 'keys.o'], ['x', 'keys.x'], ['a', 'keys.a'],
  ['s', 'keys.s'], ['c', 'keys.c'], ['r', 'keys.r'], ['n', 'keys.n'], ['/', 'keys.slash'],
  ['g q', 'keys.gq'], ['Ctrl+K', 'keys.palette'], ['?', 'keys.help']];

export function KeysHelp() {
  const [on, setOn] = useState(keysOn());
  const [open, setOpen] = useState(false);
  const ref = useModal(open);
  return html`<button type="button" class="button button-secondary keys-button" aria-keyshortcuts="?"
      aria-haspopup="dialog" onClick=${() => { setOn(keysOn()); setOpen(!open); }}>${t('keys.button')}</button>
    <dialog ref=${ref} class="keys-dialog" aria-labelledby="keys-title" onClose=${() => setOpen(false)}>
      <h2 id="keys-title">${t('keys.title')}</h2>
      <dl class="keys-list">
        ${KEYS.map(([k, label]) => html`<div><dt><kbd>${k}</kbd></dt><dd>${t(label)}</dd></div>`)}
      </dl>
      <p><label class="check"><input type="checkbox" checked=${on}
        onChange=${(e) => { setKeysOn(e.currentTarget.checked); setOn(e.currentTarget.checked); }} /> ${t('keys.enabled')}</label></p>
      <p><button type="button" class="button" onClick=${() => setOpen(false)}>${t('keys.close')}</button></p>
    </dialog>`;
}
