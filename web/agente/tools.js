// The tools on every console page: the search (also "/"), the command
// palette (also Ctrl+K) and the list of keys (also "?").
import { html } from '../html.js';
import { t } from '../i18n.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { KeysHelp } from './keys-help.js';
import { Palette } from './palette.js';

await loadStylesheet('/styles/agente-find.css');

export function ConsoleTools({ search = true }) {
  return html`${search && html`<a class="button button-secondary find-button" href="/agente/buscar">${t('find.button')}</a>`}
    <${Palette} />
    <${KeysHelp} />`;
}
